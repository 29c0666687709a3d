import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { chunks } from './queue-change.js';

/** SQL that takes units off pegs as arrivals and cancellations use them up. */

export async function deletePeg(trx: Transaction<DB>, pegId: number): Promise<void> {
  await trx.deleteFrom('backorder_pegs').where('id', '=', pegId).execute();
}

export async function deletePegs(trx: Transaction<DB>, pegIds: readonly number[]): Promise<void> {
  for (const chunk of chunks(pegIds)) {
    await trx.deleteFrom('backorder_pegs').where('id', 'in', chunk).execute();
  }
}

export async function shrinkPegRow(
  trx: Transaction<DB>,
  pegId: number,
  quantity: number,
): Promise<void> {
  await trx
    .updateTable('backorder_pegs')
    .set((eb) => ({ quantity: eb('quantity', '-', quantity) }))
    .where('id', '=', pegId)
    .execute();
}
