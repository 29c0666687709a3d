import type { components, paths } from '../../../../clients/stockroom-api';
import { api, unwrap } from '../../api/client';
import type { Contact } from './contact';
import type { Counter } from './counter-choice';

/**
 * What the counter does to the API. Every order is placed with the idempotency key of its
 * attempt (made when the panel opened), so a double press or a retry after a dropped
 * answer replays the first order instead of selling twice.
 */

export function newAttemptKey(): string {
  return `counter-${crypto.randomUUID()}`;
}

type PlaceOrderBody = paths['/v1/orders']['post']['requestBody']['content']['application/json'];
type PlacedOrder = components['schemas']['Order'];

async function placeOrder(key: string, body: PlaceOrderBody): Promise<PlacedOrder> {
  return unwrap(api.POST('/v1/orders', { body, params: { header: { 'idempotency-key': key } } }));
}

/**
 * A counter sale is handed over at once: the reserved units are fulfilled as a pickup,
 * which takes them off the shelf's on-hand (docs/api.md, Orders). The fulfilment id is
 * derived from the order, so repeating it replays rather than handing over twice.
 */
async function handOver(order: PlacedOrder, location: string) {
  const lines = order.lines
    .filter((l) => l.allocated > 0)
    .map((l) => ({ line: l.line, quantity: l.allocated, location }));
  if (lines.length === 0) return order;
  const done = await unwrap(
    api.POST('/v1/orders/{id}/fulfilments', {
      params: { path: { id: order.id } },
      body: { fulfilmentId: `counter-${order.id}`, kind: 'pickup', lines },
    }),
  );
  return done.order;
}

export interface Sale {
  order: PlacedOrder;
  handedOver: number;
  location: string;
}

export async function sellNow(
  key: string,
  counter: Counter,
  line: { sku: string; quantity: number },
): Promise<Sale> {
  const placed = await placeOrder(key, { ...counter, lines: [line] });
  const handedOverUnits = placed.lines.reduce((s, l) => s + l.allocated, 0);
  return {
    order: await handOver(placed, counter.location),
    handedOver: handedOverUnits,
    location: counter.location,
  };
}

export async function takeBackorder(
  key: string,
  counter: Counter,
  line: { sku: string; quantity: number },
  customer: { name: string; contact: Contact },
): Promise<Sale> {
  const placed = await placeOrder(key, {
    ...counter,
    customer: { name: customer.name, ...customer.contact },
    lines: [{ ...line, acceptBackorder: true }],
  });
  const handedOverUnits = placed.lines.reduce((s, l) => s + l.allocated, 0);
  return {
    order: await handOver(placed, counter.location),
    handedOver: handedOverUnits,
    location: counter.location,
  };
}

/** A place in the item's queue; `existing` when this contact was already waiting (200). */
export async function notifyMe(
  counter: Counter,
  sku: string,
  customer: { name: string; contact: Contact },
) {
  const { data, response } = await api.POST('/v1/subscriptions', {
    body: {
      sku,
      channel: counter.channel,
      ...(customer.name === '' ? {} : { name: customer.name }),
      ...customer.contact,
    },
  });
  // Non-2xx answers throw in the client's middleware: data is there.
  return { subscription: data!, existing: response.status === 200 };
}
