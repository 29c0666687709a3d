import { requireChannel } from '../catalogue/channels.service.js';
import { findItemIdsBySku } from '../catalogue/items.repository.js';
import { requireItem } from '../catalogue/items.service.js';
import { listAllLocations } from '../catalogue/locations.repository.js';
import { requireLocation } from '../catalogue/locations.service.js';
import type { Db } from '../db/schema.js';
import {
  type Availability,
  type AvailabilityState,
  availableAt,
  decideAvailability,
  type LocationStock,
} from '../domain/availability.js';
import { summariseSupply } from '../domain/supply.js';
import { incomingSupply, incomingTotals, type SupplyTotals } from '../purchasing/supply.service.js';
import type { AppContext } from '../shared/context.js';
import { decodeCursor, encodeCursor, type Page } from '../shared/cursor.js';
import { BadRequestError, NotFoundError } from '../shared/errors.js';
import type { ItemRulesRow, StockQuantitiesRow } from './availability.repository.js';
import * as repo from './availability.repository.js';
import type { ItemAvailability } from './availability.schemas.js';

/** Where an answer is for: a channel's locations, one location, or every location. */
export interface Scope {
  channel: string | null;
  location: string | null;
  locations: { id: number; code: string }[];
  /** Location id → code, built once per answer rather than once per item. */
  codeOf: ReadonlyMap<number, string>;
}

function scopeOf(
  channel: string | null,
  location: string | null,
  locations: Scope['locations'],
): Scope {
  return { channel, location, locations, codeOf: new Map(locations.map((l) => [l.id, l.code])) };
}

export async function resolveScope(
  db: Db,
  wanted: { channel?: string | undefined; location?: string | undefined },
): Promise<Scope> {
  if (wanted.channel !== undefined && wanted.location !== undefined) {
    throw new BadRequestError(
      'AMBIGUOUS_SCOPE',
      'Ask for a channel or a location, not both',
      wanted,
    );
  }
  if (wanted.channel !== undefined) {
    const channel = await requireChannel(db, wanted.channel);
    return scopeOf(
      channel.code,
      null,
      channel.locations.map((l) => ({ id: l.locationId, code: l.code })),
    );
  }
  if (wanted.location !== undefined) {
    const location = await requireLocation(db, wanted.location);
    return scopeOf(null, location.code, [{ id: location.id, code: location.code }]);
  }
  const all = await listAllLocations(db);
  return scopeOf(
    null,
    null,
    all.map((l) => ({ id: l.id, code: l.code })),
  );
}

/** Dates are compared as calendar days in UTC until promising brings local time zones. */
const todayOf = (ctx: AppContext) => ctx.clock.now().toISOString().slice(0, 10);

function toLocationStock(rows: readonly StockQuantitiesRow[], scope: Scope): LocationStock[] {
  return rows.map((row) => ({
    location: scope.codeOf.get(row.location_id) ?? String(row.location_id),
    onHand: row.on_hand,
    reserved: row.reserved,
    safetyStock: row.safety_stock,
  }));
}

function rulesOf(item: ItemRulesRow) {
  return {
    status: item.status,
    lowStockThreshold: item.low_stock_threshold,
    backorderPolicy: item.backorder_policy,
    releaseDate: item.release_date,
  };
}

const NO_SUPPLY: SupplyTotals = { total: 0, nextExpectedDate: null };

function toBody(
  item: ItemRulesRow,
  scope: Scope,
  answer: Availability,
  supply: SupplyTotals,
): ItemAvailability {
  const { state, purchasable, reason, quantities } = answer;
  const body: ItemAvailability = {
    sku: item.sku,
    name: item.name,
    channel: scope.channel,
    location: scope.location,
    state,
    purchasable,
    reason,
    quantities,
    nextExpectedDate: supply.nextExpectedDate,
  };
  switch (answer.state) {
    case 'out_of_stock':
    case 'discontinued':
      body.restock = answer.restock;
      break;
    case 'backorder':
      body.expectedDate = answer.expectedDate;
      body.confidence = answer.confidence;
      body.restsOn = answer.restsOn;
      break;
    case 'preorder':
      body.releaseDate = answer.releaseDate;
      break;
  }
  return body;
}

export async function getItemAvailability(
  ctx: AppContext,
  sku: string,
  wanted: { channel?: string; location?: string },
  quantity: number,
): Promise<ItemAvailability> {
  const item = await requireItem(ctx.db, sku);
  const scope = await resolveScope(ctx.db, wanted);
  const locationIds = scope.locations.map((l) => l.id);
  const [rows, lines] = await Promise.all([
    repo.stockForItemRange(ctx.db, item.id, item.id, locationIds),
    incomingSupply(ctx.db, item.id, locationIds),
  ]);
  const { total, nextExpectedDate } = summariseSupply(lines);
  const stock = toLocationStock(rows, scope);
  const answer = decideAvailability({
    item: rulesOf(item),
    stock,
    requested: quantity,
    today: todayOf(ctx),
    incoming: total,
    nextExpectedDate,
  });
  // Every location in scope is listed, including those that never held the item.
  const byCode = new Map(stock.map((s) => [s.location, s]));
  const locations = scope.locations.map(({ code }) => {
    const s = byCode.get(code) ?? { location: code, onHand: 0, reserved: 0, safetyStock: 0 };
    return {
      location: code,
      onHand: s.onHand,
      reserved: s.reserved,
      safetyStock: s.safetyStock,
      available: availableAt(s),
    };
  });
  return { ...toBody(item, scope, answer, { total, nextExpectedDate }), locations };
}

export interface FeedFilter {
  quantity: number;
  state?: AvailabilityState;
  skus?: readonly string[];
  afterId?: number;
  /** Items read per round trip; pages without a state filter need no more than a page. */
  batchSize?: number;
}

const BATCH = 2000;

/**
 * Walks the catalogue in item-id order, a batch at a time, yielding each item's
 * availability with the id to resume after. Three range queries per batch (items, stock,
 * grouped incoming supply) keep a 100,000-item feed to a few hundred statements.
 */
export async function* availabilityFeed(
  ctx: AppContext,
  scope: Scope,
  filter: FeedFilter,
): AsyncGenerator<{ id: number; availability: ItemAvailability }> {
  const locationIds = scope.locations.map((l) => l.id);
  const today = todayOf(ctx);
  const batchSize = filter.batchSize ?? BATCH;
  let afterId = filter.afterId ?? 0;
  for (;;) {
    const items = await repo.itemBatch(ctx.db, {
      afterId,
      limit: batchSize,
      ...(filter.skus !== undefined && { skus: filter.skus }),
    });
    if (items.length === 0) return;
    const first = items[0]!.id;
    const last = items.at(-1)!.id;
    const [stockRows, supply] = await Promise.all([
      repo.stockForItemRange(ctx.db, first, last, locationIds),
      incomingTotals(ctx.db, first, last, locationIds),
    ]);
    const byItem = new Map<number, StockQuantitiesRow[]>();
    for (const row of stockRows) {
      const list = byItem.get(row.item_id);
      if (list) list.push(row);
      else byItem.set(row.item_id, [row]);
    }
    for (const item of items) {
      const incoming = supply.get(item.id) ?? NO_SUPPLY;
      const answer = decideAvailability({
        item: rulesOf(item),
        stock: toLocationStock(byItem.get(item.id) ?? [], scope),
        requested: filter.quantity,
        today,
        incoming: incoming.total,
        nextExpectedDate: incoming.nextExpectedDate,
      });
      if (filter.state === undefined || answer.state === filter.state) {
        yield { id: item.id, availability: toBody(item, scope, answer, incoming) };
      }
    }
    afterId = last;
    if (items.length < batchSize) return;
  }
}

/** Asking for named items is a lookup, so an unknown SKU is an error, not a silent gap. */
async function requireSkus(db: Db, skus: readonly string[]): Promise<void> {
  const found = await findItemIdsBySku(db, skus);
  const missing = skus.filter((sku) => !found.has(sku));
  if (missing.length > 0) {
    throw new NotFoundError('ITEM_NOT_FOUND', `No item with SKU ${missing.join(', ')}`, {
      skus: missing,
    });
  }
}

export async function availabilityPage(
  ctx: AppContext,
  scope: Scope,
  filter: Omit<FeedFilter, 'afterId'> & { cursor?: string; limit: number },
): Promise<Page<ItemAvailability>> {
  const [afterId = 0] = decodeCursor(filter.cursor);
  if (filter.skus !== undefined) await requireSkus(ctx.db, filter.skus);
  const items: ItemAvailability[] = [];
  let lastId = 0;
  let hasMore = false;
  const batchSize = filter.state === undefined ? filter.limit + 1 : BATCH;
  for await (const entry of availabilityFeed(ctx, scope, { ...filter, afterId, batchSize })) {
    if (items.length === filter.limit) {
      hasMore = true;
      break;
    }
    items.push(entry.availability);
    lastId = entry.id;
  }
  return { items, nextCursor: hasMore ? encodeCursor(lastId) : null };
}
