import type { Updateable } from 'kysely';
import { requireItem } from '../catalogue/items.service.js';
import { isUniqueViolation } from '../db/errors.js';
import type { Db } from '../db/schema.js';
import type { SuppliersTable } from '../db/tables/suppliers.js';
import type { AppContext } from '../kernel/context.js';
import { decodeCursor, type Page, toPage } from '../shared/cursor.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { fromCents, toCents } from '../shared/money.js';
import type { SupplierItemRow, SupplierRow } from './suppliers.repository.js';
import * as repo from './suppliers.repository.js';
import type {
  CreateSupplierBody,
  ItemSuppliers,
  ListSupplierItemsQuery,
  ListSuppliersQuery,
  PutSupplierItemBody,
  Supplier,
  SupplierItem,
  UpdateSupplierBody,
} from './suppliers.schemas.js';

export function toSupplier(row: SupplierRow): Supplier {
  return {
    code: row.code,
    name: row.name,
    email: row.email,
    leadTimeDays: row.lead_time_days,
    minOrderQuantity: row.min_order_quantity,
    casePack: row.case_pack,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toSupplierItem(row: SupplierItemRow): SupplierItem {
  return {
    supplier: row.supplier_code,
    sku: row.sku,
    supplierSku: row.supplier_sku,
    unitCost: fromCents(row.unit_cost_cents),
    leadTimeDays: row.lead_time_days,
    effectiveLeadTimeDays: row.lead_time_days ?? row.supplier_lead_time_days,
    preferred: row.preferred === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const supplierNotFound = (code: string) =>
  new NotFoundError('SUPPLIER_NOT_FOUND', `No supplier with code ${code}`, { code });

export async function createSupplier(
  ctx: AppContext,
  input: CreateSupplierBody,
): Promise<Supplier> {
  const now = ctx.clock.now().toISOString();
  try {
    await repo.insertSupplier(ctx.db, {
      code: input.code,
      name: input.name,
      email: input.email,
      lead_time_days: input.leadTimeDays,
      min_order_quantity: input.minOrderQuantity ?? 1,
      case_pack: input.casePack ?? 1,
      created_at: now,
      updated_at: now,
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError(
        'DUPLICATE_SUPPLIER',
        `A supplier with code ${input.code} already exists`,
        { code: input.code },
      );
    }
    throw error;
  }
  return getSupplier(ctx, input.code);
}

/** Finds a supplier by code or raises the 404 every capability uses for an unknown one. */
export async function requireSupplier(db: Db, code: string): Promise<SupplierRow> {
  const row = await repo.findSupplierByCode(db, code);
  if (!row) throw supplierNotFound(code);
  return row;
}

export async function getSupplier(ctx: AppContext, code: string): Promise<Supplier> {
  return toSupplier(await requireSupplier(ctx.db, code));
}

export async function updateSupplier(
  ctx: AppContext,
  code: string,
  input: UpdateSupplierBody,
): Promise<Supplier> {
  const values: Updateable<SuppliersTable> = { updated_at: ctx.clock.now().toISOString() };
  if (input.name !== undefined) values.name = input.name;
  if (input.email !== undefined) values.email = input.email;
  if (input.leadTimeDays !== undefined) values.lead_time_days = input.leadTimeDays;
  if (input.minOrderQuantity !== undefined) values.min_order_quantity = input.minOrderQuantity;
  if (input.casePack !== undefined) values.case_pack = input.casePack;
  if ((await repo.updateSupplier(ctx.db, code, values)) === 0) throw supplierNotFound(code);
  return getSupplier(ctx, code);
}

export async function listSuppliers(
  ctx: AppContext,
  query: ListSuppliersQuery,
): Promise<Page<Supplier>> {
  const [afterId = 0] = decodeCursor(query.cursor);
  const rows = await repo.listSuppliers(ctx.db, { afterId, limit: query.limit + 1 });
  return toPage(rows, query.limit, toSupplier, (row) => [row.id]);
}

/**
 * Links an item to a supplier, or replaces the link. Making this supplier preferred
 * un-prefers the item's other supplier in the same transaction, so there is never a
 * moment with two preferred suppliers or with the old one lost and the new one not set.
 */
export async function putSupplierItem(
  ctx: AppContext,
  code: string,
  sku: string,
  input: PutSupplierItemBody,
): Promise<SupplierItem> {
  const now = ctx.clock.now().toISOString();
  const preferred = input.preferred ?? false;
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const supplier = await requireSupplier(trx, code);
      const item = await requireItem(trx, sku);
      if (preferred) await repo.unpreferOtherSuppliers(trx, item.id, supplier.id, now);
      await repo.upsertSupplierItem(trx, {
        supplier_id: supplier.id,
        item_id: item.id,
        supplier_sku: input.supplierSku ?? null,
        unit_cost_cents: toCents(input.unitCost),
        lead_time_days: input.leadTimeDays ?? null,
        preferred: preferred ? 1 : 0,
        created_at: now,
        updated_at: now,
      });
      return toSupplierItem((await repo.findSupplierItem(trx, supplier.id, item.id))!);
    });
  } catch (error) {
    // The primary key cannot clash (the upsert handles it), so this is the one-preferred
    // index: another request made a different supplier preferred at the same moment.
    if (isUniqueViolation(error)) {
      throw new ConflictError(
        'PREFERRED_SUPPLIER_CONFLICT',
        `Another supplier of ${sku} was made preferred at the same time; try again`,
        { supplier: code, sku },
      );
    }
    throw error;
  }
}

export async function removeSupplierItem(
  ctx: AppContext,
  code: string,
  sku: string,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const supplier = await requireSupplier(trx, code);
    const item = await requireItem(trx, sku);
    if ((await repo.deleteSupplierItem(trx, supplier.id, item.id)) === 0) {
      throw new NotFoundError('SUPPLIER_ITEM_NOT_FOUND', `Supplier ${code} does not sell ${sku}`, {
        supplier: code,
        sku,
      });
    }
  });
}

export async function listSupplierItems(
  ctx: AppContext,
  code: string,
  query: ListSupplierItemsQuery,
): Promise<Page<SupplierItem>> {
  const [afterItemId = 0] = decodeCursor(query.cursor);
  const supplier = await requireSupplier(ctx.db, code);
  const rows = await repo.listSupplierItems(ctx.db, {
    supplierId: supplier.id,
    afterItemId,
    limit: query.limit + 1,
  });
  return toPage(rows, query.limit, toSupplierItem, (row) => [row.item_id]);
}

export async function listItemSuppliers(ctx: AppContext, sku: string): Promise<ItemSuppliers> {
  const item = await requireItem(ctx.db, sku);
  return { items: (await repo.listItemSuppliers(ctx.db, item.id)).map(toSupplierItem) };
}

/**
 * Days from sending an order to the goods arriving: the item's override at this supplier,
 * else the supplier's lead time (also when the supplier does not list the item).
 */
export async function leadTimeFor(db: Db, supplierId: number, itemId: number): Promise<number> {
  const found = await repo.findLeadTime(db, supplierId, itemId);
  if (!found) {
    throw new NotFoundError('SUPPLIER_NOT_FOUND', `No supplier with id ${supplierId}`, {
      supplierId,
    });
  }
  return found.override ?? found.supplier;
}

/** What one unit costs from this supplier, in cents; null if the supplier does not list it. */
export function unitCostFor(db: Db, supplierId: number, itemId: number): Promise<number | null> {
  return repo.findUnitCostCents(db, supplierId, itemId);
}
