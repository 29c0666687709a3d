import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { Confidence } from '../domain/item-rules.js';

/** What changing a placed order writes to its lines. SQL only. */

export interface LineGrowth {
  /** Units added to the line's quantity... */
  by: number;
  /** ...of which reserved now, the rest waiting (backordered). */
  allocated: number;
  backordered: number;
  /** Set when units now wait: the promise covering all of them. */
  promise?: { date: string | null; confidence: Confidence | null };
}

/** A line grows: its quantity and the counters the new units land in, together (the CHECK). */
export async function growLine(
  trx: Transaction<DB>,
  lineId: number,
  growth: LineGrowth,
  now: string,
): Promise<void> {
  await trx
    .updateTable('order_lines')
    .set((eb) => ({
      quantity: eb('quantity', '+', growth.by),
      quantity_allocated: eb('quantity_allocated', '+', growth.allocated),
      quantity_backordered: eb('quantity_backordered', '+', growth.backordered),
      ...(growth.promise && {
        promised_date: growth.promise.date,
        promise_confidence: growth.promise.confidence,
      }),
      updated_at: now,
    }))
    .where('id', '=', lineId)
    .execute();
}

/**
 * Cancelled units of a line reserved again, only if the line still has that many
 * cancelled (the order lock makes this certain; the condition keeps it so). `promise` is
 * set for a preorder taking back its release date.
 */
export async function uncancelOnLine(
  trx: Transaction<DB>,
  lineId: number,
  quantity: number,
  promise: { date: string; confidence: Confidence } | undefined,
  now: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('order_lines')
    .set((eb) => ({
      quantity_cancelled: eb('quantity_cancelled', '-', quantity),
      quantity_allocated: eb('quantity_allocated', '+', quantity),
      ...(promise && { promised_date: promise.date, promise_confidence: promise.confidence }),
      updated_at: now,
    }))
    .where('id', '=', lineId)
    .where('quantity_cancelled', '>=', quantity)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/**
 * Lines of the item placed after `lineId` with units waiting: customers an increase's
 * waiting units would overtake, since a line's units share its place in the queue.
 */
export async function waitingBehind(
  trx: Transaction<DB>,
  itemId: number,
  lineId: number,
): Promise<number> {
  const row = await trx
    .selectFrom('order_lines')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('item_id', '=', itemId)
    .where('id', '>', lineId)
    .where('quantity_backordered', '>', 0)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
