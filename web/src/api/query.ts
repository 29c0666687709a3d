import { notifications } from '@mantine/notifications';
import {
  type QueryKey,
  type UseMutationOptions,
  useMutation,
  useQueryClient,
} from '@tanstack/react-query';
import type { paths } from '../../../clients/stockroom-api';
import { errorMessage } from './errors';

export type ApiPath = keyof paths;

/**
 * Query keys start with the path template the query reads (`/v1/stock`,
 * `/v1/items/{sku}`), then its parameters: live events invalidate by path prefix
 * (src/live/invalidation.ts), and a screen can invalidate `[path]` after a mutation.
 */
export function apiKey(path: ApiPath, params?: unknown): QueryKey {
  return params === undefined ? [path] : [path, params];
}

interface ApiMutationOptions<TData, TVariables>
  extends UseMutationOptions<TData, Error, TVariables> {
  /** Paths whose queries to refetch once the mutation succeeded. */
  invalidates?: ApiPath[];
  /** A notification shown on success (none when absent). */
  successMessage?: string | ((data: TData) => string);
}

/**
 * useMutation that shows the API's error message as a notification, so no failure goes
 * unseen; a screen can still read `error` to show it inline as well.
 */
export function useApiMutation<TData, TVariables = void>({
  invalidates = [],
  successMessage,
  onError,
  onSuccess,
  ...options
}: ApiMutationOptions<TData, TVariables>) {
  const queryClient = useQueryClient();
  return useMutation<TData, Error, TVariables>({
    ...options,
    onError: (error, variables, result, context) => {
      notifications.show({ color: 'red', title: 'Not done', message: errorMessage(error) });
      return onError?.(error, variables, result, context);
    },
    onSuccess: async (data, variables, result, context) => {
      await Promise.all(
        invalidates.map((path) => queryClient.invalidateQueries({ queryKey: [path] })),
      );
      if (successMessage !== undefined) {
        const message =
          typeof successMessage === 'function' ? successMessage(data) : successMessage;
        notifications.show({ color: 'green', message });
      }
      return onSuccess?.(data, variables, result, context);
    },
  });
}
