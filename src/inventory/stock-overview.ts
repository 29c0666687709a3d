import type { ItemAvailability } from '../availability/availability.schemas.js';
import {
  availabilityOfItems,
  resolveScope,
  type Scope,
} from '../availability/availability.service.js';
import { listChannels } from '../catalogue/channels.repository.js';
import { requireItem } from '../catalogue/items.service.js';
import { listAllLocations } from '../catalogue/locations.repository.js';
import { requireLocation } from '../catalogue/locations.service.js';
import type { Db } from '../db/schema.js';
import type { AvailabilityState } from '../domain/availability.js';
import type { AppContext } from '../kernel/context.js';
import { toStockLevel } from '../kernel/ledger/movement.js';
import { incomingTotals, type SupplyTotals } from '../kernel/supply/incoming-supply.js';
import { requireSupplier } from '../purchasing/suppliers.service.js';
import { decodeCursor, encodeCursor, type Page } from '../shared/cursor.js';
import { NotFoundError } from '../shared/errors.js';
import * as repo from './stock-overview.repository.js';
import type {
  StockOverviewCsvQuery,
  StockOverviewQuery,
  StockOverviewRow,
} from './stock-overview.schemas.js';

/**
 * The stock screen's list: every item × location with its five quantities and the item's
 * availability per channel, filtered by item, location, category, supplier, text and
 * availability state, in item then location order. Items are read in batches and each
 * batch's availability is decided with the feed's own statements, so a state filter is
 * exact and a 100,000-item catalogue costs a few statements per page, never one per row.
 */

interface Resolved {
  locations: { id: number; code: string }[];
  channels: Scope[];
  item: Omit<repo.OverviewItemFilter, 'fromId' | 'limit'>;
  state?: AvailabilityState;
}

async function resolveFilters(ctx: AppContext, query: StockOverviewCsvQuery): Promise<Resolved> {
  const db = ctx.db;
  const item: Resolved['item'] = {};
  if (query.sku !== undefined) item.itemId = (await requireItem(db, query.sku)).id;
  if (query.category !== undefined) {
    if (!(await repo.categoryExists(db, query.category)))
      throw new NotFoundError('CATEGORY_NOT_FOUND', `No item has category ${query.category}`, {
        category: query.category,
      });
    item.category = query.category;
  }
  if (query.supplier !== undefined)
    item.supplierId = (await requireSupplier(db, query.supplier)).id;
  if (query.q !== undefined) item.text = query.q.toLowerCase();
  const locations =
    query.location === undefined
      ? await listAllLocations(db)
      : [await requireLocation(db, query.location)];
  return {
    locations: locations.map((l) => ({ id: l.id, code: l.code })),
    channels: await channelScopes(db, query.channel),
    item,
    ...(query.state !== undefined && { state: query.state }),
  };
}

async function channelScopes(db: Db, channel: string | undefined): Promise<Scope[]> {
  if (channel !== undefined) return [await resolveScope(db, { channel })];
  // Stores run a handful of channels; one page of them is all of them.
  const rows = await listChannels(db, { afterId: 0, limit: 1000 });
  return Promise.all(rows.map((row) => resolveScope(db, { channel: row.code })));
}

const STATE_BATCH = 500;

/**
 * Rows after the (item id, location id) key, in order, for as long as the caller reads.
 * Without a state filter a batch holds about as many items as `rowsWanted` needs.
 */
async function* overviewRows(
  ctx: AppContext,
  filters: Resolved,
  after: [number, number],
  rowsWanted: number,
): AsyncGenerator<{ key: [number, number]; row: StockOverviewRow }> {
  const [afterItem, afterLocation] = after;
  const perItem = Math.max(1, filters.locations.length);
  const batch =
    filters.state === undefined
      ? Math.min(STATE_BATCH, Math.ceil(rowsWanted / perItem) + 1)
      : STATE_BATCH;
  let fromId = afterItem;
  for (;;) {
    const items = await repo.overviewItems(ctx.db, { ...filters.item, fromId, limit: batch });
    if (items.length === 0 || filters.locations.length === 0) return;
    const states = await Promise.all(
      filters.channels.map((scope) => availabilityInRuns(ctx, scope, items)),
    );
    const kept = items
      .map((item, index) => ({ item, channels: states.map((answers) => answers[index]!) }))
      .filter(
        ({ channels }) =>
          filters.state === undefined || channels.some((a) => a.state === filters.state),
      );
    const ids = kept.map(({ item }) => item.id);
    const [stock, incoming] = await Promise.all([
      repo.overviewStock(
        ctx.db,
        ids,
        filters.locations.map((l) => l.id),
      ),
      incomingByLocation(ctx.db, ids, filters.locations),
    ]);
    const stockOf = new Map(stock.map((row) => [`${row.item_id}:${row.location_id}`, row]));
    for (const { item, channels } of kept) {
      for (const location of filters.locations) {
        if (item.id === afterItem && location.id <= afterLocation) continue;
        const level = toStockLevel(
          item.sku,
          location.code,
          stockOf.get(`${item.id}:${location.id}`) ?? EMPTY,
        );
        const supply = incoming.get(location.id)?.get(item.id);
        yield {
          key: [item.id, location.id],
          row: {
            ...level,
            name: item.name,
            category: item.category,
            incoming: supply?.total ?? 0,
            nextExpectedDate: supply?.nextExpectedDate ?? null,
            channels: channels.map((a) => ({
              channel: a.channel!,
              state: a.state,
              purchasable: a.purchasable,
              available: a.quantities.available,
            })),
          },
        };
      }
    }
    if (items.length < batch) return;
    fromId = items.at(-1)!.id + 1;
  }
}

/** Widest id range one availability call may read (its statements read ranges of ids). */
const RUN_SPAN = 1000;

/**
 * Availability reads stock and supply by id range, which suits the feed's consecutive
 * items; a text or supplier filter picks items far apart (ids 99, 990, 9900…), whose one
 * range would read the whole catalogue. Runs of nearby ids keep each range small.
 */
async function availabilityInRuns(
  ctx: AppContext,
  scope: Scope,
  items: readonly repo.OverviewItemRow[],
): Promise<ItemAvailability[]> {
  const runs: repo.OverviewItemRow[][] = [];
  for (const item of items) {
    const run = runs.at(-1);
    if (run && item.id - run[0]!.id < RUN_SPAN) run.push(item);
    else runs.push([item]);
  }
  const answers: ItemAvailability[] = [];
  for (const run of runs) answers.push(...(await availabilityOfItems(ctx, scope, run)));
  return answers;
}

const EMPTY = { on_hand: 0, reserved: 0, safety_stock: 0, updated_at: null };

/** Incoming totals per location (one grouped statement each) for the items of a batch. */
async function incomingByLocation(
  db: Db,
  itemIds: readonly number[],
  locations: readonly { id: number }[],
): Promise<Map<number, Map<number, SupplyTotals>>> {
  if (itemIds.length === 0) return new Map();
  // One range for the whole batch: open supply is a few rows per item that has any, so a
  // wide range reads little, unlike stock.
  const first = itemIds[0]!;
  const last = itemIds.at(-1)!;
  const totals = await Promise.all(
    locations.map(async (l) => [l.id, await incomingTotals(db, first, last, [l.id])] as const),
  );
  return new Map(totals);
}

export async function stockOverviewPage(
  ctx: AppContext,
  query: StockOverviewQuery,
): Promise<Page<StockOverviewRow>> {
  const after = decodeCursor(query.cursor, 2) as [number, number];
  const filters = await resolveFilters(ctx, query);
  const items: StockOverviewRow[] = [];
  let lastKey: [number, number] | null = null;
  let hasMore = false;
  for await (const { key, row } of overviewRows(ctx, filters, after, query.limit + 1)) {
    if (items.length === query.limit) {
      hasMore = true;
      break;
    }
    items.push(row);
    lastKey = key;
  }
  return { items, nextCursor: hasMore && lastKey ? encodeCursor(...lastKey) : null };
}

/** Every row the filters select, for the CSV export; filters are checked before the first. */
export async function stockOverviewStream(
  ctx: AppContext,
  query: StockOverviewCsvQuery,
): Promise<{ channels: string[]; rows: AsyncGenerator<StockOverviewRow> }> {
  const filters = await resolveFilters(ctx, query);
  async function* rows() {
    for await (const { row } of overviewRows(ctx, filters, [0, 0], 1000)) yield row;
  }
  return { channels: filters.channels.map((c) => c.channel!), rows: rows() };
}
