import { api, unwrap } from '../../api/client';
import { useApiMutation } from '../../api/query';
import type { WaitingLine } from './types';

/** What a decision changes: the queue here and on Today, and the order itself. */
const INVALIDATES = ['/v1/order-lines/waiting', '/v1/orders', '/v1/orders/{id}'] as const;

export function useCancelLine() {
  return useApiMutation({
    mutationFn: ({ line, reason }: { line: WaitingLine; reason: string | undefined }) =>
      unwrap(
        api.POST('/v1/orders/{id}/cancel', {
          params: { path: { id: line.orderId } },
          body: { lines: [{ line: line.line }], ...(reason !== undefined && { reason }) },
        }),
      ),
    invalidates: [...INVALIDATES],
    successMessage: (order) =>
      `Cancelled: order ${order.reference ?? `#${order.id}`} is ${order.state}`,
  });
}

export function useKeepWaiting() {
  return useApiMutation({
    mutationFn: ({ line, note }: { line: WaitingLine; note: string | undefined }) =>
      unwrap(
        api.POST('/v1/orders/{id}/lines/{line}/keep-waiting', {
          params: { path: { id: line.orderId, line: line.line } },
          body: note === undefined ? {} : { note },
        }),
      ),
    invalidates: [...INVALIDATES],
    successMessage: (decision) =>
      `Line ${decision.line} of order #${decision.orderId} keeps waiting`,
  });
}
