import type { ResolvedChannel, SellingLocation } from '../catalogue/channels.service.js';
import type { Db } from '../db/schema.js';
import { planByStrategy } from '../domain/allocation-order.js';
import { type AvailabilityState, availableAt } from '../domain/availability.js';
import { type Peg, promiseUnits } from '../domain/promising.js';
import { supplyKey } from '../domain/supply.js';
import type * as repo from '../kernel/backorders/promise.repository.js';
import { type PromiseInputs, promiseInputs } from '../kernel/backorders/promise-inputs.js';
import type { AssessedLine, LineRequest } from './assessed-line.js';
import { readStockPicture, type StockPicture } from './stock-picture.repository.js';

/**
 * What each line of a prospective order would do right now (see AssessedLine). Quote
 * reports it; placing an order applies it with conditional statements and starts over if
 * any of them finds the stock has moved.
 */

/** What is promised of an item's supply so far, whichever locations a line sells from. */
interface Promised {
  /** Units promised of each supply (supplyKey). */
  held: Map<string, number>;
  /** Units promised on the supplier's lead time. */
  leadTime: number;
}

interface ItemSupply {
  /** Open supply due at the line's locations. */
  lines: PromiseInputs['lines'];
  promised: Promised;
  rules: PromiseInputs['rules'];
}

/**
 * Supply as read in one transaction: each item's promises and rules, and its open supply
 * as seen from each set of locations. A batch of orders (src/orders/place-batch.ts) passes
 * one in, so that each order sees what the orders before it were promised, as it would
 * placed after them; without one, each call reads its own.
 */
export interface SupplyBook {
  items: Map<number, { promised: Promised; rules: ItemSupply['rules'] }>;
  /**
   * Each item's promises and rules as read, before any order of the transaction: shared
   * by every copy, so an order that is refused (its copy dropped) leaves its reads behind.
   */
  read: Map<number, { promised: Promised; rules: ItemSupply['rules'] }>;
  /** Supply rows do not move while a transaction assesses: shared by every copy. */
  lines: Map<string, ItemSupply['lines']>;
}

export const emptySupplyBook = (): SupplyBook => ({
  items: new Map(),
  read: new Map(),
  lines: new Map(),
});

const copyPromised = ({ held, leadTime }: Promised): Promised => ({
  held: new Map(held),
  leadTime,
});

/** A copy to assess one order against: kept if the order is placed, dropped if not. */
export function copySupplyBook(book: SupplyBook): SupplyBook {
  return {
    items: new Map(
      [...book.items].map(([id, { promised, rules }]) => [
        id,
        { promised: copyPromised(promised), rules },
      ]),
    ),
    read: book.read,
    lines: book.lines,
  };
}

/** What the order's earlier lines leave to the next: free units, and supply not yet held. */
interface Running {
  /** Free units per item × location. */
  free: Map<string, number>;
  /** Each item's supply, read once, with what earlier lines hold of it. */
  supply: Map<number, ItemSupply>;
  book: SupplyBook;
}

interface Setting {
  channel: ResolvedChannel;
  locationIds: readonly number[];
  today: string;
  withSupply: boolean;
  stockFrom: number | undefined;
  pickup: SellingLocation | undefined;
}

/** A line before its outcome is decided. */
type Base = Omit<AssessedLine, 'outcome' | 'state' | 'reason' | 'promise'>;

/**
 * `snapshot` may come from before the transaction: a stale one only makes a conditional
 * reservation refuse, and the caller then assesses again from a fresh read. `now` is an
 * ISO timestamp: its date is today, and holds lapsed by then do not count as reserved.
 */
export async function assessLines(
  db: Db,
  channel: ResolvedChannel,
  requests: readonly LineRequest[],
  now: string,
  options: {
    withSupply?: boolean;
    snapshot?: StockPicture;
    stockFrom?: number;
    /** Where the customer collects: steers the closest_to_pickup strategy. */
    pickup?: SellingLocation;
    /** Supply read earlier in this transaction; the lines' promises are held in it. */
    supply?: SupplyBook;
  } = {},
): Promise<AssessedLine[]> {
  const itemIds = [...new Set(requests.map((r) => r.itemId))];
  const locationIds = channel.locations.map((l) => l.locationId);
  const today = now.slice(0, 10);
  const { items, stockRows } =
    options.snapshot ?? (await readStockPicture(db, { itemIds }, locationIds, now));
  const itemById = new Map(items.map((i) => [i.id, i]));
  const running: Running = {
    free: new Map(),
    supply: new Map(),
    book: options.supply ?? emptySupplyBook(),
  };
  for (const row of stockRows) {
    running.free.set(
      `${row.item_id}:${row.location_id}`,
      availableAt({
        location: '',
        onHand: row.on_hand,
        reserved: row.reserved,
        safetyStock: row.safety_stock,
      }),
    );
  }
  const setting = {
    channel,
    locationIds,
    today,
    withSupply: options.withSupply ?? false,
    stockFrom: options.stockFrom,
    pickup: options.pickup,
  };
  const assessed: AssessedLine[] = [];
  for (const request of requests) {
    const item = itemById.get(request.itemId)!;
    assessed.push(await assessLine(db, setting, running, request, item));
  }
  return assessed;
}

async function assessLine(
  db: Db,
  setting: Setting,
  running: Running,
  request: LineRequest,
  item: repo.ItemPromiseRow,
): Promise<AssessedLine> {
  const { stockFrom } = setting;
  const sources = setting.channel.locations.filter(
    (l) => stockFrom === undefined || l.locationId === stockFrom,
  );
  const locations = sources.map((l, priority) => ({
    locationId: l.locationId,
    location: l.code,
    available: running.free.get(`${item.id}:${l.locationId}`) ?? 0,
    priority,
    // The channel lists only locations for sale (ResolvedChannel).
    sellable: true,
    point: l.point,
  }));
  const available = locations.reduce((s, l) => s + l.available, 0);
  const notReleased = item.release_date !== null && item.release_date > setting.today;
  const preorder = notReleased && item.preorders_enabled === 1;
  const { pickup } = setting;
  const plan = planByStrategy(
    setting.channel.allocationStrategy,
    locations,
    request.quantity,
    pickup ? { locationId: pickup.locationId, point: pickup.point } : null,
  );
  // Supply is read only when it matters: placing an in-stock line never needs it.
  const supply =
    setting.withSupply || plan.shortfall > 0 || notReleased
      ? await supplyOf(db, running, item, setting.locationIds)
      : running.supply.get(item.id);
  const base: Base = {
    request,
    item,
    available,
    incoming: supply?.lines.reduce((s, l) => s + l.open, 0) ?? 0,
    takes: plan.takes.map((t) => ({
      ...t,
      location: locations.find((l) => l.locationId === t.locationId)!.location,
    })),
    preorder,
    supplier: {
      code: supply?.rules.supplier ?? null,
      leadTimeDays: supply?.rules.leadTimeDays ?? null,
    },
  };
  if (notReleased && !preorder) {
    return refused(
      base,
      'out_of_stock',
      `Not released until ${item.release_date}, and it is not sold as a preorder`,
    );
  }
  if (plan.shortfall === 0 && !preorder) {
    consume(running, base);
    return {
      ...base,
      outcome: 'in_stock',
      // The same rule as availability: what is available now, at or below the threshold.
      state: available <= item.low_stock_threshold ? 'low_stock' : 'in_stock',
      reason: `${request.quantity} from stock (${available} available)`,
      promise: null,
    };
  }
  if (item.status === 'discontinued') {
    return refused(
      base,
      'discontinued',
      `Discontinued: only ${available} left for ${request.quantity} requested; it will not be restocked`,
    );
  }
  if (!supply) throw new Error('supply is loaded for every line short of stock');
  return promiseShortfall(base, plan.shortfall, supply, running, setting.today);
}

/** A line short of stock, or a preorder: promised from supply or lead time, or refused. */
function promiseShortfall(
  base: Base,
  shortfall: number,
  supply: ItemSupply,
  running: Running,
  today: string,
): AssessedLine {
  const { item, request, preorder, available } = base;
  const promise = promiseUnits(
    {
      supply: supply.lines,
      held: supply.promised.held,
      leadTimeHeld: supply.promised.leadTime,
      rules: { ...supply.rules, releaseDate: preorder ? item.release_date : null },
      today,
    },
    shortfall,
  );
  const promised = shortfall === 0 || promise.unpromised === 0;
  const takesPromise = preorder || request.acceptBackorder;
  if (promised && takesPromise) {
    consume(running, base);
    hold(supply, promise.pegs);
  }
  const date = shortfall === 0 ? item.release_date : promise.promisedDate;
  const line = {
    ...base,
    takes: takesPromise ? base.takes : [],
    promise:
      promised && date !== null
        ? {
            ...promise,
            promisedDate: date,
            confidence: promise.confidence ?? 'confirmed',
            quantity: shortfall,
          }
        : null,
  };
  if (preorder) {
    return {
      ...line,
      outcome: promised ? 'preorder' : 'refused',
      state: promised ? 'preorder' : 'out_of_stock',
      reason: promised
        ? `Preorder: released on ${item.release_date}, promised for ${date}`
        : `Preorder of ${request.quantity}: only ${request.quantity - promise.unpromised} can be promised by the release on ${item.release_date}`,
    };
  }
  if (promised) {
    return {
      ...line,
      outcome: request.acceptBackorder ? 'backorder' : 'refused',
      state: 'backorder',
      reason: request.acceptBackorder
        ? `${available} from stock, ${shortfall} backordered for ${date}`
        : `${available === 0 ? 'None' : `Only ${available}`} available for ${request.quantity} requested; the rest could be backordered for ${date}, but the line does not accept backorders`,
    };
  }
  return refused(base, 'out_of_stock', unpromisableReason(base));
}

function unpromisableReason({ item, request, available, incoming }: Base): string {
  return `${available === 0 ? 'None' : `Only ${available}`} available for ${request.quantity} requested; ${
    item.backorder_policy === 'none'
      ? 'backorders are not allowed for this item'
      : incoming > 0
        ? `the ${incoming} incoming are already promised to earlier orders`
        : 'no incoming supply to promise from'
  }`;
}

function refused(base: Base, state: AvailabilityState, reason: string): AssessedLine {
  return { ...base, takes: [], outcome: 'refused', state, reason, promise: null };
}

/** The line's units from stock are no longer free for the lines after it. */
function consume(running: Running, { item, takes }: Base): void {
  for (const t of takes) {
    const key = `${item.id}:${t.locationId}`;
    running.free.set(key, (running.free.get(key) ?? 0) - t.quantity);
  }
}

/** The supply a line's promise rests on is no longer there for the lines after it. */
function hold({ promised }: ItemSupply, pegs: readonly Peg[]): void {
  for (const peg of pegs) {
    if (peg.kind === 'lead_time') promised.leadTime += peg.quantity;
    else {
      const key = supplyKey(peg.source);
      promised.held.set(key, (promised.held.get(key) ?? 0) + peg.quantity);
    }
  }
}

async function supplyOf(
  db: Db,
  running: Running,
  item: repo.ItemPromiseRow,
  locationIds: readonly number[],
): Promise<ItemSupply> {
  const cached = running.supply.get(item.id);
  if (cached) return cached;
  const { book } = running;
  const seenFrom = `${item.id}@${locationIds.join(',')}`;
  let lines = book.lines.get(seenFrom);
  // Not yet in the book: read before any order of the transaction was promised any of it.
  let read = book.read.get(item.id);
  if (!lines || !read) {
    const inputs = await promiseInputs(db, item, locationIds);
    lines ??= inputs.lines;
    read ??= { promised: inputs.promised, rules: inputs.rules };
    book.lines.set(seenFrom, lines);
    book.read.set(item.id, read);
  }
  let known = book.items.get(item.id);
  if (!known) {
    known = { promised: copyPromised(read.promised), rules: read.rules };
    book.items.set(item.id, known);
  }
  const supply = { lines, ...known };
  running.supply.set(item.id, supply);
  return supply;
}
