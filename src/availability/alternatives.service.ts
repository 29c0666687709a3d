import { requireItem } from '../catalogue/items.service.js';
import type { Db } from '../db/schema.js';
import { compareLinks, priceBandCents, rankAlternatives } from '../domain/alternatives.js';
import type { AppContext } from '../kernel/context.js';
import { BadRequestError, NotFoundError } from '../shared/errors.js';
import { fromCents } from '../shared/money.js';
import type { AlternativeRow, LinkRow, SubjectRow } from './alternatives.repository.js';
import * as repo from './alternatives.repository.js';
import {
  type Alternative,
  type Alternatives,
  type AlternativesQuery,
  DEFAULT_ALTERNATIVES,
  type ItemLink,
  type ItemLinks,
  MAX_ALTERNATIVES,
  type PutItemLinkBody,
} from './alternatives.schemas.js';
import { getItemAvailability, resolveScope } from './availability.service.js';

export type { Alternative } from './alternatives.schemas.js';

function toItemLink(sku: string, row: LinkRow): ItemLink {
  return { sku, linkedSku: row.sku, kind: row.kind, createdAt: row.created_at };
}

/**
 * Links `sku` to `linkedSku` as its alternative, or changes the link's kind. `created`
 * tells the route to answer 201 rather than 200. A link keeps its creation time when its
 * kind changes, so its place among the item's links stays where it was.
 */
export async function putItemLink(
  ctx: AppContext,
  sku: string,
  linkedSku: string,
  input: PutItemLinkBody,
): Promise<{ created: boolean; link: ItemLink }> {
  // Before any read: the database's CHECK would refuse it too, but as a 409, not a 400.
  if (sku === linkedSku) {
    throw new BadRequestError('SELF_LINK', `An item cannot be its own alternative (${sku})`, {
      sku,
    });
  }
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const item = await requireItem(trx, sku);
    const linked = await requireItem(trx, linkedSku);
    const created = await repo.putLink(trx, {
      item_id: item.id,
      linked_item_id: linked.id,
      kind: input.kind,
      created_at: now,
    });
    const row = await repo.findLink(trx, item.id, linked.id);
    return {
      created,
      link: { sku, linkedSku, kind: row.kind, createdAt: row.created_at },
    };
  });
}

export async function removeItemLink(
  ctx: AppContext,
  sku: string,
  linkedSku: string,
): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const item = await requireItem(trx, sku);
    const linked = await requireItem(trx, linkedSku);
    if ((await repo.deleteLink(trx, item.id, linked.id)) === 0) {
      throw new NotFoundError('LINK_NOT_FOUND', `${sku} has no link to ${linkedSku}`, {
        sku,
        linkedSku,
      });
    }
  });
}

/** An item's links in the order alternatives offers them. */
export async function listItemLinks(ctx: AppContext, sku: string): Promise<ItemLinks> {
  const item = await requireItem(ctx.db, sku);
  const rows = await repo.linkedItems(ctx.db, item.id, []);
  rows.sort((a, b) =>
    compareLinks(
      { kind: a.kind, createdAt: a.created_at, sku: a.sku },
      { kind: b.kind, createdAt: b.created_at, sku: b.sku },
    ),
  );
  return { items: rows.map((row) => toItemLink(sku, row)) };
}

/**
 * How many ranked candidates are checked for availability at most, however many fail:
 * it keeps the answer to a bounded number of reads when a whole category is sold out.
 */
export const MAX_CANDIDATES_CHECKED = 100;

export interface FindAlternativesInput {
  itemId: number;
  /** Channel code; the answer is for that channel's locations. */
  channel: string;
  /** Units wanted (≥ 1): an alternative must be purchasable in this quantity. */
  quantity: number;
  /** Default 5, at most 20. */
  limit?: number;
}

/**
 * Items to offer instead of `itemId` on `channel`, best first, each purchasable there
 * in the quantity asked for (see src/domain/alternatives.ts for the order). Every read
 * goes through `db`, never `ctx.db`, so a use case may call this inside its own
 * transaction (on SQLite a read through ctx.db there would wait for the transaction's
 * own connection). Raises ITEM_NOT_FOUND and CHANNEL_NOT_FOUND.
 */
export async function findAlternatives(
  db: Db,
  ctx: AppContext,
  input: FindAlternativesInput,
): Promise<Alternative[]> {
  const item = await repo.findSubjectById(db, input.itemId);
  if (!item) {
    throw new NotFoundError('ITEM_NOT_FOUND', `No item with id ${input.itemId}`, {
      itemId: input.itemId,
    });
  }
  return alternativesOf(db, ctx, item, input);
}

/** GET /v1/items/{sku}/alternatives */
export async function listAlternatives(
  ctx: AppContext,
  sku: string,
  query: AlternativesQuery,
): Promise<Alternatives> {
  const item = await requireItem(ctx.db, sku);
  return { items: await alternativesOf(ctx.db, ctx, item, query) };
}

async function alternativesOf(
  db: Db,
  ctx: AppContext,
  item: SubjectRow,
  input: { channel: string; quantity: number; limit?: number },
): Promise<Alternative[]> {
  if (!Number.isInteger(input.quantity) || input.quantity < 1) {
    throw new RangeError(`quantity must be a positive integer, got ${input.quantity}`);
  }
  const limit = Math.min(Math.max(1, input.limit ?? DEFAULT_ALTERNATIVES), MAX_ALTERNATIVES);
  // An unknown channel is a 404 even when there is nothing to offer. Through the app's
  // channel cache when the context has one (a quote's refused line); a message's context
  // has none and reads through `db`.
  await resolveScope(db, { channel: input.channel }, ctx.channels);

  const band = priceBandCents(item.price_cents);
  const links = await repo.linkedItems(db, item.id, item.tags);
  const candidates = await repo.similarCandidates(db, {
    excludeId: item.id,
    category: item.category,
    minCents: band.min,
    maxCents: band.max,
    tags: item.tags,
  });
  const ranked = rankAlternatives({
    item: {
      id: item.id,
      sku: item.sku,
      category: item.category,
      priceCents: item.price_cents,
      tags: item.tags,
    },
    links: links.map((row) => ({ item: toRanked(row), kind: row.kind, createdAt: row.created_at })),
    candidates: candidates.map(toRanked),
  });

  // The availability service decides what is purchasable, with the same rules as
  // GET /v1/availability/{sku}; it reads through the context's db, so hand it ours.
  const scoped: AppContext = { ...ctx, db };
  const found: Alternative[] = [];
  for (const { item: candidate, reason, sharedTags } of ranked.slice(0, MAX_CANDIDATES_CHECKED)) {
    const availability = await getItemAvailability(
      scoped,
      candidate.sku,
      { channel: input.channel },
      input.quantity,
    );
    if (!availability.purchasable) continue;
    found.push({
      sku: candidate.sku,
      name: candidate.row.name,
      category: candidate.category,
      price: fromCents(candidate.priceCents),
      reason,
      sharedTags,
      availability,
    });
    if (found.length === limit) break;
  }
  return found;
}

function toRanked(row: AlternativeRow) {
  return {
    id: row.id,
    sku: row.sku,
    category: row.category,
    priceCents: row.price_cents,
    tags: row.tags,
    row,
  };
}
