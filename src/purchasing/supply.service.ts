import { requireItem } from '../catalogue/items.service.js';
import { listAllLocations } from '../catalogue/locations.repository.js';
import { requireLocation } from '../catalogue/locations.service.js';
import type { Db } from '../db/schema.js';
import { type SupplyLine, summariseSupply } from '../domain/supply.js';
import type { AppContext } from '../kernel/context.js';
import { incomingSupply, supplyRows } from '../kernel/supply/incoming-supply.js';
import { itemBatch } from '../kernel/supply/supply.repository.js';
import type { Supply } from './supply.schemas.js';

/** The supply read API (GET /v1/supply and its CSV export) over the kernel's incoming-supply model. */

async function locationIdsFor(db: Db, location: string | undefined) {
  if (location !== undefined) {
    const row = await requireLocation(db, location);
    return { code: row.code, ids: [row.id] };
  }
  const all = await listAllLocations(db);
  return { code: null, ids: all.map((l) => l.id) };
}

function toSupplyLines(lines: readonly SupplyLine[]): Supply['lines'] {
  return lines.map((line) => ({
    expectedDate: line.expectedDate,
    quantity: line.open,
    confidence: line.confidence,
    location: line.location,
    source: line.source,
  }));
}

/** GET /v1/supply: what is on its way for one item, at one location or at all of them. */
export async function getSupply(
  ctx: AppContext,
  query: { sku: string; location?: string | undefined },
): Promise<Supply> {
  const item = await requireItem(ctx.db, query.sku);
  const locations = await locationIdsFor(ctx.db, query.location);
  const summary = summariseSupply(await incomingSupply(ctx.db, item.id, locations.ids));
  return {
    sku: item.sku,
    location: locations.code,
    total: summary.total,
    nextExpectedDate: summary.nextExpectedDate,
    lines: toSupplyLines(summary.lines),
  };
}

const EXPORT_BATCH = 2000;

/**
 * Every open supply line of every item, item by item (in id order) and in promise order
 * within an item, a batch of items per round trip so the export streams in constant
 * memory. The location must be resolved before the first row is sent.
 */
export async function supplyExport(
  ctx: AppContext,
  filter: { location?: string | undefined },
): Promise<AsyncGenerator<{ sku: string; line: SupplyLine }>> {
  const locations = await locationIdsFor(ctx.db, filter.location);
  return exportRows(ctx.db, locations.ids);
}

async function* exportRows(db: Db, locationIds: readonly number[]) {
  let afterId = 0;
  for (;;) {
    const items = await itemBatch(db, afterId, EXPORT_BATCH);
    if (items.length === 0) return;
    const first = items[0]!.id;
    const last = items.at(-1)!.id;
    const byItem = new Map<number, SupplyLine[]>();
    for (const { itemId, line } of await supplyRows(db, {
      firstItemId: first,
      lastItemId: last,
      locationIds,
    })) {
      const list = byItem.get(itemId);
      if (list) list.push(line);
      else byItem.set(itemId, [line]);
    }
    for (const item of items) {
      const lines = byItem.get(item.id);
      if (!lines) continue;
      for (const line of summariseSupply(lines).lines) yield { sku: item.sku, line };
    }
    afterId = last;
    if (items.length < EXPORT_BATCH) return;
  }
}
