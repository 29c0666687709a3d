import type { ResolvedChannel } from '../catalogue/channels.service.js';
import type { Db } from '../db/schema.js';
import {
  type AvailabilityState,
  availableAt,
  basisOf as basisOfPeg,
} from '../domain/availability.js';
import { type LinePromise, type Peg, planAllocation, promiseUnits } from '../domain/promising.js';
import { supplyKey } from '../domain/supply.js';
import * as repo from '../kernel/backorders/promise.repository.js';
import { rulesFor } from '../kernel/backorders/promise-queue.js';
import { incomingSupply } from '../kernel/supply/incoming-supply.js';
import type { PromiseBasis } from './orders.schemas.js';

/**
 * What each line of a prospective order would do right now: units from stock (and from
 * where), a backorder or preorder promise (and what it rests on), or a refusal with the
 * state that explains it. Quote reports it; placing an order applies it with conditional
 * statements and starts over if any of them finds the stock has moved.
 */

export interface LineRequest {
  sku: string;
  itemId: number;
  quantity: number;
  acceptBackorder: boolean;
}

export type Outcome = 'in_stock' | 'backorder' | 'preorder' | 'refused';

export interface AssessedLine {
  request: LineRequest;
  item: repo.ItemPromiseRow;
  outcome: Outcome;
  state: AvailabilityState;
  reason: string;
  available: number;
  incoming: number;
  takes: { locationId: number; location: string; quantity: number }[];
  /** Set when the shortfall can be promised (whether or not the line accepts it). */
  promise: (LinePromise & { quantity: number }) | null;
  preorder: boolean;
  supplier: { code: string | null; leadTimeDays: number | null };
}

/** What a line's promise rests on, in the words availability uses. */
export function basisOf(peg: Peg, supplier: AssessedLine['supplier']): PromiseBasis {
  return basisOfPeg(peg, { supplier: supplier.code, leadTimeDays: supplier.leadTimeDays });
}

/** Item rules and their stock rows at a channel's locations, as read at one moment. */
export interface StockPicture {
  items: repo.ItemPromiseRow[];
  stockRows: {
    item_id: number;
    location_id: number;
    on_hand: number;
    reserved: number;
    safety_stock: number;
  }[];
}

/** One statement: the items named by id or SKU, each with its stock at the locations. */
export async function readStockPicture(
  db: Db,
  wanted: { itemIds: readonly number[] } | { skus: readonly string[] },
  locationIds: readonly number[],
): Promise<StockPicture> {
  const rows = await db
    .selectFrom('items')
    .leftJoin('stock', (join) =>
      join
        .onRef('stock.item_id', '=', 'items.id')
        .on('stock.location_id', 'in', locationIds.length > 0 ? locationIds : [-1]),
    )
    .select([
      'items.id',
      'items.sku',
      'items.status',
      'items.release_date',
      'items.preorders_enabled',
      'items.backorder_policy',
      'items.backorder_cap',
      'items.handling_days',
      'items.low_stock_threshold',
      'stock.location_id',
      'stock.on_hand',
      'stock.reserved',
      'stock.safety_stock',
    ])
    .$if('itemIds' in wanted, (qb) =>
      qb.where('items.id', 'in', (wanted as { itemIds: number[] }).itemIds),
    )
    .$if('skus' in wanted, (qb) => qb.where('items.sku', 'in', (wanted as { skus: string[] }).skus))
    .execute();
  const picture: StockPicture = { items: [], stockRows: [] };
  const seen = new Set<number>();
  for (const { location_id, on_hand, reserved, safety_stock, ...item } of rows) {
    if (!seen.has(item.id)) {
      seen.add(item.id);
      picture.items.push(item);
    }
    if (location_id !== null) {
      picture.stockRows.push({
        item_id: item.id,
        location_id,
        on_hand: on_hand!,
        reserved: reserved!,
        safety_stock: safety_stock!,
      });
    }
  }
  return picture;
}

/**
 * `snapshot` may come from before the transaction: a stale one only makes a conditional
 * reservation refuse, and the caller then assesses again from a fresh read.
 */
export async function assessLines(
  db: Db,
  channel: ResolvedChannel,
  requests: readonly LineRequest[],
  today: string,
  options: { withSupply?: boolean; snapshot?: StockPicture } = {},
): Promise<AssessedLine[]> {
  const itemIds = [...new Set(requests.map((r) => r.itemId))];
  const locationIds = channel.locations.map((l) => l.locationId);
  const { items, stockRows } =
    options.snapshot ?? (await readStockPicture(db, { itemIds }, locationIds));
  const itemById = new Map(items.map((i) => [i.id, i]));
  // Free units per item × location, shrinking as earlier lines of the order take them.
  const free = new Map<string, number>();
  for (const row of stockRows) {
    free.set(
      `${row.item_id}:${row.location_id}`,
      availableAt({
        location: '',
        onHand: row.on_hand,
        reserved: row.reserved,
        safetyStock: row.safety_stock,
      }),
    );
  }
  const supplyState = new Map<number, Awaited<ReturnType<typeof loadSupply>>>();

  const assessed: AssessedLine[] = [];
  for (const request of requests) {
    const item = itemById.get(request.itemId)!;
    const locations = channel.locations.map((l) => ({
      locationId: l.locationId,
      location: l.code,
      available: free.get(`${item.id}:${l.locationId}`) ?? 0,
    }));
    const available = locations.reduce((s, l) => s + l.available, 0);
    const notReleased = item.release_date !== null && item.release_date > today;
    const preorder = notReleased && item.preorders_enabled === 1;
    const plan = planAllocation(locations, request.quantity);
    // Supply is read only when it matters: placing an in-stock line never needs it.
    let supply = supplyState.get(item.id);
    if (!supply && (options.withSupply || plan.shortfall > 0 || notReleased)) {
      supply = await loadSupply(db, item, locationIds);
      supplyState.set(item.id, supply);
    }
    const incoming = supply?.lines.reduce((s, l) => s + l.open, 0) ?? 0;

    const takes = plan.takes.map((t) => ({
      ...t,
      location: locations.find((l) => l.locationId === t.locationId)!.location,
    }));
    const base = {
      request,
      item,
      available,
      incoming,
      takes,
      preorder,
      supplier: {
        code: supply?.rules.supplier ?? null,
        leadTimeDays: supply?.rules.leadTimeDays ?? null,
      },
    };
    const consume = () => {
      for (const t of plan.takes) {
        const key = `${item.id}:${t.locationId}`;
        free.set(key, (free.get(key) ?? 0) - t.quantity);
      }
    };

    if (notReleased && !preorder) {
      assessed.push({
        ...base,
        takes: [],
        outcome: 'refused',
        state: 'out_of_stock',
        reason: `Not released until ${item.release_date}, and it is not sold as a preorder`,
        promise: null,
      });
      continue;
    }
    if (plan.shortfall === 0 && !preorder) {
      consume();
      assessed.push({
        ...base,
        outcome: 'in_stock',
        // The same rule as availability: what is available now, at or below the threshold.
        state: available <= item.low_stock_threshold ? 'low_stock' : 'in_stock',
        reason: `${request.quantity} from stock (${available} available)`,
        promise: null,
      });
      continue;
    }
    if (item.status === 'discontinued') {
      assessed.push({
        ...base,
        takes: [],
        outcome: 'refused',
        state: 'discontinued',
        reason: `Discontinued: only ${available} left for ${request.quantity} requested; it will not be restocked`,
        promise: null,
      });
      continue;
    }

    if (!supply) throw new Error('supply is loaded for every line short of stock');
    const promise = promiseUnits(
      {
        supply: supply.lines,
        held: supply.held,
        leadTimeHeld: supply.leadTimeHeld,
        rules: { ...supply.rules, releaseDate: preorder ? item.release_date : null },
        today,
      },
      plan.shortfall,
    );
    const promised = plan.shortfall === 0 || promise.unpromised === 0;
    const lineTakes = preorder || request.acceptBackorder ? takes : [];
    if (promised && (preorder || request.acceptBackorder)) {
      consume();
      for (const peg of promise.pegs) {
        if (peg.kind === 'lead_time') supply.leadTimeHeld += peg.quantity;
        else {
          const key = supplyKey(peg.source);
          supply.held.set(key, (supply.held.get(key) ?? 0) + peg.quantity);
        }
      }
    }
    const date = plan.shortfall === 0 ? item.release_date : promise.promisedDate;
    const quotedPromise =
      promised && date !== null
        ? {
            ...promise,
            promisedDate: date,
            confidence: promise.confidence ?? 'confirmed',
            quantity: plan.shortfall,
          }
        : null;
    if (preorder) {
      assessed.push({
        ...base,
        takes: lineTakes,
        outcome: promised ? 'preorder' : 'refused',
        state: promised ? 'preorder' : 'out_of_stock',
        reason: promised
          ? `Preorder: released on ${item.release_date}, promised for ${date}`
          : `Preorder of ${request.quantity}: only ${request.quantity - promise.unpromised} can be promised by the release on ${item.release_date}`,
        promise: quotedPromise,
      });
      continue;
    }
    if (promised) {
      assessed.push({
        ...base,
        takes: lineTakes,
        outcome: request.acceptBackorder ? 'backorder' : 'refused',
        state: 'backorder',
        reason: request.acceptBackorder
          ? `${available} from stock, ${plan.shortfall} backordered for ${date}`
          : `${available === 0 ? 'None' : `Only ${available}`} available for ${request.quantity} requested; the rest could be backordered for ${date}, but the line does not accept backorders`,
        promise: quotedPromise,
      });
      continue;
    }
    assessed.push({
      ...base,
      takes: [],
      outcome: 'refused',
      state: 'out_of_stock',
      reason: `${available === 0 ? 'None' : `Only ${available}`} available for ${request.quantity} requested; ${
        item.backorder_policy === 'none'
          ? 'backorders are not allowed for this item'
          : incoming > 0
            ? `the ${incoming} incoming are already promised to earlier orders`
            : 'no incoming supply to promise from'
      }`,
      promise: null,
    });
  }
  return assessed;
}

async function loadSupply(db: Db, item: repo.ItemPromiseRow, locationIds: readonly number[]) {
  // One after the other: inside a transaction there is one connection.
  const lines = await incomingSupply(db, item.id, locationIds);
  const held = await repo.promisedBySupply(db, item.id);
  const leadTimeHeld = await repo.leadTimePromised(db, item.id);
  const rules = await rulesFor(db, item);
  return { lines, held, leadTimeHeld, rules };
}
