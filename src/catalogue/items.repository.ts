import type { Selectable } from 'kysely';
import type { Db } from '../db/schema.js';
import type { ItemsTable } from '../db/tables/items.js';

export type ItemRow = Selectable<ItemsTable> & { tags: string[] };

export async function findItemBySku(db: Db, sku: string): Promise<ItemRow | undefined> {
  const row = await db.selectFrom('items').selectAll().where('sku', '=', sku).executeTakeFirst();
  if (!row) return undefined;
  const [withTags] = await attachTags(db, [row]);
  return withTags;
}

export async function findItemIdsBySku(db: Db, skus: readonly string[]) {
  if (skus.length === 0) return new Map<string, number>();
  const rows = await db
    .selectFrom('items')
    .select(['id', 'sku'])
    .where('sku', 'in', skus)
    .execute();
  return new Map(rows.map((r) => [r.sku, r.id]));
}

export interface ItemFilter {
  afterId: number;
  limit: number;
  /** Changed at or after this (stored timestamp text): ordered by (updated_at, id) then. */
  since?: string;
  /** With `since`: the last (updated_at, id) of the previous page. */
  changedAfter?: [string, number];
  category?: string;
  status?: string;
  tag?: string;
}

export async function listItems(db: Db, filter: ItemFilter): Promise<ItemRow[]> {
  let query = db.selectFrom('items').selectAll('items').limit(filter.limit);
  if (filter.since === undefined) {
    query = query.where('items.id', '>', filter.afterId).orderBy('items.id');
  } else {
    const after = filter.changedAfter;
    query = query
      .where('items.updated_at', '>=', filter.since)
      .$if(after !== undefined, (q) =>
        q.where((eb) =>
          eb(eb.refTuple('items.updated_at', 'items.id'), '>', eb.tuple(after![0], after![1])),
        ),
      )
      .orderBy('items.updated_at')
      .orderBy('items.id');
  }
  if (filter.category !== undefined) query = query.where('items.category', '=', filter.category);
  if (filter.status !== undefined)
    query = query.where('items.status', '=', filter.status as ItemRow['status']);
  if (filter.tag !== undefined) {
    const tag = filter.tag;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('item_tags')
          .select('item_tags.item_id')
          .whereRef('item_tags.item_id', '=', 'items.id')
          .where('item_tags.tag', '=', tag),
      ),
    );
  }
  return attachTags(db, await query.execute());
}

async function attachTags(db: Db, rows: Selectable<ItemsTable>[]): Promise<ItemRow[]> {
  if (rows.length === 0) return [];
  const tags = await db
    .selectFrom('item_tags')
    .select(['item_id', 'tag'])
    .where(
      'item_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('tag')
    .execute();
  const byItem = new Map<number, string[]>();
  for (const { item_id, tag } of tags) {
    const list = byItem.get(item_id) ?? [];
    list.push(tag);
    byItem.set(item_id, list);
  }
  return rows.map((row) => ({ ...row, tags: byItem.get(row.id) ?? [] }));
}

export async function insertItem(
  db: Db,
  values: Omit<Selectable<ItemsTable>, 'id'>,
  tags: readonly string[],
): Promise<number> {
  const { id } = await db
    .insertInto('items')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  await replaceTags(db, id, tags);
  return id;
}

export async function updateItem(
  db: Db,
  id: number,
  values: Partial<Omit<Selectable<ItemsTable>, 'id' | 'sku' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('items').set(values).where('id', '=', id).execute();
}

export async function replaceTags(db: Db, itemId: number, tags: readonly string[]): Promise<void> {
  await db.deleteFrom('item_tags').where('item_id', '=', itemId).execute();
  if (tags.length > 0) {
    await db
      .insertInto('item_tags')
      .values([...new Set(tags)].map((tag) => ({ item_id: itemId, tag })))
      .execute();
  }
}

/** Every category in use, with how many items carry it, by name. */
export async function listCategories(db: Db): Promise<{ category: string; items: number }[]> {
  const rows = await db
    .selectFrom('items')
    .select((eb) => ['category', eb.fn.countAll<number | string>().as('items')])
    .groupBy('category')
    .orderBy('category')
    .execute();
  // PostgreSQL counts as bigint, which pg hands over as text.
  return rows.map((row) => ({ category: row.category, items: Number(row.items) }));
}
