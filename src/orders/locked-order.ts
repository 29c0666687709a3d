import type { Transaction } from 'kysely';
import type { ChannelScope } from '../access/channel-scope.js';
import type { DB } from '../db/schema.js';
import { lockItems } from '../kernel/backorders/promise.repository.js';
import { BadRequestError, NotFoundError } from '../shared/errors.js';
import * as orderRepo from './orders.repository.js';

/**
 * The order's lines once every lock a change needs is held. Lock order: the order row,
 * then its items' promise locks, then (in the caller) stock rows by item and location,
 * then supply rows — the order every other use case takes them in. A receipt filling one
 * of these lines holds its item's lock and takes stock rows in its own order: waiting for
 * it first keeps the order fixed, and the lines are read only after it, as it left them.
 * Another channel's order is, for a channel key, the same 404 as a missing one.
 * `alsoItems` are locked with the lines' items, in one ascending pass (a line being added).
 */
export async function lockOrderLines(
  trx: Transaction<DB>,
  id: number,
  scope: ChannelScope,
  alsoItems: readonly number[] = [],
): Promise<orderRepo.LineRow[]> {
  if (!(await orderRepo.lockOrder(trx, id, scope))) {
    throw new NotFoundError('ORDER_NOT_FOUND', `No order ${id}`, { id });
  }
  const before = await orderRepo.linesOf(trx, [id]);
  await lockItems(trx, [...before.map((l) => l.item_id), ...alsoItems]);
  return orderRepo.linesOf(trx, [id]);
}

/** Every line named must exist on the order, and be named once. */
export function requireLines(
  id: number,
  lines: readonly { line_no: number }[],
  wanted: readonly number[],
): void {
  const unknown = wanted.filter((n) => !lines.some((l) => l.line_no === n));
  if (unknown.length > 0) {
    throw new NotFoundError(
      'ORDER_LINE_NOT_FOUND',
      `Order ${id} has no line ${unknown.join(', ')}`,
      {
        id,
        lines: unknown,
      },
    );
  }
  if (new Set(wanted).size !== wanted.length) {
    throw new BadRequestError('DUPLICATE_LINE', 'Each line may appear once', { lines: wanted });
  }
}
