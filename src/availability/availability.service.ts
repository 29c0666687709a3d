import { findItemIdsBySku } from '../catalogue/items.repository.js';
import type { Db } from '../db/schema.js';
import {
  type Availability,
  type AvailabilityInput,
  type AvailabilityState,
  availableAt,
  decideAvailability,
  type ItemRules,
  type LocationStock,
  type MissingData,
  tryDecideAvailability,
} from '../domain/availability.js';
import { chooseLeadTime } from '../domain/promising.js';
import type { AppContext } from '../kernel/context.js';
import {
  incomingTotals,
  promisableSupply,
  type SupplyTotals,
} from '../kernel/supply/incoming-supply.js';
import type { SupplierLeadTimeRow } from '../kernel/supply/supply.repository.js';
import { decodeCursor, encodeCursor, type Page } from '../shared/cursor.js';
import { NotFoundError } from '../shared/errors.js';
import type { ItemRulesRow, StockQuantitiesRow } from './availability.repository.js';
import * as repo from './availability.repository.js';
import type { ItemAvailability } from './availability.schemas.js';
import { resolveScope, type Scope } from './availability-scope.js';

export { resolveScope, type Scope };

/** The moment answers are for: its date is today, and holds lapsed by then count for nothing. */
const nowOf = (ctx: AppContext) => ctx.clock.now().toISOString();

function toLocationStock(rows: readonly StockQuantitiesRow[], scope: Scope): LocationStock[] {
  return rows.map((row) => ({
    location: scope.codeOf.get(row.location_id) ?? String(row.location_id),
    onHand: row.on_hand,
    reserved: row.reserved,
    safetyStock: row.safety_stock,
  }));
}

/** An item row as the availability rules read it. */
export function rulesOf(item: ItemRulesRow): ItemRules {
  return {
    status: item.status,
    lowStockThreshold: item.low_stock_threshold,
    backorderPolicy: item.backorder_policy,
    releaseDate: item.release_date,
    preordersEnabled: item.preorders_enabled === 1,
    handlingDays: item.handling_days,
    backorderCap: item.backorder_cap,
  };
}

const NO_SUPPLY: SupplyTotals = { total: 0, free: 0, nextExpectedDate: null };

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
      if (answer.expectedDate !== undefined) body.expectedDate = answer.expectedDate;
      body.confidence = answer.confidence;
      body.restsOn = answer.restsOn;
      break;
  }
  return body;
}

/** The supplier lead-time promises rest on, per item, by the rule orders use too. */
function chooseLeadTimes(rows: readonly SupplierLeadTimeRow[]) {
  const byItem = new Map<number, SupplierLeadTimeRow[]>();
  for (const row of rows) byItem.set(row.item_id, [...(byItem.get(row.item_id) ?? []), row]);
  const best = new Map<number, SupplierLeadTimeRow>();
  for (const [itemId, options] of byItem) {
    const chosen = chooseLeadTime(
      options.map((row) => ({
        row,
        supplier: row.supplier,
        preferred: row.preferred,
        leadTimeDays: row.lead_time_days,
      })),
    );
    if (chosen) best.set(itemId, chosen.row);
  }
  return best;
}

interface Answered {
  item: ItemRulesRow;
  stock: readonly LocationStock[];
  supply: SupplyTotals;
  answer: Availability;
}

/** Stands in for an answer until the data it asked for is loaded; never returned. */
const UNDECIDED: Availability = {
  state: 'out_of_stock',
  purchasable: false,
  restock: 'unknown',
  reason: 'undecided',
  quantities: { requested: 0, onHand: 0, reserved: 0, safetyStock: 0, available: 0, incoming: 0 },
};

/**
 * Answers for items in id order (one item, or a feed batch) with the same statements
 * either way, so a single answer and the feed always agree. Two range statements (stock,
 * grouped supply totals with what is still free to promise) settle most items; the few
 * whose shortfall may rest on lead time get their suppliers and lead-time promises (two
 * statements), and the few whose promise must be dated from supply get their supply lines
 * (two statements), each once per batch, never once per item.
 */
async function answerItems(
  db: Db,
  scope: Scope,
  items: readonly ItemRulesRow[],
  requested: number,
  now: string,
): Promise<Answered[]> {
  if (items.length === 0) return [];
  const locationIds = scope.locations.map((l) => l.id);
  const [stockRows, totals] = await Promise.all([
    repo.stockForItemRange(db, items[0]!.id, items.at(-1)!.id, locationIds, now),
    incomingTotals(db, items[0]!.id, items.at(-1)!.id, locationIds),
  ]);
  return answerRead(db, scope, items, { stockRows, totals }, requested, now);
}

/** answerItems once the items' stock and supply totals are read. */
async function answerRead(
  db: Db,
  scope: Scope,
  items: readonly ItemRulesRow[],
  read: { stockRows: readonly StockQuantitiesRow[]; totals: ReadonlyMap<number, SupplyTotals> },
  requested: number,
  now: string,
): Promise<Answered[]> {
  const { stockRows, totals } = read;
  const today = now.slice(0, 10);
  const locationIds = scope.locations.map((l) => l.id);
  const byItem = new Map<number, StockQuantitiesRow[]>();
  for (const row of stockRows) {
    const list = byItem.get(row.item_id);
    if (list) list.push(row);
    else byItem.set(row.item_id, [row]);
  }
  // Most items are settled by the totals; the few that ask for more wait in `pending`.
  const answered: Answered[] = [];
  const pending: { at: number; input: AvailabilityInput; missing: MissingData }[] = [];
  for (const item of items) {
    const supply = totals.get(item.id) ?? NO_SUPPLY;
    const input: AvailabilityInput = {
      item: rulesOf(item),
      stock: toLocationStock(byItem.get(item.id) ?? [], scope),
      requested,
      today,
      incoming: supply.total,
      nextExpectedDate: supply.nextExpectedDate,
      freeIncoming: supply.free,
    };
    const answer = tryDecideAvailability(input);
    if ('missing' in answer) {
      pending.push({ at: answered.length, input, missing: answer.missing });
      answered.push({ item, stock: input.stock, supply, answer: UNDECIDED });
    } else {
      answered.push({ item, stock: input.stock, supply, answer });
    }
  }
  if (pending.length === 0) return answered;

  const needLeadTime = pending.filter((p) => p.missing === 'lead_time');
  if (needLeadTime.length > 0) {
    const ids = needLeadTime.map((p) => answered[p.at]!.item.id);
    const [suppliers, held] = await Promise.all([
      repo.supplierLeadTimes(db, ids),
      repo.leadTimePromised(db, ids),
    ]);
    const chosen = chooseLeadTimes(suppliers);
    for (const p of needLeadTime) {
      const id = answered[p.at]!.item.id;
      const lead = chosen.get(id);
      p.input.leadTime = {
        supplier: lead?.supplier ?? null,
        leadTimeDays: lead?.lead_time_days ?? null,
        held: held.get(id) ?? 0,
      };
      const answer = tryDecideAvailability(p.input);
      if ('missing' in answer) p.missing = answer.missing;
      else answered[p.at]!.answer = answer;
    }
  }
  const needLines = pending.filter((p) => p.missing === 'supply_lines');
  if (needLines.length > 0) {
    const lines = await promisableSupply(
      db,
      needLines.map((p) => answered[p.at]!.item.id),
      locationIds,
    );
    for (const p of needLines) {
      p.input.supply = lines.get(answered[p.at]!.item.id) ?? { lines: [], held: new Map() };
      // Everything asked for is loaded now; decideAvailability throws if not.
      answered[p.at]!.answer = decideAvailability(p.input);
    }
  }
  return answered;
}

export async function getItemAvailability(
  ctx: AppContext,
  sku: string,
  wanted: { channel?: string; location?: string },
  quantity: number,
): Promise<ItemAvailability> {
  const notFound = () => new NotFoundError('ITEM_NOT_FOUND', `No item with SKU ${sku}`, { sku });
  const scope = await resolveScope(ctx.db, wanted, ctx.channels).catch(async (error) => {
    // An unknown item is the answer before an unknown channel or location, as it always was.
    if (!(await repo.itemRulesBySku(ctx.db, sku))) throw notFound();
    throw error;
  });
  const now = nowOf(ctx);
  const locationIds = scope.locations.map((l) => l.id);
  const { item, stockRows, totals } =
    locationIds.length === 0
      ? { item: await repo.itemRulesBySku(ctx.db, sku), stockRows: [], totals: undefined }
      : await repo.lookUpItem(ctx.db, { sku, locationIds, now });
  if (!item) throw notFound();
  const read = { stockRows, totals: new Map(totals ? [[item.id, totals]] : []) };
  const [{ stock, supply, answer }] = (await answerRead(
    ctx.db,
    scope,
    [item],
    read,
    quantity,
    now,
  )) as [Answered];
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
  return { ...toBody(item, scope, answer, supply), locations };
}

/**
 * Answers for items another list has already read (in id order, as answerItems needs),
 * so a screen joining availability to its own rows asks with the feed's statements.
 */
export async function availabilityOfItems(
  ctx: AppContext,
  scope: Scope,
  items: readonly ItemRulesRow[],
  quantity = 1,
): Promise<ItemAvailability[]> {
  const answered = await answerItems(ctx.db, scope, items, quantity, nowOf(ctx));
  return answered.map(({ item, answer, supply }) => toBody(item, scope, answer, supply));
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
 * availability with the id to resume after. Three range statements per batch (items,
 * stock, grouped incoming supply), plus a few for the batch's backorders and preorders
 * (see answerItems), keep a 100,000-item feed to a few hundred statements.
 */
export async function* availabilityFeed(
  ctx: AppContext,
  scope: Scope,
  filter: FeedFilter,
): AsyncGenerator<{ id: number; availability: ItemAvailability }> {
  const now = nowOf(ctx);
  const batchSize = filter.batchSize ?? BATCH;
  let afterId = filter.afterId ?? 0;
  for (;;) {
    const items = await repo.itemBatch(ctx.db, {
      afterId,
      limit: batchSize,
      ...(filter.skus !== undefined && { skus: filter.skus }),
    });
    if (items.length === 0) return;
    for (const { item, answer, supply } of await answerItems(
      ctx.db,
      scope,
      items,
      filter.quantity,
      now,
    )) {
      if (filter.state === undefined || answer.state === filter.state) {
        yield { id: item.id, availability: toBody(item, scope, answer, supply) };
      }
    }
    afterId = items.at(-1)!.id;
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
