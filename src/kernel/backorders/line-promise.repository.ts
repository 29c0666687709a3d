import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Confidence } from '../../domain/item-rules.js';
import { chunks } from './queue-change.js';

/** SQL that moves the counters and promise of waiting order lines. */

export interface LinePromiseValues {
  unpromised: number;
  promisedDate: string | null;
  confidence: Confidence | null;
}

export async function setLinePromise(
  trx: Transaction<DB>,
  lineId: number,
  promise: LinePromiseValues,
  now: string,
): Promise<void> {
  await trx
    .updateTable('order_lines')
    .set({
      quantity_unpromised: promise.unpromised,
      promised_date: promise.promisedDate,
      promise_confidence: promise.confidence,
      updated_at: now,
    })
    .where('id', '=', lineId)
    .execute();
}

export async function insertPromiseChange(
  trx: Transaction<DB>,
  change: {
    lineId: number;
    oldDate: string | null;
    newDate: string | null;
    oldConfidence: Confidence | null;
    newConfidence: Confidence | null;
    reason: string;
    now: string;
  },
): Promise<number> {
  const { id } = await trx
    .insertInto('promise_changes')
    .values({
      order_line_id: change.lineId,
      old_date: change.oldDate,
      new_date: change.newDate,
      old_confidence: change.oldConfidence,
      new_confidence: change.newConfidence,
      reason: change.reason,
      created_at: change.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(id);
}

/** One shape of fill shared by many lines, so they move in one statement per chunk. */
export interface LineFill {
  quantity: number;
  unpromisedTaken: number;
  /** Nothing left waiting after it. */
  done: boolean;
  preorder: boolean;
}

/** Moves filled units from waiting to allocated on every line in `lineIds`. */
export async function fillLines(
  trx: Transaction<DB>,
  lineIds: readonly number[],
  fill: LineFill,
  releaseDate: string | null,
  now: string,
): Promise<void> {
  const { quantity, unpromisedTaken, done, preorder } = fill;
  for (const chunk of chunks(lineIds)) {
    await trx
      .updateTable('order_lines')
      .set((eb) => ({
        quantity_allocated: eb('quantity_allocated', '+', quantity),
        quantity_backordered: eb('quantity_backordered', '-', quantity),
        quantity_unpromised: eb('quantity_unpromised', '-', unpromisedTaken),
        // Nothing left waiting: no promise, unless a preorder still ships on its release.
        ...(done &&
          (preorder && releaseDate !== null
            ? { promised_date: releaseDate, promise_confidence: 'confirmed' as const }
            : { promised_date: null, promise_confidence: null })),
        updated_at: now,
      }))
      .where('id', 'in', chunk)
      .execute();
  }
}

/** Reserved units of a line lost: they wait again, unpromised until the next re-plan. */
export async function returnToWaiting(
  trx: Transaction<DB>,
  lineId: number,
  quantity: number,
  now: string,
): Promise<void> {
  await trx
    .updateTable('order_lines')
    .set((eb) => ({
      quantity_allocated: eb('quantity_allocated', '-', quantity),
      quantity_backordered: eb('quantity_backordered', '+', quantity),
      quantity_unpromised: eb('quantity_unpromised', '+', quantity),
      updated_at: now,
    }))
    .where('id', '=', lineId)
    .execute();
}
