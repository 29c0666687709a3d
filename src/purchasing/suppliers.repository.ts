import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../db/schema.js';
import type { SupplierItemsTable, SuppliersTable } from '../db/tables/suppliers.js';

export type SupplierRow = Selectable<SuppliersTable>;

/** A supplier item with the codes that name it and the supplier's default lead time. */
export type SupplierItemRow = Selectable<SupplierItemsTable> & {
  supplier_code: string;
  supplier_lead_time_days: number;
  sku: string;
};

export function findSupplierByCode(db: Db, code: string): Promise<SupplierRow | undefined> {
  return db.selectFrom('suppliers').selectAll().where('code', '=', code).executeTakeFirst();
}

export function listSuppliers(
  db: Db,
  filter: { afterId: number; limit: number },
): Promise<SupplierRow[]> {
  return db
    .selectFrom('suppliers')
    .selectAll()
    .where('id', '>', filter.afterId)
    .orderBy('id')
    .limit(filter.limit)
    .execute();
}

export function listAllSuppliers(db: Db): Promise<SupplierRow[]> {
  return db.selectFrom('suppliers').selectAll().orderBy('id').execute();
}

export async function insertSupplier(db: Db, values: Insertable<SuppliersTable>): Promise<void> {
  await db.insertInto('suppliers').values(values).execute();
}

export async function updateSupplier(
  db: Db,
  code: string,
  values: Updateable<SuppliersTable>,
): Promise<number> {
  const result = await db
    .updateTable('suppliers')
    .set(values)
    .where('code', '=', code)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

function selectSupplierItems(db: Db) {
  return db
    .selectFrom('supplier_items')
    .innerJoin('suppliers', 'suppliers.id', 'supplier_items.supplier_id')
    .innerJoin('items', 'items.id', 'supplier_items.item_id')
    .selectAll('supplier_items')
    .select([
      'suppliers.code as supplier_code',
      'suppliers.lead_time_days as supplier_lead_time_days',
      'items.sku',
    ]);
}

export function findSupplierItem(
  db: Db,
  supplierId: number,
  itemId: number,
): Promise<SupplierItemRow | undefined> {
  return selectSupplierItems(db)
    .where('supplier_items.supplier_id', '=', supplierId)
    .where('supplier_items.item_id', '=', itemId)
    .executeTakeFirst();
}

/** One supplier's items, in item order: the cursor is the last item id seen. */
export function listSupplierItems(
  db: Db,
  filter: { supplierId: number; afterItemId: number; limit: number },
): Promise<SupplierItemRow[]> {
  return selectSupplierItems(db)
    .where('supplier_items.supplier_id', '=', filter.supplierId)
    .where('supplier_items.item_id', '>', filter.afterItemId)
    .orderBy('supplier_items.item_id')
    .limit(filter.limit)
    .execute();
}

/** Everyone who sells an item: the preferred supplier first, then in supplier order. */
export function listItemSuppliers(db: Db, itemId: number): Promise<SupplierItemRow[]> {
  return selectSupplierItems(db)
    .where('supplier_items.item_id', '=', itemId)
    .orderBy('supplier_items.preferred', 'desc')
    .orderBy('suppliers.id')
    .execute();
}

/** Creates the link or replaces everything but created_at. */
export async function upsertSupplierItem(
  db: Db,
  values: Insertable<SupplierItemsTable>,
): Promise<void> {
  await db
    .insertInto('supplier_items')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['supplier_id', 'item_id']).doUpdateSet({
        supplier_sku: values.supplier_sku,
        unit_cost_cents: values.unit_cost_cents,
        lead_time_days: values.lead_time_days,
        preferred: values.preferred,
        updated_at: values.updated_at,
      }),
    )
    .execute();
}

/**
 * Clears the preferred flag of an item's other suppliers. It must run before the new
 * preferred row is written: the partial unique index allows one preferred row per item
 * at every statement, not only at commit.
 */
export async function unpreferOtherSuppliers(
  db: Db,
  itemId: number,
  supplierId: number,
  updatedAt: string,
): Promise<void> {
  await db
    .updateTable('supplier_items')
    .set({ preferred: 0, updated_at: updatedAt })
    .where('item_id', '=', itemId)
    .where('supplier_id', '<>', supplierId)
    .where('preferred', '=', 1)
    .execute();
}

export async function deleteSupplierItem(
  db: Db,
  supplierId: number,
  itemId: number,
): Promise<number> {
  const result = await db
    .deleteFrom('supplier_items')
    .where('supplier_id', '=', supplierId)
    .where('item_id', '=', itemId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The lead time that applies to an item from a supplier; undefined if no such supplier. */
export async function findLeadTime(
  db: Db,
  supplierId: number,
  itemId: number,
): Promise<{ supplier: number; override: number | null } | undefined> {
  const row = await db
    .selectFrom('suppliers')
    .leftJoin('supplier_items', (join) =>
      join
        .onRef('supplier_items.supplier_id', '=', 'suppliers.id')
        .on('supplier_items.item_id', '=', itemId),
    )
    .select(['suppliers.lead_time_days as supplier', 'supplier_items.lead_time_days as override'])
    .where('suppliers.id', '=', supplierId)
    .executeTakeFirst();
  return row && { supplier: row.supplier, override: row.override ?? null };
}

export async function findUnitCostCents(
  db: Db,
  supplierId: number,
  itemId: number,
): Promise<number | null> {
  const row = await db
    .selectFrom('supplier_items')
    .select('unit_cost_cents')
    .where('supplier_id', '=', supplierId)
    .where('item_id', '=', itemId)
    .executeTakeFirst();
  return row?.unit_cost_cents ?? null;
}
