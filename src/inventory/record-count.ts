import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import { lockItems } from '../kernel/backorders/promise.repository.js';
import type { Actor, AppContext } from '../kernel/context.js';
import {
  type IdempotentRequest,
  transactionWithAnswer,
} from '../kernel/idempotency/idempotency.service.js';
import { toLedgerEntry, toStockLevel } from '../kernel/ledger/movement.js';
import type { StockKey } from '../kernel/ledger/stock.repository.js';
import * as repo from '../kernel/ledger/stock.repository.js';
import { ConflictError } from '../shared/errors.js';
import type { CountBody } from './stock.schemas.js';
import { makeRoom, resolveKey, settleQueue } from './stock-queue.js';

/**
 * Records a physical count. With `expected`, the count applies only if on_hand still
 * has that value (compare-and-set), so a count taken before a sale cannot erase it.
 */
export async function recordCount(
  ctx: AppContext,
  input: CountBody,
  actor: Actor,
  idempotency?: IdempotentRequest,
) {
  const now = ctx.clock.now().toISOString();
  return transactionWithAnswer(ctx, idempotency, async (trx) => {
    const key = await resolveKey(trx, input.sku, input.location);
    await lockItems(trx, [key.itemId]);
    await repo.ensureStockRow(trx, key, now);
    const change = { reason: `stock count at ${input.location}`, actor, now };
    if (input.releaseReservations) {
      const row = await repo.findStock(trx, key);
      // Only a count that will apply may release reservations.
      if (input.expected === undefined || row?.on_hand === input.expected) {
        await makeRoom(trx, key, input.quantity - (row?.on_hand ?? 0), change);
      }
    }
    const after = await repo.setCountedOnHand(trx, key, input.quantity, input.expected, now);
    if (!after) throw await countRefusal(trx, key, input);
    const entry = await repo.insertLedgerEntry(trx, {
      item_id: key.itemId,
      location_id: key.locationId,
      type: 'count',
      quantity: after.last_delta,
      on_hand_after: after.on_hand,
      reason: input.reason ?? 'stock count',
      reference: input.reference ?? null,
      actor,
      created_at: now,
    });
    return settleQueue(trx, key, after.last_delta, change, {
      stock: toStockLevel(input.sku, input.location, after),
      entry: toLedgerEntry(input.sku, input.location, entry),
    });
  });
}

/** Reads the row only to explain a refusal that the conditional update already decided. */
async function countRefusal(trx: Transaction<DB>, key: StockKey, input: CountBody) {
  const row = await repo.findStock(trx, key);
  const details = {
    sku: input.sku,
    location: input.location,
    counted: input.quantity,
    expected: input.expected ?? null,
    onHand: row?.on_hand ?? 0,
    reserved: row?.reserved ?? 0,
  };
  if (input.expected !== undefined && row?.on_hand !== input.expected) {
    return new ConflictError(
      'STALE_COUNT',
      `on_hand of ${input.sku} at ${input.location} is ${details.onHand}, not the expected ${input.expected}: recount or resend with the current value`,
      details,
    );
  }
  return new ConflictError(
    'COUNT_BELOW_RESERVED',
    `Counted ${input.quantity} but ${details.reserved} are reserved for orders at ${input.location}; release or move those orders first`,
    details,
  );
}
