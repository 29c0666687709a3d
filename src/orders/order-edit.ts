import type { Transaction } from 'kysely';
import type { ChannelScope } from '../access/channel-scope.js';
import { type ResolvedChannel, resolveChannel } from '../catalogue/channels.service.js';
import type { DB } from '../db/schema.js';
import type { Actor, AppContext } from '../kernel/context.js';
import { recordEvent } from '../kernel/events/domain-events.js';
import {
  type IdempotentRequest,
  transactionWithAnswer,
} from '../kernel/idempotency/idempotency.service.js';
import { NotFoundError } from '../shared/errors.js';
import { touchOrder } from './order-changes.repository.js';
import { loadOrder } from './order-document.js';
import { findOrder } from './orders.repository.js';
import type { Order } from './orders.schemas.js';

/**
 * What every change to a placed order shares (increase, add a line, move, uncancel): who
 * may make it, one transaction holding the change and the Idempotency-Key's answer, the
 * order marked changed, and the order document as the answer (200).
 */

export interface OrderEdit {
  id: number;
  actor: Actor;
  scope: ChannelScope;
  idempotency: IdempotentRequest | undefined;
}

/** Everything a change needs inside its transaction. */
export interface EditContext {
  trx: Transaction<DB>;
  now: string;
  today: string;
}

/**
 * The order's channel, with its locations in priority order: read before the transaction
 * (an order never changes channel, and the channel cache must not be read inside one).
 * Another channel's order is, for a channel key, the same 404 as a missing one.
 */
export async function channelOfOrder(
  ctx: AppContext,
  id: number,
  scope: ChannelScope,
): Promise<ResolvedChannel> {
  const order = await findOrder(ctx.db, id, scope);
  if (!order) throw new NotFoundError('ORDER_NOT_FOUND', `No order ${id}`, { id });
  return resolveChannel(ctx, order.channel);
}

/** Runs one change and answers with the order as it left it, stored with the key. */
export function editOrder(
  ctx: AppContext,
  edit: OrderEdit,
  change: (at: EditContext) => Promise<void>,
): Promise<Order> {
  const now = ctx.clock.now().toISOString();
  const today = now.slice(0, 10);
  return transactionWithAnswer(
    ctx,
    edit.idempotency,
    async (trx) => {
      await change({ trx, now, today });
      await touchOrder(trx, edit.id, now);
      return loadOrder(trx, edit.id, today);
    },
    (order) => ({ status: 200, body: order }),
  );
}

/** The change, as integrators see it: `order.line_changed`, one per line changed. */
export function recordLineChange(
  trx: Transaction<DB>,
  edit: OrderEdit,
  line: { line_no: number; sku: string },
  change: 'increased' | 'added' | 'moved' | 'uncancelled',
  details: Record<string, unknown>,
  now: string,
): Promise<void> {
  return recordEvent(trx, {
    type: 'order.line_changed',
    subject: `order:${edit.id}`,
    payload: { orderId: edit.id, line: line.line_no, sku: line.sku, change, ...details },
    actor: edit.actor,
    now,
  });
}
