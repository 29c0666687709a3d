import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import pg from 'pg';
import { createChannel } from '../../src/catalogue/channels.service.js';
import { createItem } from '../../src/catalogue/items.service.js';
import { createLocation } from '../../src/catalogue/locations.service.js';
import { adjustStock, setSafetyStock } from '../../src/inventory/stock.service.js';
import { dispatchTransfer } from '../../src/inventory/transfers.service.js';
import type { AppContext } from '../../src/kernel/context.js';
import { createPurchaseOrder, transition } from '../../src/purchasing/purchase-orders.service.js';
import { createSupplier, putSupplierItem } from '../../src/purchasing/suppliers.service.js';
import { systemClock } from '../../src/shared/clock.js';
import { type TestDatabase, testDatabases } from '../helpers/databases.js';
import type { OrderDoc } from '../helpers/orders.js';
import { type ServerProcess, startServer } from './servers.js';

/**
 * The concurrency proof of DESIGN section 2: real server processes (three sharing one
 * PostgreSQL database; one on SQLite), 32 HTTP clients placing 2,000 random orders against
 * 50 SKUs with scarce stock, while back-office clients receive purchase orders and
 * transfers in parts, slip purchase-order dates, cancel and fulfil orders. Afterwards
 * every invariant is checked by reading the database directly, and every response the
 * clients saw must have been one the API promises (201/409 for orders, 200 replays, 422
 * for a reused key); anything else, a 503 CONTENDED included, fails the test.
 *
 * Random but reproducible: STOCKROOM_CONCURRENCY_SEED picks the seed (printed).
 */

const CLIENTS = 32;
/** Back-office clients running beside the order clients. */
const OPS_CLIENTS = 3;
const ORDERS = 2000;
const SKUS = 50;
const HOT_SKUS = 10;
const ADMIN_KEY = 'sr_test_concurrency_admin_key_0123456789abcdef';
const SEED = Number(process.env.STOCKROOM_CONCURRENCY_SEED ?? Date.now() % 1_000_000);
/** A hang guard for the whole run on a slow CI machine, not a performance assertion. */
const TEST_LIMIT_MS = 15 * 60_000;

/** mulberry32 */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
type Rand = () => number;
const int = (rand: Rand, min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const skuOf = (i: number) => `CC-${String(i).padStart(3, '0')}`;
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const today = () => systemClock.now().toISOString().slice(0, 10);

// ---------------------------------------------------------------------------------------
// The world

interface PoLine {
  poId: number;
  lineId: number;
  sku: string;
  ordered: number;
  received: number;
  expectedDate: string;
}

interface TransferState {
  id: number;
  quantity: number;
  received: number;
}

/**
 * Locations W1 (warehouse), S1, S2; channel web over W1, S1, S2 and pos over S1. 50 SKUs:
 * 35 backorder against incoming supply, 10 on lead time (half of them capped), 5 never.
 * Stock is scarce (a few units per location, some held back as safety stock); four sent
 * purchase orders and three transfers in transit bring more.
 */
async function seedWorld(ctx: AppContext, rand: Rand) {
  const actor = 'test:seed';
  await createLocation(ctx, { code: 'W1', name: 'Warehouse', kind: 'warehouse' });
  await createLocation(ctx, { code: 'S1', name: 'Store one', kind: 'store' });
  await createLocation(ctx, { code: 'S2', name: 'Store two', kind: 'store' });
  await createChannel(ctx, {
    code: 'web',
    name: 'Web',
    kind: 'online',
    locations: ['W1', 'S1', 'S2'],
  });
  await createChannel(ctx, { code: 'pos', name: 'Tills', kind: 'pos', locations: ['S1'] });
  await createSupplier(ctx, {
    code: 'ACME',
    name: 'Acme',
    email: 'po@acme.test',
    leadTimeDays: 14,
  });
  for (let i = 0; i < SKUS; i++) {
    const sku = skuOf(i);
    const policy = i < 35 ? 'incoming' : i < 45 ? 'lead_time' : 'none';
    await createItem(ctx, {
      sku,
      name: `Contended item ${i}`,
      category: 'kitchen',
      price: 10,
      backorderPolicy: policy,
      ...(policy === 'lead_time' && i % 2 === 0 && { backorderCap: 15 }),
      handlingDays: 1,
    });
    await putSupplierItem(ctx, 'ACME', sku, { unitCost: 4, preferred: true });
    for (const location of ['W1', 'S1', 'S2']) {
      const onHand = location === 'W1' ? int(rand, 0, 24) : int(rand, 0, 6);
      if (onHand > 0) {
        await adjustStock(ctx, { sku, location, delta: onHand, reason: 'opening stock' }, actor);
      }
      if (location === 'W1' && onHand > 2 && rand() < 0.3) {
        await setSafetyStock(ctx, sku, location, 1);
      }
    }
  }
  const poLines: PoLine[] = [];
  const base = today();
  for (const [n, location] of ['W1', 'W1', 'S1', 'S2'].entries()) {
    const lines = [];
    for (let i = n; i < 45; i += 3) {
      if (rand() < 0.6) {
        lines.push({
          sku: skuOf(i),
          quantity: int(rand, 10, 40),
          expectedDate: addDays(base, int(rand, 5, 30)),
          confidence: rand() < 0.5 ? ('confirmed' as const) : ('estimated' as const),
        });
      }
    }
    const po = await createPurchaseOrder(ctx, { supplier: 'ACME', location, lines }, actor);
    await transition(ctx, po.id, 'send', actor);
    for (const line of po.lines) {
      poLines.push({
        poId: po.id,
        lineId: line.id,
        sku: line.sku,
        ordered: line.quantity,
        received: 0,
        expectedDate: line.expectedDate,
      });
    }
  }
  // Transfers leave W1 now and arrive at a store later: incoming supply of another kind.
  const transfers: TransferState[] = [];
  for (const i of [1, 4, 7]) {
    const sku = skuOf(i);
    await adjustStock(ctx, { sku, location: 'W1', delta: 10, reason: 'for transfer' }, actor);
    const transfer = await dispatchTransfer(
      ctx,
      { sku, from: 'W1', to: i === 4 ? 'S2' : 'S1', quantity: 10, expectedDate: addDays(base, 6) },
      actor,
    );
    transfers.push({ id: transfer.id, quantity: 10, received: 0 });
  }
  return { poLines, transfers };
}

// ---------------------------------------------------------------------------------------
// Clients

interface Reply {
  status: number;
  body: unknown;
  replayed: string | null;
}

interface Stats {
  attempts: number;
  placed: number;
  refused: number;
  sequentialReplays: number;
  concurrentDuplicates: number;
  keyReuses: number;
  linesPlaced: number;
  backorderedLines: number;
  unitsOrdered: number;
  unitsAllocatedAtPlacement: number;
  unitsPeggedAtPlacement: number;
  unitsEstimatedAtPlacement: number;
  unitsUnpromisedAtPlacement: number;
  receipts: number;
  receiptReplays: number;
  transferReceipts: number;
  slips: number;
  cancels: number;
  fulfilments: number;
  fulfilmentReplays: number;
  requests: number;
}

class Run {
  readonly failures: string[] = [];
  /** Idempotency key → the order id it created. */
  readonly placedKeys = new Map<string, number>();
  readonly refusedKeys = new Set<string>();
  /** Refused key → how many lines its refusal named: what lost_demand must hold. */
  readonly refusedLines = new Map<string, number>();
  readonly placedOrders: number[] = [];
  readonly stats: Stats = {
    attempts: 0,
    placed: 0,
    refused: 0,
    sequentialReplays: 0,
    concurrentDuplicates: 0,
    keyReuses: 0,
    linesPlaced: 0,
    backorderedLines: 0,
    unitsOrdered: 0,
    unitsAllocatedAtPlacement: 0,
    unitsPeggedAtPlacement: 0,
    unitsEstimatedAtPlacement: 0,
    unitsUnpromisedAtPlacement: 0,
    receipts: 0,
    receiptReplays: 0,
    transferReceipts: 0,
    slips: 0,
    cancels: 0,
    fulfilments: 0,
    fulfilmentReplays: 0,
    requests: 0,
  };
  private next = 0;
  constructor(readonly servers: readonly ServerProcess[]) {}

  /** Round-robin over the server processes. */
  server(): string {
    return this.servers[this.next++ % this.servers.length]!.url;
  }

  async call(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    base = this.server(),
  ): Promise<Reply> {
    this.stats.requests++;
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN_KEY}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? null : JSON.parse(text),
      replayed: response.headers.get('idempotent-replayed'),
    };
  }

  /** Records a response outside what the API promises for this request. */
  expect(what: string, reply: Reply, ...allowed: number[]): boolean {
    if (allowed.includes(reply.status)) return true;
    this.failures.push(
      `${what}: HTTP ${reply.status} (expected ${allowed.join('/')}): ${JSON.stringify(reply.body).slice(0, 600)}`,
    );
    return false;
  }
}

function orderBody(rand: Rand) {
  const count = int(rand, 1, 5);
  const chosen = new Set<number>();
  while (chosen.size < count) {
    // Half the picks go to ten hot SKUs: many clients race for the same last units.
    chosen.add(rand() < 0.5 ? int(rand, 0, HOT_SKUS - 1) : int(rand, 0, SKUS - 1));
  }
  return {
    channel: rand() < 0.8 ? 'web' : 'pos',
    ...(rand() < 0.3 && { customer: { name: 'Ann Buyer', email: 'ann@example.test' } }),
    lines: [...chosen].map((i) => ({
      sku: skuOf(i),
      quantity: rand() < 0.7 ? int(rand, 1, 2) : int(rand, 3, 5),
      ...(rand() < 0.6 && { acceptBackorder: true }),
    })),
  };
}

function recordPlaced(run: Run, key: string, reply: Reply) {
  const order = reply.body as OrderDoc;
  const earlier = run.placedKeys.get(key);
  if (earlier !== undefined) {
    if (earlier !== order.id) {
      run.failures.push(`key ${key} answered with orders ${earlier} and ${order.id}`);
    }
    return;
  }
  run.placedKeys.set(key, order.id);
  run.placedOrders.push(order.id);
  run.stats.placed++;
  for (const line of order.lines) {
    run.stats.linesPlaced++;
    run.stats.unitsOrdered += line.quantity;
    run.stats.unitsAllocatedAtPlacement += line.allocated;
    run.stats.unitsUnpromisedAtPlacement += line.unpromised;
    if (line.backordered > 0) run.stats.backorderedLines++;
    for (const basis of line.promise?.restsOn ?? []) {
      if (basis.kind === 'lead_time') run.stats.unitsEstimatedAtPlacement += basis.quantity;
      else run.stats.unitsPeggedAtPlacement += basis.quantity;
    }
  }
}

/** The same key must always get the same answer: the same order, or the same refusal. */
function sameAnswer(run: Run, key: string, first: Reply, second: Reply, what: string) {
  if (first.status !== second.status) {
    run.failures.push(
      `${what} with key ${key}: first HTTP ${first.status}, then HTTP ${second.status}: ${JSON.stringify(second.body).slice(0, 400)}`,
    );
    return;
  }
  if (first.status === 201 && (first.body as OrderDoc).id !== (second.body as OrderDoc).id) {
    run.failures.push(`${what} with key ${key}: two orders for one key`);
  }
  if (first.replayed === 'false' && second.replayed === 'false') {
    run.failures.push(`${what} with key ${key}: neither answer says it was replayed`);
  }
}

async function placeOne(run: Run, rand: Rand) {
  run.stats.attempts++;
  const body = orderBody(rand);
  const key = `cc-${randomUUID()}`;
  const headers = { 'idempotency-key': key };
  const mode = rand();
  const note = (reply: Reply) => {
    if (!run.expect(`POST /v1/orders (key ${key})`, reply, 201, 409)) return;
    if (reply.status === 201) recordPlaced(run, key, reply);
    else {
      const code = (reply.body as { error?: { code?: string } }).error?.code;
      if (code !== 'ORDER_REFUSED') {
        run.failures.push(`POST /v1/orders (key ${key}): 409 ${code}, not ORDER_REFUSED`);
      } else if (!run.refusedKeys.has(key)) {
        run.refusedKeys.add(key);
        run.stats.refused++;
        const details = (reply.body as { error: { details: { lines: unknown[] } } }).error.details;
        run.refusedLines.set(key, details.lines.length);
      }
    }
  };

  if (mode < 0.07) {
    // The client's connection dropped and it sent the request again at once, to another
    // server: both copies race.
    run.stats.concurrentDuplicates++;
    const [a, b] = await Promise.all([
      run.call('POST', '/v1/orders', body, headers),
      run.call('POST', '/v1/orders', body, headers),
    ]);
    note(a);
    note(b);
    sameAnswer(run, key, a, b, 'concurrent duplicate');
    return;
  }
  const first = await run.call('POST', '/v1/orders', body, headers);
  note(first);
  if (mode < 0.15) {
    run.stats.sequentialReplays++;
    const again = await run.call('POST', '/v1/orders', body, headers);
    note(again);
    sameAnswer(run, key, first, again, 'retry');
    if (again.status === first.status && again.replayed !== 'true' && first.status === 201) {
      run.failures.push(`retry with key ${key}: no idempotent-replayed: true header`);
    }
  } else if (mode < 0.19) {
    // A client bug: the same key for another order. Refused, and nothing is created.
    run.stats.keyReuses++;
    const other = { ...body, reference: `reuse-${key}` };
    const reused = await run.call('POST', '/v1/orders', other, headers);
    if (run.expect(`key reuse (key ${key})`, reused, 422)) {
      const code = (reused.body as { error?: { code?: string } }).error?.code;
      if (code !== 'IDEMPOTENCY_KEY_REUSED') {
        run.failures.push(`key reuse (key ${key}): 422 ${code}`);
      }
    }
  }
}

/**
 * A back-office client receiving, slipping, cancelling and fulfilling while orders pour
 * in. Several run at once, each owning its share of orders, PO lines and transfers, so
 * that none of them sees another's change between reading an order and acting on it.
 */
async function operate(
  run: Run,
  rand: Rand,
  all: { poLines: PoLine[]; transfers: TransferState[] },
  ordersDone: () => boolean,
  part: number,
) {
  const world = {
    poLines: all.poLines.filter((_, i) => i % OPS_CLIENTS === part),
    transfers: all.transfers.filter((_, i) => i % OPS_CLIENTS === part),
  };
  const ownOrders = () => run.placedOrders.filter((id) => id % OPS_CLIENTS === part);
  let serial = 0;
  const receiveOnce = async (line: PoLine, quantity: number) => {
    const receiptId = `r-${line.lineId}-${part}-${++serial}`;
    const body = { receiptId, lines: [{ line: line.lineId, quantity }] };
    const reply = await run.call('POST', `/v1/purchase-orders/${line.poId}/receipts`, body);
    if (!run.expect(`receipt ${receiptId}`, reply, 201)) return;
    line.received += quantity;
    run.stats.receipts++;
    if (rand() < 0.1) {
      const again = await run.call('POST', `/v1/purchase-orders/${line.poId}/receipts`, body);
      if (run.expect(`receipt replay ${receiptId}`, again, 200)) run.stats.receiptReplays++;
    }
  };
  const actions: Record<string, () => Promise<void>> = {
    receipt: async () => {
      const open = world.poLines.filter((l) => l.received < l.ordered);
      if (open.length === 0) return;
      const line = pick(rand, open);
      const left = line.ordered - line.received;
      await receiveOnce(line, rand() < 0.25 ? left : int(rand, 1, Math.ceil(left / 2)));
    },
    transfer: async () => {
      const open = world.transfers.filter((t) => t.received < t.quantity);
      if (open.length === 0) return;
      const transfer = pick(rand, open);
      const quantity = int(rand, 1, transfer.quantity - transfer.received);
      const reply = await run.call('POST', `/v1/transfers/${transfer.id}/receipts`, {
        receiptId: `t-${transfer.id}-${part}-${++serial}`,
        quantity,
      });
      if (run.expect(`transfer ${transfer.id} receipt`, reply, 201)) {
        transfer.received += quantity;
        run.stats.transferReceipts++;
      }
    },
    slip: async () => {
      const open = world.poLines.filter((l) => l.received < l.ordered);
      if (open.length === 0) return;
      const line = pick(rand, open);
      const expectedDate = addDays(line.expectedDate, int(rand, 1, 9));
      const reply = await run.call(
        'PATCH',
        `/v1/purchase-orders/${line.poId}/lines/${line.lineId}`,
        { expectedDate, reason: 'supplier delay' },
      );
      if (run.expect(`slip of PO line ${line.lineId}`, reply, 200)) {
        line.expectedDate = expectedDate;
        run.stats.slips++;
      }
    },
    cancel: async () => {
      const mine = ownOrders();
      if (mine.length === 0) return;
      const id = pick(rand, mine);
      const got = await run.call('GET', `/v1/orders/${id}`);
      if (!run.expect(`GET /v1/orders/${id}`, got, 200)) return;
      const open = (got.body as OrderDoc).lines.filter((l) => l.allocated + l.backordered > 0);
      if (open.length === 0) return;
      let body: unknown = { reason: 'customer changed their mind' };
      if (rand() < 0.5) {
        const line = pick(rand, open);
        body = {
          lines: [{ line: line.line, quantity: int(rand, 1, line.allocated + line.backordered) }],
        };
      }
      const reply = await run.call('POST', `/v1/orders/${id}/cancel`, body);
      if (run.expect(`cancel of order ${id}`, reply, 200)) run.stats.cancels++;
    },
    fulfil: async () => {
      const mine = ownOrders();
      if (mine.length === 0) return;
      const id = pick(rand, mine);
      const got = await run.call('GET', `/v1/orders/${id}`);
      if (!run.expect(`GET /v1/orders/${id}`, got, 200)) return;
      const ready = (got.body as OrderDoc).lines.filter((l) => l.allocated > 0);
      if (ready.length === 0) return;
      const body = {
        fulfilmentId: `f-${id}-${part}-${++serial}`,
        kind: rand() < 0.5 ? 'shipment' : 'pickup',
        lines: ready.map((l) => ({
          line: l.line,
          quantity: rand() < 0.7 ? l.allocated : int(rand, 1, l.allocated),
        })),
      };
      const reply = await run.call('POST', `/v1/orders/${id}/fulfilments`, body);
      if (!run.expect(`fulfilment of order ${id}`, reply, 201)) return;
      run.stats.fulfilments++;
      if (rand() < 0.1) {
        const again = await run.call('POST', `/v1/orders/${id}/fulfilments`, body);
        if (run.expect(`fulfilment replay of order ${id}`, again, 200))
          run.stats.fulfilmentReplays++;
      }
    },
  };
  const weights: [string, number][] = [
    ['receipt', 0.14],
    ['transfer', 0.03],
    ['slip', 0.13],
    ['cancel', 0.35],
    ['fulfil', 0.35],
  ];
  while (!ordersDone()) {
    const roll = rand();
    let cumulative = 0;
    const name =
      weights.find(([, w]) => {
        cumulative += w;
        return roll < cumulative;
      })?.[0] ?? 'fulfil';
    await actions[name]!();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  // Then the rest of the supply arrives, each line in two parts: the queues fill.
  for (const line of world.poLines) {
    const left = line.ordered - line.received;
    if (left > 1) await receiveOnce(line, Math.floor(left / 2));
  }
  for (const line of world.poLines) {
    const left = line.ordered - line.received;
    if (left > 0) await receiveOnce(line, left);
  }
  for (const transfer of world.transfers) {
    const left = transfer.quantity - transfer.received;
    if (left === 0) continue;
    const reply = await run.call('POST', `/v1/transfers/${transfer.id}/receipts`, {
      receiptId: `t-${transfer.id}-last`,
      quantity: left,
    });
    if (run.expect(`transfer ${transfer.id} last receipt`, reply, 201)) {
      transfer.received += left;
      run.stats.transferReceipts++;
    }
  }
}

// ---------------------------------------------------------------------------------------
// Invariants, read straight from the database

const key2 = (a: number, b: number) => `${a}:${b}`;

async function checkInvariants(db: TestDatabase['db'], run: Run) {
  const violations: string[] = [];
  const [
    stock,
    allocations,
    ledger,
    poLines,
    transfers,
    pegs,
    lines,
    orders,
    idem,
    lost,
    fulfilled,
  ] = await Promise.all([
    db.selectFrom('stock').selectAll().execute(),
    db.selectFrom('allocations').selectAll().execute(),
    db
      .selectFrom('stock_ledger')
      .select(['item_id', 'location_id', (eb) => eb.fn.sum<number>('quantity').as('total')])
      .groupBy(['item_id', 'location_id'])
      .execute(),
    db.selectFrom('purchase_order_lines').selectAll().execute(),
    db.selectFrom('transfers').selectAll().execute(),
    db.selectFrom('backorder_pegs').selectAll().execute(),
    db.selectFrom('order_lines').selectAll().execute(),
    db.selectFrom('orders').select('id').execute(),
    db.selectFrom('idempotency_keys').select(['key', 'status_code']).execute(),
    db
      .selectFrom('lost_demand')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('fulfilment_lines')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('quantity'), eb.val(0)).as('total'))
      .executeTakeFirstOrThrow(),
  ]);

  // Invariant 1: 0 <= reserved <= on_hand.
  for (const s of stock) {
    if (s.reserved < 0 || s.reserved > s.on_hand) {
      violations.push(
        `stock ${s.item_id}@${s.location_id}: reserved ${s.reserved}, on_hand ${s.on_hand}`,
      );
    }
  }
  // Invariant 3: reserved = the sum of allocations per item × location.
  const allocated = new Map<string, number>();
  for (const a of allocations) {
    const k = key2(a.item_id, a.location_id);
    allocated.set(k, (allocated.get(k) ?? 0) + a.quantity);
  }
  const stockKeys = new Set<string>();
  for (const s of stock) {
    const k = key2(s.item_id, s.location_id);
    stockKeys.add(k);
    if ((allocated.get(k) ?? 0) !== s.reserved) {
      violations.push(`stock ${k}: reserved ${s.reserved}, allocations ${allocated.get(k) ?? 0}`);
    }
  }
  for (const [k, total] of allocated) {
    if (!stockKeys.has(k) && total !== 0) violations.push(`allocations ${k} with no stock row`);
  }
  // Invariant 2: on_hand = the sum of the ledger.
  const ledgerSum = new Map(ledger.map((l) => [key2(l.item_id, l.location_id), Number(l.total)]));
  for (const s of stock) {
    const k = key2(s.item_id, s.location_id);
    if ((ledgerSum.get(k) ?? 0) !== s.on_hand) {
      violations.push(`stock ${k}: on_hand ${s.on_hand}, ledger sum ${ledgerSum.get(k) ?? 0}`);
    }
  }
  for (const [k, total] of ledgerSum) {
    if (!stockKeys.has(k) && total !== 0) violations.push(`ledger ${k} sums to ${total}, no stock`);
  }
  // Invariant 4: no supply promised beyond what it still brings; promised = its pegs.
  const pegTotal = new Map<string, number>();
  for (const p of pegs) {
    const k =
      p.purchase_order_line_id !== null
        ? `po:${p.purchase_order_line_id}`
        : p.transfer_id !== null
          ? `tr:${p.transfer_id}`
          : `lead:${p.order_line_id}`;
    pegTotal.set(k, (pegTotal.get(k) ?? 0) + p.quantity);
  }
  for (const l of poLines) {
    const brings = Math.max(0, l.quantity_ordered - l.quantity_received - l.quantity_cancelled);
    if (l.quantity_promised > brings) {
      violations.push(`PO line ${l.id}: promised ${l.quantity_promised}, still brings ${brings}`);
    }
    if ((pegTotal.get(`po:${l.id}`) ?? 0) !== l.quantity_promised) {
      violations.push(
        `PO line ${l.id}: promised ${l.quantity_promised}, pegs ${pegTotal.get(`po:${l.id}`) ?? 0}`,
      );
    }
  }
  for (const t of transfers) {
    const brings = Math.max(0, t.quantity - t.quantity_received);
    if (t.quantity_promised > brings) {
      violations.push(`transfer ${t.id}: promised ${t.quantity_promised}, still brings ${brings}`);
    }
    if ((pegTotal.get(`tr:${t.id}`) ?? 0) !== t.quantity_promised) {
      violations.push(
        `transfer ${t.id}: promised ${t.quantity_promised}, pegs ${pegTotal.get(`tr:${t.id}`) ?? 0}`,
      );
    }
  }
  // Invariant 5 and the line's own books: quantity = allocated + backordered + fulfilled +
  // cancelled; allocated = its allocations; backordered = its pegs + unpromised.
  const lineAllocations = new Map<number, number>();
  for (const a of allocations) {
    lineAllocations.set(a.order_line_id, (lineAllocations.get(a.order_line_id) ?? 0) + a.quantity);
  }
  const linePegs = new Map<number, number>();
  for (const p of pegs)
    linePegs.set(p.order_line_id, (linePegs.get(p.order_line_id) ?? 0) + p.quantity);
  const totals = {
    quantity: 0,
    allocated: 0,
    pegged: 0,
    estimated: 0,
    unpromised: 0,
    fulfilled: 0,
    cancelled: 0,
    waitingLines: 0,
  };
  for (const l of lines) {
    const sum =
      l.quantity_allocated + l.quantity_backordered + l.quantity_fulfilled + l.quantity_cancelled;
    if (sum !== l.quantity) {
      violations.push(`order line ${l.id}: quantity ${l.quantity}, parts add up to ${sum}`);
    }
    if ((lineAllocations.get(l.id) ?? 0) !== l.quantity_allocated) {
      violations.push(
        `order line ${l.id}: allocated ${l.quantity_allocated}, allocations ${lineAllocations.get(l.id) ?? 0}`,
      );
    }
    const pegged = linePegs.get(l.id) ?? 0;
    if (pegged + l.quantity_unpromised !== l.quantity_backordered) {
      violations.push(
        `order line ${l.id}: backordered ${l.quantity_backordered}, pegs ${pegged} + unpromised ${l.quantity_unpromised}`,
      );
    }
    totals.quantity += l.quantity;
    totals.allocated += l.quantity_allocated;
    totals.unpromised += l.quantity_unpromised;
    totals.fulfilled += l.quantity_fulfilled;
    totals.cancelled += l.quantity_cancelled;
    if (l.quantity_backordered > 0) totals.waitingLines++;
  }
  for (const p of pegs) {
    if (p.purchase_order_line_id === null && p.transfer_id === null) totals.estimated += p.quantity;
    else totals.pegged += p.quantity;
  }
  // Every accepted unit is somewhere: reserved, promised, waiting unpromised, gone, or cancelled.
  const accounted =
    totals.allocated +
    totals.pegged +
    totals.estimated +
    totals.unpromised +
    totals.fulfilled +
    totals.cancelled;
  if (accounted !== totals.quantity) {
    violations.push(`units ordered ${totals.quantity}, accounted for ${accounted}`);
  }
  if (totals.quantity !== run.stats.unitsOrdered) {
    violations.push(
      `the database holds ${totals.quantity} ordered units, the clients were sold ${run.stats.unitsOrdered}`,
    );
  }
  if (Number(fulfilled.total) !== totals.fulfilled) {
    violations.push(`fulfilment lines ${fulfilled.total}, lines fulfilled ${totals.fulfilled}`);
  }
  // Replays created nothing: one order per key that was answered 201, no other orders.
  const orderIds = new Set(orders.map((o) => o.id));
  if (orders.length !== run.placedKeys.size) {
    violations.push(`${orders.length} orders for ${run.placedKeys.size} keys answered 201`);
  }
  for (const [k, id] of run.placedKeys) {
    if (!orderIds.has(id)) violations.push(`key ${k} was answered with order ${id}, not stored`);
  }
  const stored201 = idem.filter((r) => r.status_code === 201).length;
  if (stored201 !== run.placedKeys.size) {
    violations.push(`${stored201} keys stored as placed, ${run.placedKeys.size} answered 201`);
  }
  for (const r of idem) {
    if (r.status_code === 201 && !run.placedKeys.has(r.key)) {
      violations.push(`key ${r.key} stored as placed but answered otherwise`);
    }
  }
  // One attempt, one record: a refused key's lines are lost demand once, however many
  // copies of the request arrived; a key that placed an order lost nothing.
  let refusedLines = 0;
  for (const [k, n] of run.refusedLines) if (!run.placedKeys.has(k)) refusedLines += n;
  if (Number(lost.n) !== refusedLines) {
    violations.push(
      `${lost.n} lost-demand rows for ${refusedLines} lines refused under keys that placed nothing`,
    );
  }
  return { violations, totals, stockRows: stock.length };
}

// ---------------------------------------------------------------------------------------

async function withMigrationLock<T>(url: string | undefined, run: () => Promise<T>): Promise<T> {
  // Each server migrates as it starts, and Kysely's migrator reads the catalogue of every
  // schema; test files running beside this one create and drop schemas under the same
  // advisory lock (test/helpers/databases.ts), so hold it while the servers start.
  if (url === undefined) return run();
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query('select pg_advisory_lock(7321)');
    return await run();
  } finally {
    await admin.end();
  }
}

for (const target of testDatabases()) {
  const processes = target.kind === 'postgres' ? 3 : 1;
  describe(`concurrent orders on ${target.kind}`, () => {
    it(`${CLIENTS} clients, ${ORDERS} orders, ${SKUS} SKUs, ${processes} server process(es): every invariant holds`, {
      timeout: TEST_LIMIT_MS,
    }, async (t) => {
      const database = await target.open();
      const servers: ServerProcess[] = [];
      try {
        const ctx: AppContext = { db: database.db, dbKind: database.kind, clock: systemClock };
        const rand = random(SEED);
        const world = await seedWorld(ctx, rand);
        await withMigrationLock(
          target.kind === 'postgres' ? process.env.STOCKROOM_TEST_POSTGRES_URL : undefined,
          async () => {
            for (let i = 0; i < processes; i++) {
              servers.push(await startServer(database.url, ADMIN_KEY));
            }
          },
        );
        const run = new Run(servers);

        const started = performance.now();
        let issued = 0;
        let finished = 0;
        const client = async (n: number) => {
          const own = random(SEED * 31 + n);
          while (issued < ORDERS) {
            issued++;
            await placeOne(run, own);
          }
          finished++;
        };
        await Promise.all([
          ...Array.from({ length: CLIENTS }, (_, n) => client(n)),
          ...Array.from({ length: OPS_CLIENTS }, (_, n) =>
            operate(run, random(SEED + 1 + n), world, () => finished === CLIENTS, n),
          ),
        ]);
        const elapsed = (performance.now() - started) / 1000;
        const batching = await groupCommitTotals(servers);
        for (const server of servers) await server.stop();

        const { violations, totals, stockRows } = await checkInvariants(database.db, run);
        const s = run.stats;
        const summary = [
          `${target.kind}: seed ${SEED}, ${processes} server process(es), ${CLIENTS} clients, ${SKUS} SKUs, ${stockRows} stock rows, ${world.poLines.length} PO lines, ${world.transfers.length} transfers`,
          `orders: ${s.attempts} attempted, ${s.placed} placed, ${s.refused} refused; ${s.sequentialReplays} retried, ${s.concurrentDuplicates} sent twice at once, ${s.keyReuses} keys reused for another body (422)`,
          `at placement: ${s.linesPlaced} lines, ${s.backorderedLines} backordered; ${s.unitsOrdered} units: ${s.unitsAllocatedAtPlacement} allocated, ${s.unitsPeggedAtPlacement} pegged to supply, ${s.unitsEstimatedAtPlacement} estimated on lead time, ${s.unitsUnpromisedAtPlacement} unpromised`,
          `operations: ${s.receipts} PO receipts (+${s.receiptReplays} replays), ${s.transferReceipts} transfer receipts, ${s.slips} date slips, ${s.cancels} cancellations, ${s.fulfilments} fulfilments (+${s.fulfilmentReplays} replays)`,
          `at the end: ${totals.quantity} units ordered = ${totals.allocated} allocated + ${totals.pegged} pegged + ${totals.estimated} estimated + ${totals.unpromised} unpromised + ${totals.fulfilled} fulfilled + ${totals.cancelled} cancelled; ${totals.waitingLines} lines still waiting`,
          `group commit: ${batching.requests} order requests in ${batching.batches} batches, ${batching.failures} batches failed and placed one by one`,
          `${s.requests} HTTP requests in ${elapsed.toFixed(1)} s (${(s.attempts / elapsed).toFixed(0)} order attempts/s); ${run.failures.length} unexpected responses, ${violations.length} invariant violations`,
        ];
        for (const line of summary) {
          console.log(`[concurrency] ${line}`);
          t.diagnostic(line);
        }
        const stderr = servers.map((p) => p.stderr()).join('');
        assert.deepEqual(violations.slice(0, 20), [], `invariants (seed ${SEED})`);
        assert.deepEqual(run.failures.slice(0, 20), [], `responses (seed ${SEED})`);
        assert.ok(s.placed > 0 && s.refused > 0, 'the run both placed and refused orders');
        assert.ok(batching.batches < batching.requests, 'concurrent orders shared batches');
        assert.ok(
          s.receipts > 0 && s.slips > 0 && s.cancels > 0 && s.fulfilments > 0,
          'every kind of operation ran',
        );
        assert.doesNotMatch(stderr, /"level":(50|60)/, 'no server logged an error');
      } finally {
        for (const server of servers) await server.stop();
        await database.drop();
      }
    });
  });
}

/** The servers' group commit counts, summed from their /metrics. */
async function groupCommitTotals(servers: readonly ServerProcess[]) {
  const totals = { batches: 0, requests: 0, failures: 0 };
  for (const server of servers) {
    const response = await fetch(`${server.url}/metrics`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    const text = await response.text();
    const value = (name: string) =>
      Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
    totals.batches += value('stockroom_order_batches_total');
    totals.requests += value('stockroom_order_batch_requests_total');
    totals.failures += value('stockroom_order_batch_failures_total');
  }
  return totals;
}
