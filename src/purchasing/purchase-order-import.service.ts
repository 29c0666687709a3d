import { findItemIdsBySku } from '../catalogue/items.repository.js';
import { findLocationsByCode } from '../catalogue/locations.repository.js';
import type { Db } from '../db/schema.js';
import type { Actor, AppContext } from '../kernel/context.js';
import { insertPurchaseOrder } from './create-purchase-order.js';
import {
  type Catalogue,
  ImportInvalidError,
  type ImportResult,
  type ImportRow,
  type PlannedOrder,
  type ReadFile,
} from './purchase-order-import.js';
import { readPurchaseOrderCsv } from './purchase-order-import-csv.js';
import { planImport, sortErrors, summarise, toCreateBody } from './purchase-order-import-plan.js';
import { findExistingReferences, lockSuppliers } from './purchase-orders.repository.js';
import { findSupplierByCode } from './suppliers.repository.js';
import { unitCostFor } from './suppliers.service.js';

/**
 * Imports purchase orders from a CSV file (see purchase-order-import.ts for the format).
 * Every row is checked and every problem reported; if there is any, nothing is written.
 * Otherwise the orders are created as drafts, all in one transaction, exactly as
 * createPurchaseOrder would create them. A dry run checks and answers the same, writing
 * nothing.
 */
export async function importPurchaseOrders(
  ctx: AppContext,
  csv: string,
  options: { dryRun: boolean },
  actor: Actor,
): Promise<ImportResult> {
  const file = readPurchaseOrderCsv(csv);
  if (options.dryRun) {
    const orders = await checkFile(ctx.db, file, { lock: false });
    return { dryRun: true, orders: orders.map(summarise), rows: file.rowCount };
  }
  const at = ctx.clock.now();
  const orders = await ctx.db.transaction().execute(async (trx) => {
    // Checked again inside the transaction that writes, so what was checked is what is
    // written: no reference can appear, nor a supplier link vanish, in between.
    const planned = await checkFile(trx, file, { lock: true });
    const created = [];
    for (const order of planned) {
      const id = await insertPurchaseOrder(trx, toCreateBody(order), actor, at);
      created.push({ id, ...summarise(order) });
    }
    return created;
  });
  return { dryRun: false, orders, rows: file.rowCount };
}

/** The orders the file makes, or the 422 listing everything wrong with its rows. */
async function checkFile(
  db: Db,
  file: ReadFile,
  options: { lock: boolean },
): Promise<PlannedOrder[]> {
  const catalogue = await loadCatalogue(db, file.rows, options);
  const plan = planImport(file.rows, catalogue);
  const errors = sortErrors([...file.errors, ...plan.errors]);
  if (errors.length > 0) {
    throw new ImportInvalidError(errors, { rows: file.rowCount, orders: plan.orders.length });
  }
  return plan.orders;
}

/** Looks up every code the rows name, a bounded number of queries per distinct code. */
async function loadCatalogue(
  db: Db,
  rows: readonly ImportRow[],
  options: { lock: boolean },
): Promise<Catalogue> {
  const supplierIds = new Map<string, number>();
  for (const code of distinct(rows.map((r) => r.supplier))) {
    const supplier = await findSupplierByCode(db, code);
    if (supplier) supplierIds.set(code, supplier.id);
  }
  const locations = new Set<string>();
  for (const codes of chunks(distinct(rows.map((r) => r.location)))) {
    for (const location of await findLocationsByCode(db, codes)) locations.add(location.code);
  }
  const itemIds = new Map<string, number>();
  for (const skus of chunks(distinct(rows.map((r) => r.sku)))) {
    for (const [sku, id] of await findItemIdsBySku(db, skus)) itemIds.set(sku, id);
  }

  // Only rows that leave unit_cost empty need the supplier to list the item.
  const supplied = new Map<string, Map<string, boolean>>();
  for (const row of rows) {
    const supplierId = supplierIds.get(row.supplier);
    const itemId = itemIds.get(row.sku);
    if (!row.costFromSupplier || supplierId === undefined || itemId === undefined) continue;
    const skus = getOrCreate(supplied, row.supplier, () => new Map<string, boolean>());
    if (!skus.has(row.sku)) {
      skus.set(row.sku, (await unitCostFor(db, supplierId, itemId)) !== null);
    }
  }

  if (options.lock) await lockSuppliers(db, [...supplierIds.values()]);
  const existing = new Map<string, Set<string>>();
  for (const [code, supplierId] of supplierIds) {
    const references = distinct(rows.filter((r) => r.supplier === code).map((r) => r.reference));
    for (const part of chunks(references)) {
      for (const reference of await findExistingReferences(db, supplierId, part)) {
        getOrCreate(existing, code, () => new Set<string>()).add(reference);
      }
    }
  }

  return {
    hasSupplier: (code) => supplierIds.has(code),
    hasLocation: (code) => locations.has(code),
    hasSku: (sku) => itemIds.has(sku),
    supplies: (supplier, sku) => supplied.get(supplier)?.get(sku) ?? false,
    hasReference: (supplier, reference) => existing.get(supplier)?.has(reference) ?? false,
  };
}

const distinct = (values: readonly string[]) => [...new Set(values.filter((v) => v !== ''))];

/** Keeps `in (...)` lists well inside both databases' limits on bound parameters. */
function chunks<T>(values: readonly T[], size = 500): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < values.length; i += size) result.push(values.slice(i, i + size));
  return result;
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}
