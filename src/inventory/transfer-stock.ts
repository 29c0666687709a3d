import { requireItem } from '../catalogue/items.service.js';
import { requireLocation } from '../catalogue/locations.service.js';
import type { Actor, AppContext } from '../kernel/context.js';
import {
  type IdempotentRequest,
  transactionWithAnswer,
} from '../kernel/idempotency/idempotency.service.js';
import { postMovement } from '../kernel/ledger/movement.js';
import { BadRequestError } from '../shared/errors.js';
import type { LedgerEntry, StockLevel, Transfer, TransferBody } from './stock.schemas.js';
import { insertTransfer } from './transfers.repository.js';

/**
 * Moves units between two locations at once (same building, or a move already made).
 * Both rows are touched in location-id order so that two opposite transfers cannot
 * deadlock on PostgreSQL.
 */
export async function transferStock(
  ctx: AppContext,
  input: TransferBody,
  actor: Actor,
  idempotency?: IdempotentRequest,
): Promise<Transfer> {
  if (input.from === input.to) {
    throw new BadRequestError('SAME_LOCATION', 'A transfer needs two different locations', {
      from: input.from,
      to: input.to,
    });
  }
  const now = ctx.clock.now().toISOString();
  const reason = input.reason ?? 'transfer';
  return transactionWithAnswer(ctx, idempotency, async (trx) => {
    const item = await requireItem(trx, input.sku);
    const from = await requireLocation(trx, input.from);
    const to = await requireLocation(trx, input.to);
    const source = { itemId: item.id, locationId: from.id };
    const target = { itemId: item.id, locationId: to.id };
    const moves = [
      { key: source, delta: -input.quantity, code: from.code, type: 'transfer_out' as const },
      { key: target, delta: input.quantity, code: to.code, type: 'transfer_in' as const },
    ].sort((a, b) => a.key.locationId - b.key.locationId);

    const id = await insertTransfer(trx, {
      item_id: item.id,
      from_location_id: from.id,
      to_location_id: to.id,
      quantity: input.quantity,
      quantity_received: input.quantity,
      state: 'completed',
      expected_date: null,
      received_at: now,
      reason,
      reference: input.reference ?? null,
      actor,
      created_at: now,
    });

    const results = new Map<string, { stock: StockLevel; entry: LedgerEntry }>();
    for (const move of moves) {
      const posted = await postMovement(trx, {
        key: move.key,
        sku: input.sku,
        location: move.code,
        type: move.type,
        delta: move.delta,
        reason,
        reference: input.reference ?? `transfer:${id}`,
        actor,
        now,
      });
      results.set(move.type, posted);
    }
    const out = results.get('transfer_out')!;
    const into = results.get('transfer_in')!;
    return {
      id,
      sku: input.sku,
      from: from.code,
      to: to.code,
      quantity: input.quantity,
      state: 'completed',
      reason,
      reference: input.reference ?? null,
      createdAt: now,
      stock: [out.stock, into.stock],
      entries: [out.entry, into.entry],
    };
  });
}
