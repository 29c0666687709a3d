import { Button, Group, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { useApiMutation } from '../../api/query';
import { isOpen, type PurchaseOrder } from './purchasing-api';

type Transition = 'send' | 'confirm' | 'cancel';

const DONE: Record<Transition, string> = {
  send: 'sent to the supplier',
  confirm: 'confirmed',
  cancel: 'cancelled',
};

function transition(id: number, action: Transition) {
  const params = { params: { path: { id } }, body: {} };
  if (action === 'send') return unwrap(api.POST('/v1/purchase-orders/{id}/send', params));
  if (action === 'confirm') return unwrap(api.POST('/v1/purchase-orders/{id}/confirm', params));
  return unwrap(api.POST('/v1/purchase-orders/{id}/cancel', params));
}

/** What the order's state allows next: send a draft, confirm a sent one, receive, cancel. */
export function OrderActions({ order }: { order: PurchaseOrder }) {
  const [done, setDone] = useState<string | null>(null);
  const mutation = useApiMutation({
    mutationFn: (action: Transition) => transition(order.id, action),
    invalidates: [
      '/v1/purchase-orders',
      '/v1/purchase-orders/{id}',
      '/v1/purchase-orders/{id}/history',
    ],
    onSuccess: (_data, action) => {
      setDone(DONE[action]);
      notifications.show({ color: 'green', message: `PO ${order.id} ${DONE[action]}` });
    },
  });
  const busy = (action: Transition) => mutation.isPending && mutation.variables === action;
  const nothingArrived = order.totals.received === 0;
  return (
    <Group>
      <VisuallyHidden role="status">{done ? `PO ${order.id} ${done}` : ''}</VisuallyHidden>
      {order.state === 'draft' && (
        <Button onClick={() => mutation.mutate('send')} loading={busy('send')}>
          Send to supplier
        </Button>
      )}
      {order.state === 'sent' && (
        <Button onClick={() => mutation.mutate('confirm')} loading={busy('confirm')}>
          Mark confirmed
        </Button>
      )}
      {isOpen(order.state) && (
        <Button component={Link} to={`/purchasing/orders/${order.id}/receive`} variant="default">
          Receive goods
        </Button>
      )}
      {(order.state === 'draft' || (isOpen(order.state) && nothingArrived)) && (
        <Button
          variant="default"
          onClick={() => mutation.mutate('cancel')}
          loading={busy('cancel')}
        >
          Cancel order
        </Button>
      )}
    </Group>
  );
}
