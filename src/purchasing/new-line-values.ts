import { findItemIdsBySku } from '../catalogue/items.repository.js';
import type { Db } from '../db/schema.js';
import { addDays } from '../shared/dates.js';
import { BadRequestError, NotFoundError } from '../shared/errors.js';
import { toCents } from '../shared/money.js';
import type { NewLineBody } from './purchase-orders.schemas.js';
import { leadTimeFor, unitCostFor } from './suppliers.service.js';

/** The item ids of these SKUs, or ITEM_NOT_FOUND naming every unknown one. */
export async function resolveSkus(db: Db, skus: readonly string[]): Promise<Map<string, number>> {
  const ids = await findItemIdsBySku(db, [...new Set(skus)]);
  const missing = [...new Set(skus)].filter((sku) => !ids.has(sku));
  if (missing.length > 0) {
    throw new NotFoundError('ITEM_NOT_FOUND', `No item with SKU ${missing.join(', ')}`, {
      skus: missing,
    });
  }
  return ids;
}

/** Fills a new line's defaults from the supplier catalogue: unit cost, lead time. */
export async function newLineValues(
  db: Db,
  supplierId: number,
  itemIds: Map<string, number>,
  line: NewLineBody,
  today: string,
  now: string,
) {
  const itemId = itemIds.get(line.sku)!;
  const cost =
    line.unitCost !== undefined
      ? toCents(line.unitCost)
      : await unitCostFor(db, supplierId, itemId);
  if (cost === null) {
    throw new BadRequestError(
      'UNIT_COST_REQUIRED',
      `The supplier has no cost for ${line.sku}: give unitCost or link the item to the supplier`,
      { sku: line.sku },
    );
  }
  return {
    item_id: itemId,
    quantity_ordered: line.quantity,
    quantity_received: 0,
    quantity_cancelled: 0,
    unit_cost_cents: cost,
    expected_date: line.expectedDate ?? addDays(today, await leadTimeFor(db, supplierId, itemId)),
    first_expected_date: null,
    confidence: line.confidence ?? ('estimated' as const),
    completed_at: null,
    created_at: now,
    updated_at: now,
  };
}
