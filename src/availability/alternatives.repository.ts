import type { Db } from '../db/schema.js';
import type { ItemLinkKind } from '../db/tables/orders.js';

/** Reads and writes for item links and alternatives. SQL only; the ranking is in src/domain. */

export interface AlternativeRow {
  id: number;
  sku: string;
  name: string;
  category: string;
  price_cents: number;
  tags: string[];
}

export interface LinkRow extends AlternativeRow {
  kind: ItemLinkKind;
  created_at: string;
}

export interface SubjectRow {
  id: number;
  sku: string;
  category: string;
  price_cents: number;
  tags: string[];
}

export async function findSubjectById(db: Db, id: number): Promise<SubjectRow | undefined> {
  const row = await db
    .selectFrom('items')
    .select(['id', 'sku', 'category', 'price_cents'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const tags = await db
    .selectFrom('item_tags')
    .select('tag')
    .where('item_id', '=', id)
    .orderBy('tag')
    .execute();
  return { ...row, tags: tags.map((t) => t.tag) };
}

/**
 * Creates the link, or changes its kind if it exists; true when it was created. Insert
 * first and update on conflict, so two requests racing to create the same link both
 * succeed (one creates, one updates) instead of one failing on the primary key.
 */
export async function putLink(
  db: Db,
  values: { item_id: number; linked_item_id: number; kind: ItemLinkKind; created_at: string },
): Promise<boolean> {
  const inserted = await db
    .insertInto('item_links')
    .values(values)
    .onConflict((oc) => oc.columns(['item_id', 'linked_item_id']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return true;
  await db
    .updateTable('item_links')
    .set({ kind: values.kind })
    .where('item_id', '=', values.item_id)
    .where('linked_item_id', '=', values.linked_item_id)
    .execute();
  return false;
}

export function findLink(db: Db, itemId: number, linkedItemId: number) {
  return db
    .selectFrom('item_links')
    .select(['kind', 'created_at'])
    .where('item_id', '=', itemId)
    .where('linked_item_id', '=', linkedItemId)
    .executeTakeFirstOrThrow();
}

export async function deleteLink(db: Db, itemId: number, linkedItemId: number): Promise<number> {
  const result = await db
    .deleteFrom('item_links')
    .where('item_id', '=', itemId)
    .where('linked_item_id', '=', linkedItemId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * The items an item links to, with the tags they share with `sharedWith` (not all their
 * tags: that is all the ranking looks at). Unordered; the domain orders links.
 */
export async function linkedItems(
  db: Db,
  itemId: number,
  sharedWith: readonly string[],
): Promise<LinkRow[]> {
  const rows = await db
    .selectFrom('item_links')
    .innerJoin('items', 'items.id', 'item_links.linked_item_id')
    .select([
      'items.id',
      'items.sku',
      'items.name',
      'items.category',
      'items.price_cents',
      'item_links.kind',
      'item_links.created_at',
    ])
    .where('item_links.item_id', '=', itemId)
    .execute();
  if (rows.length === 0 || sharedWith.length === 0) return rows.map((r) => ({ ...r, tags: [] }));
  const tags = await db
    .selectFrom('item_tags')
    .select(['item_id', 'tag'])
    .where(
      'item_id',
      'in',
      rows.map((r) => r.id),
    )
    .where('tag', 'in', sharedWith)
    .execute();
  const byItem = groupTags(tags);
  return rows.map((r) => ({ ...r, tags: byItem.get(r.id) ?? [] }));
}

/**
 * Candidates for "similar": items of the category, priced within [minCents, maxCents],
 * with at least one of `tags`, each with the tags of `tags` it has. The category
 * predicate walks items_category_idx, so the read is bounded by the category's size
 * whatever the catalogue's; the item's own tags (at most 20) bound the tag lookup.
 */
export async function similarCandidates(
  db: Db,
  filter: {
    excludeId: number;
    category: string;
    minCents: number;
    maxCents: number;
    tags: readonly string[];
  },
): Promise<AlternativeRow[]> {
  if (filter.tags.length === 0) return [];
  const rows = await db
    .selectFrom('items')
    .innerJoin('item_tags', 'item_tags.item_id', 'items.id')
    .select([
      'items.id',
      'items.sku',
      'items.name',
      'items.category',
      'items.price_cents',
      'item_tags.tag',
    ])
    .where('items.category', '=', filter.category)
    .where('items.id', '<>', filter.excludeId)
    .where('items.price_cents', '>=', filter.minCents)
    .where('items.price_cents', '<=', filter.maxCents)
    .where('item_tags.tag', 'in', filter.tags)
    .orderBy('items.id')
    .execute();
  const candidates = new Map<number, AlternativeRow>();
  for (const { tag, ...item } of rows) {
    const known = candidates.get(item.id);
    if (known) known.tags.push(tag);
    else candidates.set(item.id, { ...item, tags: [tag] });
  }
  return [...candidates.values()];
}

function groupTags(rows: readonly { item_id: number; tag: string }[]): Map<number, string[]> {
  const byItem = new Map<number, string[]>();
  for (const { item_id, tag } of rows) {
    const list = byItem.get(item_id);
    if (list) list.push(tag);
    else byItem.set(item_id, [tag]);
  }
  return byItem;
}
