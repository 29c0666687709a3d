import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Principal } from '../../src/access/principal.js';
import { adjustStock, recordCount, setSafetyStock } from '../../src/inventory/stock.service.js';
import {
  dispatchTransfer,
  receiveTransfer,
  rescheduleTransfer,
} from '../../src/inventory/transfers.service.js';
import type { AppContext } from '../../src/kernel/context.js';
import { cancelOrder } from '../../src/orders/cancel-order.js';
import { fulfilOrder } from '../../src/orders/fulfil-order.js';
import { increaseLine } from '../../src/orders/increase-line.js';
import { moveAllocation } from '../../src/orders/move-allocation.js';
import {
  defaultGroupCommit,
  type OrderBatcher,
  orderBatcher,
} from '../../src/orders/order-batcher.js';
import type { CancelBody, Order, PlaceOrderBody } from '../../src/orders/orders.schemas.js';
import { placeOrder } from '../../src/orders/place-order.js';
import { quoteOrder } from '../../src/orders/quote-order.js';
import { returnLine } from '../../src/orders/return-line.js';
import type { ReceiptBody, UpdateLineBody } from '../../src/purchasing/purchase-orders.schemas.js';
import {
  createPurchaseOrder,
  receive,
  transition,
  updateLine,
} from '../../src/purchasing/purchase-orders.service.js';
import { returnToSupplier } from '../../src/purchasing/supplier-returns.js';
import { putSupplierItem } from '../../src/purchasing/suppliers.service.js';
import { addDays } from '../../src/shared/dates.js';
import { type TestDatabase, testDatabases } from '../helpers/databases.js';
import { insertChannel, insertItem, insertLocation } from '../helpers/factories.js';
import { insertSupplier } from '../helpers/supply-factories.js';
import { type HoldCommand, holdCommandArbs, planHoldCommand } from './harness/hold-commands.js';
import { checkPromises } from './harness/promise-invariants.js';
import { checkQueue } from './harness/queue-invariants.js';
import { checkReturns } from './harness/returns-invariants.js';
import {
  assertReached,
  attempt,
  batches,
  checkProperty,
  count,
  describeError,
  type Reach,
  settled,
} from './harness/run.js';
import { readLedger } from './harness/stock-invariants.js';
import {
  dispatchOpeningTransfers,
  insertItems,
  insertLocations,
  propertyContext,
  receiveOpeningStock,
  sendPurchaseOrders,
  TODAY,
} from './harness/world.js';

/**
 * DESIGN sections 2, 4 and 5 as a property: orders (placed, replayed by idempotency key,
 * cancelled, fulfilled, returned by the customer, a line increased, an allocation moved) race the stock and supply commands that
 * move promises (receipts, returns to the supplier, line changes, cancels, transfer
 * dispatches, arrivals and reschedules, adjustments, counts), in batches of BATCH at once. After every batch the database must satisfy
 * invariants 1–5: 0 ≤ reserved ≤ on_hand, on_hand = sum(ledger), reserved = sum of
 * allocations, every supply's promised counter = sum of its pegs and ≤ what it still
 * brings, and every order line's quantity = allocated + backordered + fulfilled +
 * cancelled with backordered = pegs + unpromised; idempotent replays create nothing.
 * The ledger chains and transfers and purchase orders agree with their receipts
 * (harness/supply-invariants.ts), as in the stock-ledger property, and returns with their
 * lines and ledger rows (harness/returns-invariants.ts).
 *
 * On PostgreSQL the pool has BATCH connections, so a batch really runs in parallel; on
 * SQLite the one connection serializes it. A refusal must be a 4xx AppError this command
 * may legitimately get; anything else (5xx, a plain Error, a deadlock) fails the property.
 */

const ITEMS = 3;
const LOCATIONS = 3;
const ACTOR = 'orders-property';
/** Channel 0 draws on L0 then L1, channel 1 on L1 then L2. */
const CHANNEL_LOCATIONS = [
  [0, 1],
  [1, 2],
];

type ReceiptMode = 'part' | 'rest' | 'over';
type OrderLineSpec = { item: number; quantity: number; acceptBackorder: boolean };

type Command =
  | {
      kind: 'place';
      channel: number;
      principal: number;
      lines: OrderLineSpec[];
      /** Posted twice at once with the same key: the same body, or another one. */
      twice: 'no' | 'same' | 'different';
    }
  /** An earlier key posted again: with the same body (a replay) or another (422). */
  | { kind: 'replayPlace'; pick: number; changeBody: boolean }
  | { kind: 'quote'; channel: number; lines: OrderLineSpec[] }
  | { kind: 'cancel'; pick: number; whole: boolean; line: number; quantity: number | null }
  | {
      kind: 'fulfil';
      pick: number;
      line: number;
      quantity: number;
      atLocation: boolean;
      fulfilmentKey: number;
      twice: boolean;
    }
  | {
      kind: 'poReceive';
      po: number;
      receiptKey: number;
      lines: { line: number; mode: ReceiptMode; n: number }[];
      twice: boolean;
    }
  | { kind: 'poReplay'; pick: number }
  | {
      kind: 'poLine';
      po: number;
      line: number;
      change:
        | { kind: 'reduce'; by: number }
        | { kind: 'closeShort' }
        | { kind: 'date'; days: number };
    }
  | { kind: 'poTransition'; po: number; action: 'cancel' | 'confirm' }
  | { kind: 'dispatch'; item: number; from: number; to: number; quantity: number; days: number }
  | { kind: 'arrive'; transfer: number; receiptKey: number; mode: ReceiptMode; n: number }
  | { kind: 'reschedule'; transfer: number; days: number }
  | { kind: 'adjust'; item: number; loc: number; delta: number }
  /** A customer sends back units of a line: mostly within what it shipped and kept. */
  | {
      kind: 'customerReturn';
      pick: number;
      line: number;
      quantity: number;
      loc: number;
      damaged: boolean;
      twice: boolean;
    }
  /** Received units go back to the supplier, from the order's location or another. */
  | {
      kind: 'supplierReturn';
      po: number;
      line: number;
      quantity: number;
      loc: number | null;
      twice: boolean;
    }
  // --- Orders that change (issue 15, item 2): a line increased, an allocation moved ---
  /** More units on a line: reserved, backordered under its policy, or refused. */
  | { kind: 'increaseLine'; pick: number; line: number; by: number }
  /** Reserved units of a line moved from one of its locations to any location. */
  | {
      kind: 'moveAllocation';
      pick: number;
      line: number;
      from: number;
      to: number;
      quantity: number;
    }
  // --- end of orders that change ---
  | { kind: 'count'; item: number; loc: number; quantity: number }
  // --- holds (issue 15, item 1): harness/hold-commands.ts ---
  | HoldCommand;

interface ItemSpec {
  policy: 'incoming' | 'lead_time';
  cap: number | null;
  handlingDays: number;
}

interface Scenario {
  items: ItemSpec[];
  stock: { onHand: number; safety: number }[];
  pos: {
    loc: number;
    confirm: boolean;
    lines: { item: number; quantity: number; days: number }[];
  }[];
  inTransit: { item: number; from: number; to: number; quantity: number; days: number }[];
  commands: Command[];
}

const itemArb = fc.nat(ITEMS - 1);
const locArb = fc.nat(LOCATIONS - 1);
const modeArb = fc.constantFrom<ReceiptMode>('part', 'part', 'rest', 'over');
const orderLinesArb = fc.array(
  fc.record({
    item: itemArb,
    quantity: fc.integer({ min: 1, max: 8 }),
    // Mostly accepted, so that backorders pile up for receipts and arrivals to fill.
    acceptBackorder: fc.oneof(
      { weight: 3, arbitrary: fc.constant(true) },
      { weight: 1, arbitrary: fc.constant(false) },
    ),
  }),
  { minLength: 1, maxLength: 3 },
);

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('place' as const),
      channel: fc.nat(1),
      principal: fc.nat(1),
      lines: orderLinesArb,
      twice: fc.constantFrom('no' as const, 'no' as const, 'no' as const, 'same', 'different'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('replayPlace' as const),
      pick: fc.nat(40),
      changeBody: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('quote' as const),
      channel: fc.nat(1),
      lines: orderLinesArb,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('cancel' as const),
      pick: fc.nat(40),
      whole: fc.boolean(),
      line: fc.nat(2),
      quantity: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('fulfil' as const),
      pick: fc.nat(40),
      line: fc.nat(2),
      quantity: fc.integer({ min: 1, max: 5 }),
      atLocation: fc.boolean(),
      fulfilmentKey: fc.nat(3),
      twice: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('poReceive' as const),
      po: fc.nat(9),
      receiptKey: fc.nat(4),
      lines: fc.uniqueArray(
        fc.record({ line: fc.nat(2), mode: modeArb, n: fc.integer({ min: 1, max: 6 }) }),
        { minLength: 1, maxLength: 2, selector: (l) => l.line },
      ),
      twice: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('poReplay' as const), pick: fc.nat(20) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('poLine' as const),
      po: fc.nat(9),
      line: fc.nat(2),
      change: fc.oneof(
        fc.record({ kind: fc.constant('reduce' as const), by: fc.integer({ min: 1, max: 6 }) }),
        fc.record({ kind: fc.constant('closeShort' as const) }),
        fc.record({ kind: fc.constant('date' as const), days: fc.integer({ min: 1, max: 40 }) }),
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('poTransition' as const),
      po: fc.nat(9),
      action: fc.constantFrom('cancel' as const, 'confirm' as const),
    }),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({
        kind: fc.constant('dispatch' as const),
        item: itemArb,
        from: locArb,
        to: fc.integer({ min: 1, max: LOCATIONS - 1 }),
        quantity: fc.integer({ min: 1, max: 8 }),
        days: fc.integer({ min: 1, max: 12 }),
      })
      .map((c) => ({ ...c, to: (c.from + c.to) % LOCATIONS })),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('arrive' as const),
      transfer: fc.nat(20),
      receiptKey: fc.nat(3),
      mode: modeArb,
      n: fc.integer({ min: 1, max: 5 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('reschedule' as const),
      transfer: fc.nat(20),
      days: fc.integer({ min: 0, max: 30 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('adjust' as const),
      item: itemArb,
      loc: locArb,
      delta: fc.integer({ min: -8, max: 8 }).filter((d) => d !== 0),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('customerReturn' as const),
      pick: fc.nat(40),
      line: fc.nat(2),
      quantity: fc.integer({ min: 1, max: 4 }),
      loc: locArb,
      damaged: fc.boolean(),
      twice: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('supplierReturn' as const),
      po: fc.nat(9),
      line: fc.nat(2),
      quantity: fc.integer({ min: 1, max: 4 }),
      loc: fc.option(locArb, { nil: null, freq: 3 }),
      twice: fc.boolean(),
    }),
  },
  // --- Orders that change (issue 15, item 2): increaseLine, moveAllocation ---
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('increaseLine' as const),
      pick: fc.nat(40),
      line: fc.nat(2),
      by: fc.integer({ min: 1, max: 4 }),
    }),
  },
  {
    // Most moves are refused (off the channel, nothing free at `to`): drawn often enough
    // that some succeed in every run.
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('moveAllocation' as const),
      pick: fc.nat(40),
      line: fc.nat(2),
      from: fc.nat(3),
      to: locArb,
      quantity: fc.integer({ min: 1, max: 2 }),
    }),
  },
  // --- end of orders that change ---
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('count' as const),
      item: itemArb,
      loc: locArb,
      quantity: fc.nat(12),
    }),
  },
  // --- holds (issue 15, item 1) ---
  ...holdCommandArbs(ITEMS),
);

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  items: fc.array(
    fc.record({
      policy: fc.constantFrom('incoming' as const, 'lead_time' as const),
      cap: fc.option(fc.nat(10), { nil: null }),
      handlingDays: fc.nat(2),
    }),
    { minLength: ITEMS, maxLength: ITEMS },
  ),
  stock: fc.array(
    fc.record({
      onHand: fc.nat(6),
      safety: fc.oneof(
        { weight: 4, arbitrary: fc.constant(0) },
        { weight: 1, arbitrary: fc.nat(2) },
      ),
    }),
    { minLength: ITEMS * LOCATIONS, maxLength: ITEMS * LOCATIONS },
  ),
  pos: fc.array(
    fc.record({
      loc: locArb,
      confirm: fc.boolean(),
      lines: fc.array(
        fc.record({
          item: itemArb,
          quantity: fc.integer({ min: 1, max: 12 }),
          days: fc.integer({ min: 2, max: 20 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    }),
    { minLength: 2, maxLength: 4 },
  ),
  inTransit: fc.array(
    fc
      .record({
        item: itemArb,
        from: locArb,
        to: fc.integer({ min: 1, max: LOCATIONS - 1 }),
        quantity: fc.integer({ min: 1, max: 6 }),
        days: fc.integer({ min: 1, max: 10 }),
      })
      .map((t) => ({ ...t, to: (t.from + t.to) % LOCATIONS })),
    { maxLength: 2 },
  ),
  commands: fc.array(commandArb, { minLength: 24, maxLength: 40 }),
});

interface World {
  ctx: AppContext;
  skus: string[];
  codes: string[];
  channels: string[];
  principals: Principal[];
  pos: { id: number; lineIds: number[] }[];
  /** Every transfer dispatched (in transit or since received), ascending. */
  transfers: number[];
  nextKey: number;
  /** Orders go through group commit, as over HTTP: a batch of commands shares transactions. */
  batcher: OrderBatcher;
}

/** What the run did: refusals and outcomes by name, and what later commands replay. */
interface Tally extends Reach {
  /** Keys answered so far, with the body and the first answer (an order or a code). */
  keys: { principal: number; key: string; body: PlaceOrderBody; answer: Order | string }[];
  /** Orders created (not replays), in creation order. */
  orders: number[];
  poReceipts: { po: number; body: ReceiptBody }[];
}

async function buildWorld(database: TestDatabase, scenario: Scenario): Promise<World> {
  const ctx = propertyContext(database);
  const { codes } = await insertLocations(
    ctx,
    Array.from({ length: LOCATIONS }, (_, l) => (l === 1 ? 'store' : 'warehouse')),
  );
  const channels: string[] = [];
  for (const locs of CHANNEL_LOCATIONS) {
    channels.push((await insertChannel(ctx, { locations: locs.map((l) => codes[l]!) })).code);
  }
  const supplier = await insertSupplier(ctx);
  const { skus } = await insertItems(
    ctx,
    scenario.items.map((spec) => ({
      backorderPolicy: spec.policy,
      backorderCap: spec.cap,
      handlingDays: spec.handlingDays,
    })),
  );
  for (const sku of skus) {
    await putSupplierItem(ctx, supplier.code, sku, { unitCost: 5, leadTimeDays: 14 });
  }
  for (let i = 0; i < ITEMS; i++) {
    for (let l = 0; l < LOCATIONS; l++) {
      const cell = scenario.stock[i * LOCATIONS + l]!;
      if (cell.onHand > 0) await receiveOpeningStock(ctx, skus[i]!, codes[l]!, cell.onHand, ACTOR);
      if (cell.safety > 0) await setSafetyStock(ctx, skus[i]!, codes[l]!, cell.safety);
    }
  }
  const names = { suppliers: [supplier.code], codes, skus };
  const pos = await sendPurchaseOrders(ctx, scenario.pos, names, ACTOR);
  const transfers = await dispatchOpeningTransfers(ctx, scenario.inTransit, names, ACTOR);
  const principals: Principal[] = [0, 1].map((n) => ({
    scope: `key:${9000 + n}`,
    name: `client-${n}`,
    role: n === 0 ? 'channel' : 'admin',
    channel: null,
    actor: `key:${9000 + n}/client-${n}`,
  }));
  return {
    ctx,
    skus,
    codes,
    channels,
    principals,
    pos,
    transfers,
    nextKey: 0,
    batcher: orderBatcher(ctx, defaultGroupCommit(ctx.dbKind)),
  };
}

/** The world as it stood just before a batch; commands are resolved against it. */
interface Snapshot {
  orders: {
    id: number;
    lines: {
      lineNo: number;
      allocated: number;
      backordered: number;
      /** Fulfilled and not yet returned. */
      returnable: number;
      allocations: string[];
    }[];
  }[];
  poLines: Map<number, { open: number; received: number; effective: number; returnable: number }>;
  transfers: Map<number, { rest: number; state: string }>;
  keys: Tally['keys'];
  poReceipts: Tally['poReceipts'];
}

async function takeSnapshot(world: World, tally: Tally): Promise<Snapshot> {
  const { db } = world.ctx;
  const [lines, allocations, poLines, transfers] = await Promise.all([
    db
      .selectFrom('order_lines')
      .select([
        'id',
        'order_id',
        'line_no',
        'quantity_allocated',
        'quantity_backordered',
        'quantity_fulfilled',
        'quantity_returned',
      ])
      .orderBy('id')
      .execute(),
    db
      .selectFrom('allocations')
      .innerJoin('locations', 'locations.id', 'allocations.location_id')
      .select(['allocations.order_line_id', 'allocations.quantity', 'locations.code'])
      .where('allocations.quantity', '>', 0)
      .orderBy('locations.code')
      .execute(),
    db
      .selectFrom('purchase_order_lines')
      .select([
        'id',
        'quantity_ordered',
        'quantity_received',
        'quantity_cancelled',
        'quantity_returned',
      ])
      .execute(),
    db.selectFrom('transfers').select(['id', 'quantity', 'quantity_received', 'state']).execute(),
  ]);
  const orders = tally.orders.map((id) => ({
    id,
    lines: lines
      .filter((l) => l.order_id === id)
      .map((l) => ({
        lineNo: l.line_no,
        allocated: l.quantity_allocated,
        backordered: l.quantity_backordered,
        returnable: l.quantity_fulfilled - l.quantity_returned,
        allocations: allocations.filter((a) => a.order_line_id === l.id).map((a) => a.code),
      })),
  }));
  return {
    orders,
    poLines: new Map(
      poLines.map((l) => [
        l.id,
        {
          open: Math.max(0, l.quantity_ordered - l.quantity_received - l.quantity_cancelled),
          received: l.quantity_received,
          effective: l.quantity_ordered - l.quantity_cancelled,
          returnable: l.quantity_received - l.quantity_returned,
        },
      ]),
    ),
    transfers: new Map(
      transfers.map((t) => [t.id, { rest: t.quantity - t.quantity_received, state: t.state }]),
    ),
    keys: [...tally.keys],
    poReceipts: [...tally.poReceipts],
  };
}

const bodyOf = (world: World, channel: number, lines: OrderLineSpec[]): PlaceOrderBody => ({
  channel: world.channels[channel]!,
  lines: lines.map((l) => ({
    sku: world.skus[l.item]!,
    quantity: l.quantity,
    acceptBackorder: l.acceptBackorder,
  })),
});

/** Checks an order as placed: nothing fulfilled or cancelled, shortfall only if accepted. */
function checkPlaced(world: World, what: string, body: PlaceOrderBody, order: Order): void {
  assert.equal(order.lines.length, body.lines.length, what);
  const channel = CHANNEL_LOCATIONS[world.channels.indexOf(body.channel)]!.map(
    (l) => world.codes[l],
  );
  order.lines.forEach((line, n) => {
    const wanted = body.lines[n]!;
    assert.equal(line.quantity, wanted.quantity, what);
    assert.equal(line.allocated + line.backordered, line.quantity, `placed line ${n + 1}: ${what}`);
    assert.equal(line.fulfilled + line.cancelled, 0, what);
    if (!wanted.acceptBackorder)
      assert.equal(line.backordered, 0, `no backorder accepted: ${what}`);
    assert.equal(
      line.allocations.reduce((s, a) => s + a.quantity, 0),
      line.allocated,
      `allocations of line ${n + 1}: ${what}`,
    );
    for (const a of line.allocations)
      assert.ok(channel.includes(a.location), `allocated outside the channel: ${what}`);
  });
}

/** One command bound to the snapshot: its description and how to run it. */
interface Planned {
  what: string;
  run(): Promise<void>;
  /** Runs after the whole batch (logs what later batches may replay). */
  after?: () => void;
}

const skip = (what: string): Planned => ({ what, run: async () => {} });

function plan(world: World, command: Command, snapshot: Snapshot, tally: Tally): Planned {
  const { ctx } = world;
  switch (command.kind) {
    case 'place':
      return planPlace(world, command, tally);
    case 'replayPlace': {
      const entry = snapshot.keys[command.pick % Math.max(1, snapshot.keys.length)];
      if (!entry) return skip(JSON.stringify(command));
      const body: PlaceOrderBody = command.changeBody
        ? { ...entry.body, reference: 'another body' }
        : { ...entry.body, lines: entry.body.lines.map((l) => ({ ...l })) };
      const what = `replay of key ${entry.key} (${command.changeBody ? 'another body' : 'same body'}) first answered ${
        typeof entry.answer === 'string' ? entry.answer : `order ${entry.answer.id}`
      }`;
      return {
        what,
        async run() {
          const principal = world.principals[entry.principal]!;
          const result = await attempt(
            what,
            tally,
            ['ORDER_REFUSED', 'IDEMPOTENCY_KEY_REUSED'],
            () => placeOrder(ctx, body, entry.key, principal, world.batcher),
          );
          if (command.changeBody) {
            assert.deepEqual(result, { ok: false, code: 'IDEMPOTENCY_KEY_REUSED' }, what);
            count(tally.outcomes, 'key reused with another body');
            return;
          }
          if (typeof entry.answer === 'string') {
            assert.deepEqual(result, { ok: false, code: entry.answer }, what);
          } else {
            assert.ok(result.ok, what);
            assert.equal(result.value.replayed, true, what);
            assert.equal(result.value.status, 201, what);
            assert.deepEqual(result.value.order, entry.answer, `replayed order: ${what}`);
          }
          count(tally.outcomes, 'order replayed');
        },
      };
    }
    case 'quote': {
      const body = bodyOf(world, command.channel, command.lines);
      const what = `quote ${JSON.stringify(body)}`;
      return {
        what,
        async run() {
          const quote = (await attempt(what, tally, [], () => quoteOrder(ctx, body))) as {
            ok: true;
            value: Awaited<ReturnType<typeof quoteOrder>>;
          };
          for (const line of quote.value.lines) {
            const fromStock = line.fromStock.reduce((s, f) => s + f.quantity, 0);
            assert.ok(fromStock + (line.backorder?.quantity ?? 0) <= line.quantity, what);
          }
          count(tally.outcomes, 'quote');
        },
      };
    }
    case 'cancel': {
      const order = snapshot.orders[command.pick % Math.max(1, snapshot.orders.length)];
      if (!order) return skip(JSON.stringify(command));
      const line = order.lines[command.line % order.lines.length]!;
      const input: CancelBody = command.whole
        ? { reason: 'property' }
        : {
            lines: [
              {
                line: line.lineNo,
                ...(command.quantity !== null && { quantity: command.quantity }),
              },
            ],
          };
      const what = `cancel order ${order.id}: ${JSON.stringify(input)}`;
      return {
        what,
        async run() {
          const result = await attempt(
            what,
            tally,
            ['NOTHING_TO_CANCEL', 'CANCEL_EXCEEDS_OPEN'],
            () => cancelOrder(ctx, order.id, input, ACTOR),
          );
          if (!result.ok) return;
          if (command.whole) {
            // Nothing can come back to a line with nothing open.
            for (const l of result.value.lines) {
              assert.equal(
                l.allocated + l.backordered,
                0,
                `whole cancel left line ${l.line} open: ${what}`,
              );
            }
          }
          count(tally.outcomes, command.whole ? 'order cancelled' : 'line cancelled');
        },
      };
    }
    case 'fulfil': {
      const order = snapshot.orders[command.pick % Math.max(1, snapshot.orders.length)];
      if (!order) return skip(JSON.stringify(command));
      const line = order.lines[command.line % order.lines.length]!;
      const location = command.atLocation ? line.allocations[0] : undefined;
      const input = {
        fulfilmentId: `f${command.fulfilmentKey}`,
        kind: 'shipment' as const,
        lines: [
          {
            line: line.lineNo,
            // Mostly within what was reserved before the batch.
            quantity:
              line.allocated > 0 ? Math.min(command.quantity, line.allocated) : command.quantity,
            ...(location !== undefined && { location }),
          },
        ],
      };
      const what = `fulfil order ${order.id}${command.twice ? ' (posted twice at once)' : ''}: ${JSON.stringify(input)}`;
      const post = () =>
        attempt(what, tally, ['NOT_ALLOCATED', 'FULFILMENT_ID_CONFLICT'], () =>
          fulfilOrder(ctx, order.id, input, ACTOR),
        );
      return {
        what,
        async run() {
          const results = command.twice ? await settled([post(), post()]) : [await post()];
          const applied = results.filter((r) => r.ok && !r.value.replayed);
          assert.ok(applied.length <= 1, `one fulfilment applied at most: ${what}`);
          for (const r of results) {
            if (!r.ok) continue;
            if (!r.value.replayed) {
              assert.equal(
                r.value.receipt.lines.reduce((s, l) => s + l.quantity, 0),
                input.lines[0]!.quantity,
                what,
              );
              count(tally.outcomes, 'fulfilment');
            } else count(tally.outcomes, 'fulfilment replayed');
          }
          if (command.twice && results.every((r) => r.ok)) {
            const [a, b] = results as {
              ok: true;
              value: Awaited<ReturnType<typeof fulfilOrder>>;
            }[];
            assert.deepEqual(
              a!.value.receipt.lines,
              b!.value.receipt.lines,
              `both answers alike: ${what}`,
            );
          }
        },
      };
    }
    case 'poReceive': {
      const po = world.pos[command.po % world.pos.length]!;
      const lines: ReceiptBody['lines'] = [];
      for (const { line, mode, n } of command.lines) {
        const lineId = po.lineIds[line % po.lineIds.length]!;
        if (lines.some((l) => l.line === lineId)) continue;
        const open = snapshot.poLines.get(lineId)!.open;
        lines.push({
          line: lineId,
          quantity: mode === 'part' ? n : mode === 'rest' ? Math.max(open, 1) : open + n,
        });
      }
      const body: ReceiptBody = { receiptId: `r${command.receiptKey}`, lines };
      return planReceipt(world, tally, po.id, body, command.twice);
    }
    case 'poReplay': {
      const entry = snapshot.poReceipts[command.pick % Math.max(1, snapshot.poReceipts.length)];
      if (!entry) return skip(JSON.stringify(command));
      return planReceipt(world, tally, entry.po, entry.body, false);
    }
    case 'poLine': {
      const po = world.pos[command.po % world.pos.length]!;
      const lineId = po.lineIds[command.line % po.lineIds.length]!;
      const line = snapshot.poLines.get(lineId)!;
      const { change } = command;
      const input: UpdateLineBody =
        change.kind === 'date'
          ? { expectedDate: addDays(TODAY, change.days), reason: 'supplier moved the date' }
          : {
              quantity:
                change.kind === 'reduce'
                  ? Math.max(line.received, line.effective - change.by)
                  : line.received,
              reason: 'property',
            };
      const what = `change of PO ${po.id} line ${lineId}: ${JSON.stringify(input)}`;
      return {
        what,
        async run() {
          const result = await attempt(
            what,
            tally,
            ['PURCHASE_ORDER_CLOSED', 'LINE_COMPLETE', 'LINE_LOCKED', 'QUANTITY_BELOW_RECEIVED'],
            () => updateLine(ctx, po.id, lineId, input, ACTOR),
          );
          if (result.ok)
            count(tally.outcomes, change.kind === 'date' ? 'po date changed' : 'po line reduced');
        },
      };
    }
    case 'poTransition': {
      const po = world.pos[command.po % world.pos.length]!;
      const what = `${command.action} PO ${po.id}`;
      return {
        what,
        async run() {
          const result = await attempt(what, tally, ['INVALID_TRANSITION'], () =>
            transition(ctx, po.id, command.action, ACTOR, 'property'),
          );
          if (result.ok) count(tally.outcomes, `po ${command.action}`);
        },
      };
    }
    case 'dispatch': {
      const input = {
        sku: world.skus[command.item]!,
        from: world.codes[command.from]!,
        to: world.codes[command.to]!,
        quantity: command.quantity,
        expectedDate: addDays(TODAY, command.days),
      };
      const what = `dispatch ${JSON.stringify(input)}`;
      return {
        what,
        async run() {
          const result = await attempt(what, tally, ['INSUFFICIENT_STOCK'], () =>
            dispatchTransfer(ctx, input, ACTOR),
          );
          if (!result.ok) return;
          world.transfers.push(result.value.id);
          count(tally.outcomes, 'dispatch');
        },
      };
    }
    case 'arrive': {
      const id = world.transfers[command.transfer % Math.max(1, world.transfers.length)];
      if (id === undefined) return skip(JSON.stringify(command));
      const rest = snapshot.transfers.get(id)?.rest ?? 1;
      const quantity =
        command.mode === 'part'
          ? command.n
          : command.mode === 'rest'
            ? Math.max(rest, 1)
            : rest + command.n;
      const input = { receiptId: `a${command.receiptKey}`, quantity };
      const what = `arrival on transfer ${id}: ${JSON.stringify(input)}`;
      return {
        what,
        async run() {
          const result = await attempt(
            what,
            tally,
            ['TRANSFER_OVER_RECEIPT', 'INVALID_TRANSFER_STATE', 'RECEIPT_ID_CONFLICT'],
            () => receiveTransfer(ctx, id, input, ACTOR),
          );
          if (result.ok)
            count(tally.outcomes, result.value.replayed ? 'arrival replayed' : 'arrival');
        },
      };
    }
    case 'reschedule': {
      const id = world.transfers[command.transfer % Math.max(1, world.transfers.length)];
      if (id === undefined) return skip(JSON.stringify(command));
      const input = { expectedDate: addDays(TODAY, command.days) };
      const what = `reschedule transfer ${id}: ${JSON.stringify(input)}`;
      return {
        what,
        async run() {
          const result = await attempt(what, tally, ['INVALID_TRANSFER_STATE'], () =>
            rescheduleTransfer(ctx, id, input, ACTOR),
          );
          if (result.ok) count(tally.outcomes, 'reschedule');
        },
      };
    }
    case 'adjust': {
      const input = {
        sku: world.skus[command.item]!,
        location: world.codes[command.loc]!,
        delta: command.delta,
        type: 'adjustment' as const,
        reason: 'property',
      };
      const what = `adjust ${JSON.stringify(input)}`;
      return {
        what,
        async run() {
          const result = await attempt(
            what,
            tally,
            command.delta < 0 ? ['INSUFFICIENT_STOCK'] : [],
            () => adjustStock(ctx, input, ACTOR),
          );
          if (result.ok) count(tally.outcomes, command.delta > 0 ? 'adjusted up' : 'adjusted down');
        },
      };
    }
    case 'customerReturn':
      return planCustomerReturn(world, command, snapshot, tally);
    case 'supplierReturn':
      return planSupplierReturn(world, command, snapshot, tally);
    // --- Orders that change (issue 15, item 2) ---
    case 'increaseLine':
      return planIncreaseLine(world, command, snapshot, tally);
    case 'moveAllocation':
      return planMoveAllocation(world, command, snapshot, tally);
    // --- end of orders that change ---
    // --- holds (issue 15, item 1) ---
    case 'holdPlace':
    case 'holdExtend':
    case 'holdExpire':
    case 'holdRelease':
    case 'holdConvert':
      return planHoldCommand(world, command, tally);
    case 'count': {
      const input = {
        sku: world.skus[command.item]!,
        location: world.codes[command.loc]!,
        quantity: command.quantity,
      };
      const what = `count ${JSON.stringify(input)}`;
      return {
        what,
        async run() {
          const result = await attempt(what, tally, ['COUNT_BELOW_RESERVED'], () =>
            recordCount(ctx, input, ACTOR),
          );
          if (result.ok) count(tally.outcomes, 'count');
        },
      };
    }
  }
}

function planPlace(
  world: World,
  command: Extract<Command, { kind: 'place' }>,
  tally: Tally,
): Planned {
  const principal = world.principals[command.principal]!;
  const key = `p${world.nextKey++}`;
  const body = bodyOf(world, command.channel, command.lines);
  const other: PlaceOrderBody =
    command.twice === 'different'
      ? {
          ...body,
          lines: body.lines.map((l, n) => (n === 0 ? { ...l, quantity: l.quantity + 1 } : l)),
        }
      : body;
  const what = `place with key ${key}${command.twice === 'no' ? '' : ` (posted twice at once, ${command.twice} body)`}: ${JSON.stringify(body)}`;
  const allowed =
    command.twice === 'different' ? ['ORDER_REFUSED', 'IDEMPOTENCY_KEY_REUSED'] : ['ORDER_REFUSED'];
  const post = (input: PlaceOrderBody) =>
    attempt(what, tally, allowed, () =>
      placeOrder(world.ctx, input, key, principal, world.batcher),
    );
  let logged: Tally['keys'][number] | undefined;
  return {
    what,
    async run() {
      const results =
        command.twice === 'no' ? [await post(body)] : await settled([post(body), post(other)]);
      const created = results.filter((r) => r.ok && !r.value.replayed);
      assert.ok(created.length <= 1, `one order per key: ${what}`);
      results.forEach((r, n) => {
        if (r.ok && !r.value.replayed)
          checkPlaced(world, what, n === 0 ? body : other, r.value.order);
      });
      for (const r of created) if (r.ok) tally.orders.push(r.value.order.id);
      const describe = (r: (typeof results)[number]) =>
        r.ok ? `order ${r.value.order.id}${r.value.replayed ? ' (replayed)' : ''}` : r.code;
      if (command.twice === 'same') {
        // Same key, same body: one answer, whichever request got there first.
        const [a, b] = results as [(typeof results)[number], (typeof results)[number]];
        assert.ok(
          a.ok === b.ok &&
            (a.ok && b.ok
              ? a.value.order.id === b.value.order.id
              : !a.ok && !b.ok && a.code === b.code),
          `the same key and body answered differently: ${describe(a)} and ${describe(b)}: ${what}`,
        );
        if (a.ok && b.ok) {
          assert.equal(Number(a.value.replayed) + Number(b.value.replayed), 1, what);
          assert.deepEqual(a.value.order, b.value.order, `both answers alike: ${what}`);
        }
      }
      if (command.twice === 'different') {
        const reused = results.filter((r) => !r.ok && r.code === 'IDEMPOTENCY_KEY_REUSED');
        assert.ok(reused.length <= 1, `both bodies refused as reusing the key: ${what}`);
        if (created.length === 1)
          assert.equal(reused.length, 1, `the other body must be refused: ${what}`);
      }
      for (const r of results) {
        if (r.ok) {
          count(tally.outcomes, r.value.replayed ? 'order replayed' : 'order created');
          if (!r.value.replayed && r.value.order.lines.some((l) => l.backordered > 0))
            count(tally.outcomes, 'order backordered');
        } else if (r.code === 'IDEMPOTENCY_KEY_REUSED')
          count(tally.outcomes, 'key reused with another body');
      }
      const first = results[0]!;
      if (command.twice !== 'different') {
        logged = {
          principal: command.principal,
          key,
          body,
          answer: first.ok ? (JSON.parse(JSON.stringify(first.value.order)) as Order) : first.code,
        };
      }
    },
    after() {
      if (logged) tally.keys.push(logged);
    },
  };
}

function planReceipt(
  world: World,
  tally: Tally,
  po: number,
  body: ReceiptBody,
  twice: boolean,
): Planned {
  const what = `receipt on PO ${po}${twice ? ' (posted twice at once)' : ''}: ${JSON.stringify(body)}`;
  let applied = false;
  const post = () =>
    attempt(what, tally, ['RECEIPT_ID_CONFLICT', 'NOT_RECEIVABLE'], () =>
      receive(world.ctx, po, body, ACTOR),
    );
  return {
    what,
    async run() {
      const results = twice ? await settled([post(), post()]) : [await post()];
      const fresh = results.filter((r) => r.ok && !r.value.replayed);
      assert.ok(fresh.length <= 1, `one receipt applied at most: ${what}`);
      for (const r of results) {
        if (r.ok) count(tally.outcomes, r.value.replayed ? 'po receipt replayed' : 'po receipt');
      }
      applied = fresh.length === 1;
    },
    after() {
      if (applied) tally.poReceipts.push({ po, body });
    },
  };
}

/**
 * Units come back on a line shipped before the batch (the odd one asks for more than is
 * left, and must be refused). With nothing shipped yet, the command first ships what a
 * line holds (racing the batch like any fulfilment), then takes some of it back. Posted
 * twice at once, both race for the same units: the line's conditional counter lets
 * through no more than were shipped (checkReturns).
 */
function planCustomerReturn(
  world: World,
  command: Extract<Command, { kind: 'customerReturn' }>,
  snapshot: Snapshot,
  tally: Tally,
): Planned {
  const shipped = snapshot.orders.filter((o) => o.lines.some((l) => l.returnable > 0));
  const reserved = snapshot.orders.filter((o) => o.lines.some((l) => l.allocated > 0));
  const shipFirst = shipped.length === 0;
  const pool = shipFirst ? reserved : shipped;
  const order = pool[command.pick % Math.max(1, pool.length)];
  if (!order) return skip(JSON.stringify(command));
  const candidates = order.lines.filter((l) => (shipFirst ? l.allocated : l.returnable) > 0);
  const line = candidates[command.line % candidates.length]!;
  const returnable = shipFirst ? Math.min(command.quantity, line.allocated) : line.returnable;
  const input = {
    quantity: Math.min(command.quantity, returnable),
    location: world.codes[command.loc]!,
    disposition: command.damaged ? ('damaged' as const) : ('restock' as const),
    reason: 'property',
  };
  const fulfilmentId = `rf${world.nextKey++}`;
  const what = `customer return on order ${order.id} line ${line.lineNo}${shipFirst ? ' (shipped first)' : ''}${command.twice ? ' (posted twice at once)' : ''}: ${JSON.stringify(input)}`;
  const post = () =>
    attempt(what, tally, ['RETURN_EXCEEDS_FULFILLED'], () =>
      returnLine(world.ctx, { id: order.id, line: line.lineNo }, input, ACTOR, null, undefined),
    );
  return {
    what,
    async run() {
      if (shipFirst) {
        const shipment = {
          fulfilmentId,
          kind: 'shipment' as const,
          lines: [{ line: line.lineNo, quantity: input.quantity }],
        };
        const result = await attempt(what, tally, ['NOT_ALLOCATED'], () =>
          fulfilOrder(world.ctx, order.id, shipment, ACTOR),
        );
        if (!result.ok) return;
        count(tally.outcomes, 'fulfilment');
      }
      const results = command.twice ? await settled([post(), post()]) : [await post()];
      // A fulfilment in the same batch may ship more of the line: the bound on what came
      // back is checked on the rows after the batch (checkReturns), not here.
      for (const r of results) {
        if (!r.ok) continue;
        assert.equal(r.value.return.quantity, input.quantity, what);
        assert.ok(r.value.backordersFilled <= input.quantity, what);
        if (input.disposition === 'damaged') assert.equal(r.value.backordersFilled, 0, what);
        count(tally.outcomes, 'customer return');
        count(tally.outcomes, `customer return ${input.disposition}`);
        if (r.value.backordersFilled > 0) count(tally.outcomes, 'return filled a backorder');
      }
    },
  };
}

/** Received units go back; reserved ones cannot (409 INSUFFICIENT_STOCK). */
function planSupplierReturn(
  world: World,
  command: Extract<Command, { kind: 'supplierReturn' }>,
  snapshot: Snapshot,
  tally: Tally,
): Planned {
  // A line with received units to return when there is one: picked blindly, nearly every
  // return asked for what never arrived, and some seeds then made no return at all.
  const lines = world.pos.flatMap((p) => p.lineIds.map((lineId) => ({ po: p, lineId })));
  const receivedLines = lines.filter((l) => snapshot.poLines.get(l.lineId)!.returnable > 0);
  const pool = receivedLines.length > 0 ? receivedLines : lines;
  const { po, lineId } = pool[(command.po * 7 + command.line) % pool.length]!;
  const { returnable } = snapshot.poLines.get(lineId)!;
  const input = {
    quantity: returnable > 0 ? Math.min(command.quantity, returnable) : command.quantity,
    ...(command.loc !== null && { location: world.codes[command.loc]! }),
    reason: 'property',
  };
  const what = `supplier return on PO ${po.id} line ${lineId}${command.twice ? ' (posted twice at once)' : ''}: ${JSON.stringify(input)}`;
  const post = () =>
    attempt(what, tally, ['RETURN_EXCEEDS_RECEIVED', 'INSUFFICIENT_STOCK'], () =>
      returnToSupplier(world.ctx, { id: po.id, line: lineId }, input, ACTOR, undefined),
    );
  return {
    what,
    async run() {
      const results = command.twice ? await settled([post(), post()]) : [await post()];
      // A receipt in the same batch may bring more: checkReturns holds the bound.
      const applied = results.filter((r) => r.ok).length;
      if (applied > 0) count(tally.outcomes, 'supplier return', applied);
    },
  };
}

// --- Orders that change (issue 15, item 2): increaseLine, moveAllocation ---

/** An edit as the property makes it: staff, no channel scope, no Idempotency-Key. */
const propertyEdit = (id: number) => ({
  id,
  actor: ACTOR,
  scope: null,
  idempotency: undefined,
});

/** More units on a line of an earlier order; closed lines and short stock are refused. */
function planIncreaseLine(
  world: World,
  command: Extract<Command, { kind: 'increaseLine' }>,
  snapshot: Snapshot,
  tally: Tally,
): Planned {
  const order = snapshot.orders[command.pick % Math.max(1, snapshot.orders.length)];
  if (!order) return skip(JSON.stringify(command));
  const line = order.lines[command.line % order.lines.length]!;
  const what = `increase line ${line.lineNo} of order ${order.id} by ${command.by}`;
  return {
    what,
    async run() {
      const result = await attempt(
        what,
        tally,
        ['INSUFFICIENT_STOCK', 'LINE_CLOSED', 'INCREASE_WOULD_JUMP_QUEUE'],
        () => increaseLine(world.ctx, propertyEdit(order.id), line.lineNo, { by: command.by }),
      );
      if (!result.ok) return;
      const after = result.value.lines.find((l) => l.line === line.lineNo)!;
      assert.equal(
        after.allocated + after.backordered + after.fulfilled + after.cancelled,
        after.quantity,
        `increased line adds up: ${what}`,
      );
      count(tally.outcomes, 'line increased');
      if (after.backordered > line.backordered) count(tally.outcomes, 'increase backordered');
    },
  };
}

/**
 * Reserved units moved between locations: mostly from one the line holds, to any of the
 * three (off the channel, without free stock, beyond what is held: refused).
 */
function planMoveAllocation(
  world: World,
  command: Extract<Command, { kind: 'moveAllocation' }>,
  snapshot: Snapshot,
  tally: Tally,
): Planned {
  const order = snapshot.orders[command.pick % Math.max(1, snapshot.orders.length)];
  if (!order) return skip(JSON.stringify(command));
  const line = order.lines[command.line % order.lines.length]!;
  const from =
    line.allocations[command.from % Math.max(1, line.allocations.length)] ?? world.codes[0]!;
  const picked = world.codes[command.to]!;
  const to = picked === from ? world.codes[(command.to + 1) % LOCATIONS]! : picked;
  const input = { from, to, quantity: command.quantity };
  const what = `move on line ${line.lineNo} of order ${order.id}: ${JSON.stringify(input)}`;
  return {
    what,
    async run() {
      const result = await attempt(
        what,
        tally,
        ['MOVE_EXCEEDS_ALLOCATION', 'INSUFFICIENT_STOCK', 'LOCATION_NOT_ON_CHANNEL'],
        () => moveAllocation(world.ctx, propertyEdit(order.id), line.lineNo, input),
      );
      if (!result.ok) return;
      const after = result.value.lines.find((l) => l.line === line.lineNo)!;
      assert.ok(
        after.allocations.some((a) => a.location === to),
        `the moved units are reserved at ${to}: ${what}`,
      );
      count(tally.outcomes, 'allocation moved');
    },
  };
}

// --- end of orders that change ---

async function runScenario(database: TestDatabase, scenario: Scenario): Promise<Tally> {
  const world = await buildWorld(database, scenario);
  const tally: Tally = { refusals: {}, outcomes: {}, keys: [], orders: [], poReceipts: [] };
  const { db } = world.ctx;
  await checkPromises(db, tally, 'after setting up');
  for (const batch of batches(scenario.commands)) {
    const snapshot = await takeSnapshot(world, tally);
    const planned = batch.map((command) => plan(world, command, snapshot, tally));
    await settled(planned.map((p) => p.run()));
    for (const p of planned) p.after?.();
    world.transfers.sort((a, b) => a - b);
    const when = `after the batch ${JSON.stringify(planned.map((p) => p.what))}`;
    await checkPromises(db, tally, when);
    await checkQueue(db, when);
    await checkReturns(db, await readLedger(db), when);
  }
  // What the run reached inside the queue, read from the rows it leaves behind.
  const events = await db
    .selectFrom('domain_events')
    .select(['type', (eb) => eb.fn.countAll<number>().as('n')])
    .where('type', 'in', ['order_line.ready', 'order_line.repromised'])
    .groupBy('type')
    .execute();
  for (const e of events) count(tally.outcomes, `event ${e.type}`, Number(e.n));
  return tally;
}

// The two databases run side by side: each run waits mostly on its database.
describe('orders property', { concurrency: true }, () => {
  for (const target of testDatabases()) {
    it(`${target.kind}: keeps stock, promises and order lines consistent while orders race stock and supply commands`, async (t) => {
      const { refusals, outcomes } = await checkProperty(t, target, {
        scenarios: scenarioArb,
        numRuns: Number(
          process.env.STOCKROOM_PROPERTY_RUNS ?? (target.kind === 'sqlite' ? 30 : 20),
        ),
        // PostgreSQL migrating a fresh schema per run would cost seconds each.
        reuseSchema: true,
        run: runScenario,
        // Shown at once: shrinking on PostgreSQL can take a while (and may not reproduce).
        reportFirstFailure: true,
        parameters: {
          // Shrinking a race on PostgreSQL may go on for long: report the smallest so far.
          // The limit covers the runs too, so it leaves room for a loaded 2-core machine
          // (at load 16 only 14 of the 20 runs fitted in 120 s): never fewer runs than asked.
          interruptAfterTimeLimit: 300_000,
          markInterruptAsFailure: true,
        },
      });
      // If the generator stops reaching the common outcomes, the property silently tests
      // less: fail. Rarer ones depend on the random commands (and on PostgreSQL on their
      // interleaving), so a run without them is reported, not failed.
      assertReached(
        outcomes,
        [
          'order created',
          'order backordered',
          'order cancelled',
          'fulfilment',
          'po receipt',
          'dispatch',
          'arrival',
          'peg seen on a PO line',
          'lead-time peg seen',
          'customer return',
          'supplier return',
        ],
        (what) => `no "${what}" was generated`,
      );
      const rare = [
        'order replayed',
        'key reused with another body',
        'line cancelled',
        'fulfilment replayed',
        'po date changed',
        'po line reduced',
        'po cancel',
        'reschedule',
        'event order_line.ready',
        'event order_line.repromised',
        'peg seen on a transfer',
        'customer return restock',
        'customer return damaged',
        'return filled a backorder',
        // Orders that change (issue 15, item 2).
        'line increased',
        'increase backordered',
        'allocation moved',
      ].filter((what) => (outcomes[what] ?? 0) === 0);
      if (rare.length > 0) t.diagnostic(`not generated in this run: ${rare.join(', ')}`);
      assertReached(refusals, ['ORDER_REFUSED'], () => 'no refused order');
    });
  }
});

/** Minimal repros of what the property found, kept as regression tests. */
describe('orders property: regressions it found', () => {
  for (const target of testDatabases()) {
    it(`${target.kind}: a fill covering both a line's pegged and its lead-time units clears its promised date`, async () => {
      const database = await target.open();
      try {
        const ctx: AppContext = propertyContext(database);
        const [w1] = [(await insertLocation(ctx)).code];
        const channel = (await insertChannel(ctx, { locations: [w1!] })).code;
        const { sku } = await insertItem(ctx, { backorderPolicy: 'lead_time' });
        const supplier = await insertSupplier(ctx);
        await putSupplierItem(ctx, supplier.code, sku, { unitCost: 5, leadTimeDays: 14 });
        const po = await createPurchaseOrder(
          ctx,
          {
            supplier: supplier.code,
            location: w1!,
            lines: [{ sku, quantity: 2, unitCost: 5, expectedDate: addDays(TODAY, 5) }],
          },
          ACTOR,
        );
        await transition(ctx, po.id, 'send', ACTOR);
        const principal: Principal = {
          scope: 'key:1',
          name: 'c',
          role: 'admin',
          channel: null,
          actor: 'c',
        };
        // 2 units pegged to the PO line, 1 promised on lead time.
        const placed = await placeOrder(
          ctx,
          { channel, lines: [{ sku, quantity: 3, acceptBackorder: true }] },
          'k1',
          principal,
        );
        assert.deepEqual(
          placed.order.lines[0]!.promise!.restsOn.map((r) => [r.kind, r.quantity]),
          [
            ['purchase_order', 2],
            ['lead_time', 1],
          ],
        );
        // Three arrive: they fill the pegged units and the lead-time one.
        await receive(
          ctx,
          po.id,
          { receiptId: 'r1', lines: [{ line: po.lines[0]!.id, quantity: 3 }] },
          ACTOR,
        );
        const line = await ctx.db
          .selectFrom('order_lines')
          .select(['quantity_allocated', 'quantity_backordered', 'promised_date'])
          .executeTakeFirstOrThrow();
        assert.equal(line.quantity_allocated, 3);
        assert.equal(line.quantity_backordered, 0);
        // fillFromArrival gets two fills for the line (pegged, then unpegged) and computes
        // backorderedAfter from the line as read before both, so it is never 0.
        assert.equal(line.promised_date, null, 'nothing waits, yet a date is still promised');
      } finally {
        await database.drop();
      }
    });
  }
  const postgres = testDatabases().find((t) => t.kind === 'postgres');
  it('postgres: a fulfilment from two locations and a receipt filling the same line do not deadlock', {
    skip: postgres ? false : 'needs PostgreSQL',
  }, async () => {
    const database = await postgres!.open({ poolSize: 4 });
    try {
      const ctx: AppContext = propertyContext(database);
      const l0 = (await insertLocation(ctx)).code;
      const l1 = (await insertLocation(ctx)).code;
      const channel = (await insertChannel(ctx, { locations: [l0, l1] })).code;
      const { sku } = await insertItem(ctx);
      const supplier = await insertSupplier(ctx);
      const po = await createPurchaseOrder(
        ctx,
        {
          supplier: supplier.code,
          location: l1,
          lines: [{ sku, quantity: 2, unitCost: 5, expectedDate: addDays(TODAY, 5) }],
        },
        ACTOR,
      );
      await transition(ctx, po.id, 'send', ACTOR);
      await adjustStock(ctx, { sku, location: l0, delta: 1, reason: 'opening' }, ACTOR);
      await adjustStock(ctx, { sku, location: l1, delta: 1, reason: 'opening' }, ACTOR);
      const principal: Principal = {
        scope: 'key:1',
        name: 'c',
        role: 'admin',
        channel: null,
        actor: 'c',
      };
      // 1 reserved at each location, 2 pegged to the PO line.
      const { order } = await placeOrder(
        ctx,
        { channel, lines: [{ sku, quantity: 4, acceptBackorder: true }] },
        'k',
        principal,
      );
      assert.deepEqual([order.lines[0]!.allocated, order.lines[0]!.backordered], [2, 2]);

      // Holding the peg row pauses the receipt inside its fill, after it has taken the
      // stock row at l1 and before it updates the order line.
      let open!: () => void;
      const gate = new Promise<void>((resolve) => {
        open = resolve;
      });
      const holder = ctx.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('backorder_pegs')
          .set((eb) => ({ quantity: eb.ref('quantity') }))
          .execute();
        await gate;
      });
      const pause = () => new Promise((resolve) => setTimeout(resolve, 300));
      const outcome = (p: Promise<unknown>) =>
        p.then(
          () => 'done',
          (e: unknown) => describeError(e),
        );
      await pause();
      const receipt = outcome(
        receive(
          ctx,
          po.id,
          { receiptId: 'r1', lines: [{ line: po.lines[0]!.id, quantity: 2 }] },
          ACTOR,
        ),
      );
      await pause();
      // Takes the stock row at l0, then the order line, then waits for the one at l1.
      const fulfilment = outcome(
        fulfilOrder(
          ctx,
          order.id,
          { fulfilmentId: 'f1', kind: 'shipment', lines: [{ line: 1, quantity: 2 }] },
          ACTOR,
        ),
      );
      await pause();
      open();
      await holder;
      // DESIGN section 2: rows are touched in a fixed order, so that nothing deadlocks.
      assert.deepEqual([await receipt, await fulfilment], ['done', 'done']);
    } finally {
      await database.drop();
    }
  });
});
