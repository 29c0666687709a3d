import { Alert, Text } from '@mantine/core';
import { spokenDate } from './promise-words';
import type { Sale } from './sell-actions';

export type Done =
  | { kind: 'sold'; sale: Sale }
  | { kind: 'backordered'; sale: Sale; contact: string }
  | {
      kind: 'subscribed';
      sku: string;
      position: number | null;
      contact: string;
      existing: boolean;
    };

/**
 * What just happened, kept on screen while the next scan starts: a status region, so a
 * screen reader announces it without moving focus from the SKU field.
 */
export function Receipt({ done, today }: { done: Done; today: string }) {
  if (done.kind === 'subscribed') {
    return (
      <Alert color="blue" title="Customer will be notified" role="status">
        <Text>
          {done.existing ? 'Already in the queue' : 'Added to the queue'} for {done.sku}
          {done.position !== null ? `, number ${done.position}` : ''}. We will tell {done.contact}{' '}
          when it is back.
        </Text>
      </Alert>
    );
  }
  const { order, handedOver, location } = done.sale;
  const given = order.lines.reduce((s, l) => s + l.fulfilled, 0);
  return (
    <Alert
      color="green"
      title={
        done.kind === 'sold' ? `Sold: order ${order.id}` : `Backorder taken: order ${order.id}`
      }
      role="status"
    >
      {order.lines.map((l) => (
        <Text key={l.line}>
          {l.quantity} × {l.sku}:{' '}
          {l.fulfilled > 0 ? `${l.fulfilled} handed over at ${location}` : 'none handed over now'}
          {l.backordered > 0 && l.promise
            ? `; ${l.backordered} expected on ${spokenDate(l.promise.date, today)}`
            : ''}
          .
        </Text>
      ))}
      {given < handedOver && (
        <Text c="red">Some reserved units were not handed over: see the order.</Text>
      )}
      {done.kind === 'backordered' && <Text>The confirmation goes to {done.contact}.</Text>}
    </Alert>
  );
}
