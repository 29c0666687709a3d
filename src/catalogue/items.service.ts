import type { Selectable } from 'kysely';
import { isUniqueViolation } from '../db/errors.js';
import type { Db } from '../db/schema.js';
import type { ItemsTable } from '../db/tables/items.js';
import { writeTransaction } from '../db/write-transaction.js';
import type { AppContext } from '../kernel/context.js';
import { recordEvent } from '../kernel/events/domain-events.js';
import { decodeCursor, type Page, toPage } from '../shared/cursor.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import { fromCents, toCents } from '../shared/money.js';
import {
  decodeChangedCursor,
  encodeChangedCursor,
  normaliseSince,
} from '../shared/updated-since.js';
import type { ItemRow } from './items.repository.js';
import * as repo from './items.repository.js';
import type { CreateItemBody, Item, ListItemsQuery, UpdateItemBody } from './items.schemas.js';

export function toItem(row: ItemRow): Item {
  return {
    sku: row.sku,
    name: row.name,
    category: row.category,
    tags: row.tags,
    price: fromCents(row.price_cents),
    status: row.status,
    releaseDate: row.release_date,
    backorderPolicy: row.backorder_policy,
    backorderCap: row.backorder_cap,
    lowStockThreshold: row.low_stock_threshold,
    handlingDays: row.handling_days,
    preordersEnabled: row.preorders_enabled === 1,
    serviceLevel: row.service_level,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function createItem(ctx: AppContext, input: CreateItemBody): Promise<Item> {
  const now = ctx.clock.now().toISOString();
  try {
    await ctx.db.transaction().execute((trx) =>
      repo.insertItem(
        trx,
        {
          sku: input.sku,
          name: input.name,
          category: input.category,
          price_cents: toCents(input.price),
          status: input.status ?? 'active',
          release_date: input.releaseDate ?? null,
          backorder_policy: input.backorderPolicy ?? 'incoming',
          backorder_cap: input.backorderCap ?? null,
          low_stock_threshold: input.lowStockThreshold ?? 0,
          handling_days: input.handlingDays ?? 0,
          preorders_enabled: input.preordersEnabled ? 1 : 0,
          service_level: input.serviceLevel ?? null,
          created_at: now,
          updated_at: now,
        },
        input.tags ?? [],
      ),
    );
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError('DUPLICATE_SKU', `An item with SKU ${input.sku} already exists`, {
        sku: input.sku,
      });
    }
    throw error;
  }
  return getItem(ctx, input.sku);
}

export async function getItem(ctx: AppContext, sku: string): Promise<Item> {
  return toItem(await requireItem(ctx.db, sku));
}

/** Finds an item by SKU or raises the 404 every capability uses for an unknown SKU. */
export async function requireItem(db: Db, sku: string): Promise<ItemRow> {
  const row = await repo.findItemBySku(db, sku);
  if (!row) throw new NotFoundError('ITEM_NOT_FOUND', `No item with SKU ${sku}`, { sku });
  return row;
}

export async function updateItem(
  ctx: AppContext,
  sku: string,
  input: UpdateItemBody,
  actor: string,
): Promise<Item> {
  await writeTransaction(ctx.db, async (trx) => {
    const item = await requireItem(trx, sku);
    const values: Partial<Selectable<ItemsTable>> = { updated_at: ctx.clock.now().toISOString() };
    if (input.name !== undefined) values.name = input.name;
    if (input.category !== undefined) values.category = input.category;
    if (input.price !== undefined) values.price_cents = toCents(input.price);
    if (input.status !== undefined) values.status = input.status;
    if (input.releaseDate !== undefined) values.release_date = input.releaseDate;
    if (input.backorderPolicy !== undefined) values.backorder_policy = input.backorderPolicy;
    if (input.backorderCap !== undefined) values.backorder_cap = input.backorderCap;
    if (input.lowStockThreshold !== undefined) values.low_stock_threshold = input.lowStockThreshold;
    if (input.handlingDays !== undefined) values.handling_days = input.handlingDays;
    if (input.preordersEnabled !== undefined)
      values.preorders_enabled = input.preordersEnabled ? 1 : 0;
    if (input.serviceLevel !== undefined) values.service_level = input.serviceLevel;
    await repo.updateItem(trx, item.id, values);
    if (input.tags !== undefined) await repo.replaceTags(trx, item.id, input.tags);
    if (item.status === 'active' && input.status === 'discontinued') {
      // Customers waiting for it and "notify me" subscribers hear, with alternatives.
      await recordEvent(trx, {
        type: 'item.discontinued',
        subject: `item:${item.sku}`,
        payload: { itemId: item.id, sku: item.sku },
        actor,
        now: values.updated_at!,
      });
    }
  });
  return getItem(ctx, sku);
}

export async function listItems(ctx: AppContext, query: ListItemsQuery): Promise<Page<Item>> {
  const filters = {
    limit: query.limit + 1,
    ...(query.category !== undefined && { category: query.category }),
    ...(query.status !== undefined && { status: query.status }),
    ...(query.tag !== undefined && { tag: query.tag }),
  };
  if (query.updatedSince !== undefined) {
    const after = decodeChangedCursor(query.cursor, 1);
    const rows = await repo.listItems(ctx.db, {
      ...filters,
      afterId: 0,
      since: normaliseSince(query.updatedSince),
      ...(after && { changedAfter: [after.updatedAt, after.key[0]!] }),
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map(toItem),
      nextCursor:
        rows.length > query.limit && last ? encodeChangedCursor(last.updated_at, last.id) : null,
    };
  }
  const [afterId = 0] = decodeCursor(query.cursor);
  const rows = await repo.listItems(ctx.db, { ...filters, afterId });
  return toPage(rows, query.limit, toItem, (row) => [row.id]);
}

export async function listCategories(ctx: AppContext) {
  return { items: await repo.listCategories(ctx.db) };
}
