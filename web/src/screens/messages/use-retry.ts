import { api, unwrap } from '../../api/client';
import { useApiMutation } from '../../api/query';

/** Hands a failed (dead) message back to the dispatcher; the outbox list and detail refetch. */
export function useRetryMessage() {
  return useApiMutation({
    mutationFn: (id: number) =>
      unwrap(api.POST('/v1/messages/{id}/retry', { params: { path: { id } }, body: {} })),
    invalidates: ['/v1/messages', '/v1/messages/{id}'],
    successMessage: (message) => `Message ${message.id} will be sent again shortly`,
  });
}
