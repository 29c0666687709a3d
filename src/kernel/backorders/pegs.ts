import type { Insertable, Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { BackorderPegsTable } from '../../db/tables/orders.js';
import type { Peg } from '../../domain/promising.js';
import { releaseLeadTimePromised } from './item-promises.repository.js';
import { deletePeg, deletePegs, shrinkPegRow } from './pegs.repository.js';
import * as repo from './promise.repository.js';

/**
 * Pegs tie a waiting line's units to the supply expected to fill them. Each supply's
 * promised counter is the sum of its pegs, and each item's lead-time total the sum of its
 * pegs on no supply: every change to pegs moves them too.
 */

export function pegValues(
  peg: Peg,
  lineId: number,
  itemId: number,
  fallbackLocationId: number,
  ids: ReadonlyMap<string, number>,
): Insertable<BackorderPegsTable> {
  return {
    order_line_id: lineId,
    item_id: itemId,
    location_id: peg.kind === 'supply' ? ids.get(peg.location)! : fallbackLocationId,
    purchase_order_line_id:
      peg.kind === 'supply' && peg.source.kind === 'purchase_order' ? peg.source.lineId : null,
    transfer_id:
      peg.kind === 'supply' && peg.source.kind === 'transfer' ? peg.source.transferId : null,
    quantity: peg.quantity,
    expected_date: peg.expectedDate,
    confidence: peg.confidence,
  };
}

/** The supply behind a peg, as domain/supply's supplyKey names it; null for a lead-time estimate. */
export function pegKey(peg: {
  purchase_order_line_id: number | null;
  transfer_id: number | null;
}): string | null {
  if (peg.purchase_order_line_id !== null) return `po_line:${peg.purchase_order_line_id}`;
  if (peg.transfer_id !== null) return `transfer:${peg.transfer_id}`;
  return null;
}

/** The lines whose pegs differ between two sets (added, removed or changed). */
export function linesRepegged(
  old: readonly repo.PegRow[],
  next: readonly Insertable<BackorderPegsTable>[],
): Set<number> {
  const signature = (rows: readonly Insertable<BackorderPegsTable>[]) => {
    const byLine = new Map<number, string[]>();
    for (const r of rows) {
      const fields = [r.location_id, r.purchase_order_line_id ?? null, r.transfer_id ?? null];
      const peg = JSON.stringify([...fields, r.quantity, r.expected_date, r.confidence]);
      byLine.set(Number(r.order_line_id), [...(byLine.get(Number(r.order_line_id)) ?? []), peg]);
    }
    return new Map([...byLine].map(([line, pegs]) => [line, pegs.sort().join('|')]));
  };
  const before = signature(old);
  const after = signature(next);
  const lines = new Set<number>();
  for (const line of new Set([...before.keys(), ...after.keys()])) {
    if (before.get(line) !== after.get(line)) lines.add(line);
  }
  return lines;
}

export function samePegs(
  old: readonly repo.PegRow[],
  next: readonly Insertable<BackorderPegsTable>[],
): boolean {
  if (old.length !== next.length) return false;
  return old.every((o, i) => {
    const n = next[i]!;
    return (
      o.order_line_id === n.order_line_id &&
      o.location_id === n.location_id &&
      o.purchase_order_line_id === n.purchase_order_line_id &&
      o.transfer_id === n.transfer_id &&
      o.quantity === n.quantity &&
      o.expected_date === n.expected_date &&
      o.confidence === n.confidence
    );
  });
}

/** Sets each supply's promised counter to the sum of its new pegs. */
export async function writePromisedCounters(
  trx: Transaction<DB>,
  oldPegs: readonly repo.PegRow[],
  newPegs: readonly Insertable<BackorderPegsTable>[],
): Promise<void> {
  const totals = new Map<string, number>();
  for (const peg of oldPegs) {
    const key = pegKey(peg);
    if (key !== null) totals.set(key, 0);
  }
  for (const peg of newPegs) {
    const key = pegKey({
      purchase_order_line_id: peg.purchase_order_line_id ?? null,
      transfer_id: peg.transfer_id ?? null,
    });
    if (key !== null) totals.set(key, (totals.get(key) ?? 0) + peg.quantity);
  }
  for (const [key, total] of [...totals].sort()) {
    const [kind, id] = key.split(':') as [string, string];
    const ok =
      kind === 'po_line'
        ? await repo.setOrderLinePromised(trx, Number(id), total)
        : await repo.setTransferPromised(trx, Number(id), total);
    // The plan was made from rows read under the item lock; a refusal means a bug.
    if (!ok) throw new Error(`Re-plan would promise ${total} from ${key}, more than it brings`);
  }
}

export interface PegTake {
  peg: repo.PegRow;
  take: number;
}

/**
 * Takes units off many pegs at once: pegs used up are deleted together, the rest shrunk
 * one by one (at most a few per fill), and each supply's promised counter drops once.
 */
export async function shrinkPegs(trx: Transaction<DB>, parts: readonly PegTake[]): Promise<void> {
  const byPeg = new Map<number, PegTake>();
  for (const { peg, take } of parts) {
    byPeg.set(peg.id, { peg, take: (byPeg.get(peg.id)?.take ?? 0) + take });
  }
  const takes = [...byPeg.values()];
  await deletePegs(
    trx,
    takes.filter((t) => t.take === t.peg.quantity).map((t) => t.peg.id),
  );
  for (const { peg, take } of takes.filter((t) => t.take < t.peg.quantity)) {
    await shrinkPegRow(trx, peg.id, take);
  }
  const released = new Map<string, number>();
  const leadTime = new Map<number, number>();
  for (const { peg, take } of takes) {
    const key = pegKey(peg);
    if (key !== null) released.set(key, (released.get(key) ?? 0) + take);
    else leadTime.set(peg.item_id, (leadTime.get(peg.item_id) ?? 0) + take);
  }
  for (const [key, quantity] of [...released].sort()) {
    const [kind, id] = key.split(':') as [string, string];
    const ok =
      kind === 'po_line'
        ? await repo.releaseOrderLinePromise(trx, Number(id), quantity)
        : await repo.releaseTransferPromise(trx, Number(id), quantity);
    if (!ok) throw new Error(`Pegs held more of ${key} than it had promised`);
  }
  // After supply, as placing moves them: supply counters, then the item's total.
  for (const [itemId, quantity] of [...leadTime].sort((a, b) => a[0] - b[0])) {
    if (!(await releaseLeadTimePromised(trx, itemId, quantity)))
      throw new Error(`Lead-time pegs of item ${itemId} held more than its total`);
  }
}

/** Takes units off a peg and off the promised counter of the supply behind it. */
export async function shrinkPeg(
  trx: Transaction<DB>,
  peg: repo.PegRow,
  quantity: number,
): Promise<void> {
  if (quantity === peg.quantity) await deletePeg(trx, peg.id);
  else await shrinkPegRow(trx, peg.id, quantity);
  const released =
    peg.purchase_order_line_id !== null
      ? await repo.releaseOrderLinePromise(trx, peg.purchase_order_line_id, quantity)
      : peg.transfer_id !== null
        ? await repo.releaseTransferPromise(trx, peg.transfer_id, quantity)
        : await releaseLeadTimePromised(trx, peg.item_id, quantity);
  if (!released) throw new Error(`Peg ${peg.id} held more than its supply had promised`);
}
