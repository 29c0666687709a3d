import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { AppContext } from '../../src/kernel/context.js';
import { orderBatcher } from '../../src/orders/order-batcher.js';
import type { PlaceOrderBody } from '../../src/orders/orders.schemas.js';
import { placeOrder } from '../../src/orders/place-order.js';
import { getOrder } from '../../src/orders/read-orders.js';
import { fixedClock } from '../../src/shared/clock.js';
import { AppError } from '../../src/shared/errors.js';
import { TEST_NOW } from '../helpers/app.js';
import { type TestDatabaseTarget, testDatabases } from '../helpers/databases.js';
import { ADMIN_PRINCIPAL, insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { insertPurchaseOrder, insertSupplier } from '../helpers/supply-factories.js';

/**
 * Group commit (src/orders/place-batch.ts): orders placed at once share transactions, and
 * each gets the answer it would have got placed alone, one after the other, in the order
 * they arrived: the same stock, the same promises on the same supply, the same refusals.
 */

const SKUS = ['A', 'B', 'C'];
const settings = { maxBatch: 64, maxWaitMs: 0, maxInFlight: 1 };

/** What can be promised: B's two purchase orders, and C's lead time up to a cap. */
interface Supply {
  incoming: [number, number];
  cap: number | null;
}

const noSupply: Supply = { incoming: [0, 0], cap: 0 };

async function openWorld(
  target: TestDatabaseTarget,
  stock: readonly number[][],
  supply: Supply = noSupply,
) {
  const database = await target.open();
  const ctx: AppContext = { db: database.db, dbKind: target.kind, clock: fixedClock(TEST_NOW) };
  await insertWorld(ctx);
  for (const [i, sku] of SKUS.entries()) {
    await insertItem(ctx, {
      sku,
      ...(sku === 'C' && { backorderPolicy: 'lead_time', backorderCap: supply.cap }),
    });
    await putStock(ctx, sku, 'W1', stock[i]![0]!, stock[i]![2]);
    await putStock(ctx, sku, 'S1', stock[i]![1]!);
  }
  const supplier = await insertSupplier(ctx, 'ACME');
  for (const [n, ordered] of supply.incoming.entries()) {
    if (ordered === 0) continue;
    await insertPurchaseOrder(ctx, {
      supplier,
      location: n === 0 ? 'W1' : 'S1',
      state: n === 0 ? 'sent' : 'confirmed',
      lines: [{ sku: 'B', ordered, expectedDate: n === 0 ? '2026-12-10' : '2026-12-03' }],
    });
  }
  const c = await ctx.db
    .selectFrom('items')
    .select('id')
    .where('sku', '=', 'C')
    .executeTakeFirstOrThrow();
  await ctx.db
    .insertInto('supplier_items')
    .values({
      supplier_id: supplier.id,
      item_id: c.id,
      supplier_sku: null,
      unit_cost_cents: 100,
      lead_time_days: null,
      preferred: 1,
      created_at: TEST_NOW,
      updated_at: TEST_NOW,
    })
    .execute();
  return { ctx, drop: () => database.drop() };
}

/** The promises made, as rows that do not depend on which order or line ids they got. */
async function promisesOf(ctx: AppContext) {
  const pegs = await ctx.db
    .selectFrom('backorder_pegs')
    .innerJoin('items', 'items.id', 'backorder_pegs.item_id')
    .select(['items.sku', 'backorder_pegs.purchase_order_line_id', 'backorder_pegs.quantity'])
    .orderBy('backorder_pegs.id')
    .execute();
  const supply = await ctx.db
    .selectFrom('purchase_order_lines')
    .select(['id', 'quantity_promised'])
    .orderBy('id')
    .execute();
  const leadTime = await ctx.db
    .selectFrom('item_promises')
    .select(['item_id', 'lead_time_promised'])
    .orderBy('item_id')
    .execute();
  return { pegs, supply, leadTime };
}

/** What an answer says, without the ids that differ between two databases. */
async function outcome(placing: Promise<unknown>) {
  try {
    const placed = (await placing) as Awaited<ReturnType<typeof placeOrder>>;
    return {
      status: placed.status,
      replayed: placed.replayed,
      lines: placed.order.lines.map((l) => ({
        allocations: l.allocations,
        backordered: l.backordered,
        state: l.state,
        promise: l.promise,
      })),
    };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { code: error.code, details: error.details };
  }
}

/** Lost demand as recorded for refusals, per item, channel and state. */
async function lostDemandOf(ctx: AppContext) {
  return ctx.db
    .selectFrom('lost_demand')
    .innerJoin('items', 'items.id', 'lost_demand.item_id')
    .innerJoin('channels', 'channels.id', 'lost_demand.channel_id')
    .select(['items.sku', 'channels.code', 'lost_demand.state', 'lost_demand.available'])
    .select((eb) => [
      eb.fn.countAll<number>().as('refusals'),
      eb.fn.sum<number>('quantity').as('quantity'),
    ])
    .groupBy(['items.sku', 'channels.code', 'lost_demand.state', 'lost_demand.available'])
    .orderBy('items.sku')
    .orderBy('channels.code')
    .orderBy('lost_demand.state')
    .orderBy('lost_demand.available')
    .execute()
    .then((rows) =>
      rows.map((r) => ({ ...r, refusals: Number(r.refusals), quantity: Number(r.quantity) })),
    );
}

/** The events recorded, in id order, each order named by its rank among the orders. */
async function eventsOf(ctx: AppContext) {
  const orders = await ctx.db.selectFrom('orders').select('id').orderBy('id').execute();
  const rank = new Map(orders.map((o, i) => [`order:${o.id}`, i]));
  const events = await ctx.db
    .selectFrom('domain_events')
    .select(['type', 'subject', 'channel'])
    .orderBy('id')
    .execute();
  return events.map((e) => ({ ...e, subject: rank.get(e.subject) ?? e.subject }));
}

async function reservedOf(ctx: AppContext) {
  return ctx.db
    .selectFrom('stock')
    .innerJoin('items', 'items.id', 'stock.item_id')
    .innerJoin('locations', 'locations.id', 'stock.location_id')
    .select(['items.sku', 'locations.code', 'stock.on_hand', 'stock.reserved'])
    .orderBy('items.sku')
    .orderBy('locations.code')
    .execute();
}

const stockArb = fc.array(fc.tuple(fc.nat({ max: 6 }), fc.nat({ max: 6 }), fc.nat({ max: 2 })), {
  minLength: 3,
  maxLength: 3,
});
const supplyArb: fc.Arbitrary<Supply> = fc.record({
  incoming: fc.tuple(fc.nat({ max: 6 }), fc.nat({ max: 4 })),
  cap: fc.option(fc.nat({ max: 5 }), { nil: null }),
});
const orderArb = fc.record({
  channel: fc.constantFrom('web', 'pos'),
  lines: fc.uniqueArray(
    fc.record({
      sku: fc.constantFrom(...SKUS),
      quantity: fc.integer({ min: 1, max: 4 }),
      acceptBackorder: fc.boolean(),
    }),
    { minLength: 1, maxLength: 3, selector: (l) => l.sku },
  ),
});

for (const target of testDatabases()) {
  describe(`group commit of orders on ${target.kind}`, () => {
    it('answers a batch as the same orders placed one after the other', async () => {
      await fc.assert(
        fc.asyncProperty(
          stockArb,
          fc.array(orderArb, { minLength: 2, maxLength: 24 }),
          supplyArb,
          async (stock, orders, supply) => {
            const batched = await openWorld(target, stock, supply);
            const alone = await openWorld(target, stock, supply);
            try {
              const batcher = orderBatcher(batched.ctx, settings);
              const settled = await Promise.allSettled(
                orders.map((body, n) =>
                  placeOrder(batched.ctx, body, `k${n}`, ADMIN_PRINCIPAL, batcher),
                ),
              );
              const together = await Promise.all(
                settled.map((s) =>
                  outcome(
                    s.status === 'fulfilled' ? Promise.resolve(s.value) : Promise.reject(s.reason),
                  ),
                ),
              );
              // What the batch wrote reads back as it answered (PostgreSQL writes it in one statement).
              for (const s of settled) {
                if (s.status !== 'fulfilled') continue;
                assert.deepEqual(await getOrder(batched.ctx, s.value.order.id), s.value.order);
              }
              const oneByOne = [];
              for (const [n, body] of orders.entries()) {
                oneByOne.push(await outcome(placeOrder(alone.ctx, body, `k${n}`, ADMIN_PRINCIPAL)));
              }
              assert.deepEqual(together, oneByOne);
              assert.deepEqual(await reservedOf(batched.ctx), await reservedOf(alone.ctx));
              assert.deepEqual(await promisesOf(batched.ctx), await promisesOf(alone.ctx));
              assert.deepEqual(await lostDemandOf(batched.ctx), await lostDemandOf(alone.ctx));
              assert.deepEqual(await eventsOf(batched.ctx), await eventsOf(alone.ctx));
              assert.ok(batcher.orders.stats.largest > 1, 'orders arriving together share a batch');
              assert.equal(batcher.orders.stats.failed, 0);
              assert.equal(batcher.refusals.stats.failed, 0);
            } finally {
              await batched.drop();
              await alone.drop();
            }
          },
        ),
        {
          numRuns: target.kind === 'sqlite' ? 25 : 10,
          includeErrorInReport: true,
          examples: [
            // C has no stock row where pos sells: the batch still answers the first order
            // first (it once left it to be placed alone, after the others took the As).
            [
              [
                [0, 4, 0],
                [0, 0, 0],
                [0, 0, 0],
              ],
              [
                {
                  channel: 'pos',
                  lines: [
                    { sku: 'A', quantity: 1, acceptBackorder: false },
                    { sku: 'C', quantity: 1, acceptBackorder: false },
                  ],
                },
                { channel: 'pos', lines: [{ sku: 'A', quantity: 3, acceptBackorder: false }] },
                { channel: 'pos', lines: [{ sku: 'A', quantity: 1, acceptBackorder: false }] },
              ],
              noSupply,
            ],
            // Promises in arrival order: the Bs share the stock and then the purchase
            // order, the third waits on the later one, the last finds nothing left; the
            // Cs share the lead-time cap.
            [
              [
                [0, 0, 0],
                [1, 0, 0],
                [0, 0, 0],
              ],
              [
                { channel: 'web', lines: [{ sku: 'B', quantity: 2, acceptBackorder: true }] },
                { channel: 'web', lines: [{ sku: 'C', quantity: 2, acceptBackorder: true }] },
                { channel: 'web', lines: [{ sku: 'B', quantity: 2, acceptBackorder: true }] },
                { channel: 'web', lines: [{ sku: 'B', quantity: 2, acceptBackorder: true }] },
                { channel: 'web', lines: [{ sku: 'C', quantity: 2, acceptBackorder: true }] },
                { channel: 'web', lines: [{ sku: 'B', quantity: 1, acceptBackorder: true }] },
              ],
              { incoming: [3, 2], cap: 3 },
            ],
          ],
        },
      );
    });

    it("keeps each order's own answer in a batch with errors, replays and promises", async () => {
      const { ctx, drop } = await openWorld(target, [
        [5, 0],
        [0, 0],
        [3, 3],
      ]);
      try {
        const supplier = await insertSupplier(ctx);
        await insertPurchaseOrder(ctx, {
          supplier,
          location: 'W1',
          state: 'sent',
          lines: [{ sku: 'B', ordered: 10, expectedDate: '2026-12-10' }],
        });
        const batcher = orderBatcher(ctx, settings);
        const place = (body: PlaceOrderBody, key: string) =>
          outcome(placeOrder(ctx, body, key, ADMIN_PRINCIPAL, batcher));
        const first: PlaceOrderBody = { channel: 'web', lines: [{ sku: 'A', quantity: 2 }] };
        const answers = await Promise.all([
          place(first, 'same'),
          place({ channel: 'web', lines: [{ sku: 'NOPE', quantity: 1 }] }, 'unknown'),
          place(first, 'same'),
          place({ ...first, reference: 'another body' }, 'same'),
          place(
            { channel: 'web', lines: [{ sku: 'B', quantity: 2, acceptBackorder: true }] },
            'bo',
          ),
          place({ channel: 'web', location: 'W1', lines: [{ sku: 'C', quantity: 1 }] }, 'counter'),
          place({ channel: 'pos', location: 'W1', lines: [{ sku: 'C', quantity: 1 }] }, 'noloc'),
          place({ channel: 'nope', lines: [{ sku: 'A', quantity: 1 }] }, 'nochannel'),
          place({ channel: 'web', lines: [{ sku: 'A', quantity: 4 }] }, 'short'),
          place(
            {
              channel: 'web',
              lines: [{ sku: 'C', quantity: 4 }],
              customer: { name: 'Ada', email: 'ada@example.com' },
            },
            'customer',
          ),
        ]);
        const [placed, unknown, replay, reused, backorder, counter, offChannel, noChannel, short] =
          answers;
        assert.equal(placed!.status, 201);
        assert.deepEqual(replay, { ...placed, replayed: true });
        assert.equal(reused!.code, 'IDEMPOTENCY_KEY_REUSED');
        assert.equal(unknown!.code, 'ITEM_NOT_FOUND');
        assert.equal(backorder!.status, 201);
        assert.equal(backorder!.lines![0]!.backordered, 2);
        assert.deepEqual(counter!.lines![0]!.allocations, [{ location: 'W1', quantity: 1 }]);
        assert.equal(offChannel!.code, 'LOCATION_NOT_ON_CHANNEL');
        assert.equal(noChannel!.code, 'CHANNEL_NOT_FOUND');
        // 5 of A: 2 to the first order, so 4 more cannot be had.
        assert.equal(short!.code, 'ORDER_REFUSED');
        const orders = await ctx.db
          .selectFrom('orders')
          .leftJoin('customers', 'customers.id', 'orders.customer_id')
          .select(['orders.id', 'customers.email'])
          .execute();
        assert.equal(orders.length, 4, 'the first, the backorder, the counter sale, the customer');
        assert.ok(orders.some((o) => o.email === 'ada@example.com'));
        const reserved = await reservedOf(ctx);
        assert.deepEqual(
          reserved.filter((r) => r.reserved > 0).map((r) => [r.sku, r.code, r.reserved]),
          [
            ['A', 'W1', 2],
            ['C', 'S1', 2],
            ['C', 'W1', 3],
          ],
        );
        assert.ok(batcher.orders.stats.largest > 1);
        assert.equal(batcher.orders.stats.failed, 0);
      } finally {
        await drop();
      }
    });

    it('records the refusals of a moment in one transaction, each key once', async () => {
      const { ctx, drop } = await openWorld(target, [
        [1, 0],
        [0, 0],
        [0, 0],
      ]);
      try {
        // Their alternatives are read first, each taking its own time on PostgreSQL; a short
        // wait lets the refusals meet (a busy server's batches fill while one is written).
        const batcher = orderBatcher(ctx, { ...settings, maxWaitMs: 100 });
        const place = (body: PlaceOrderBody, key: string) =>
          outcome(placeOrder(ctx, body, key, ADMIN_PRINCIPAL, batcher));
        const tooMany: PlaceOrderBody = { channel: 'web', lines: [{ sku: 'A', quantity: 2 }] };
        const answers = await Promise.all([
          place(tooMany, 'r1'),
          place({ channel: 'web', lines: [{ sku: 'B', quantity: 1 }] }, 'r2'),
          place({ channel: 'pos', lines: [{ sku: 'C', quantity: 3 }] }, 'r3'),
          place(tooMany, 'r1'),
          place({ channel: 'web', lines: [{ sku: 'A', quantity: 1 }] }, 'placed'),
        ]);
        assert.deepEqual(
          answers.map((a) => a.code ?? a.status),
          ['ORDER_REFUSED', 'ORDER_REFUSED', 'ORDER_REFUSED', 'ORDER_REFUSED', 201],
        );
        assert.deepEqual(answers[3], answers[0], 'the copy of r1 answers as r1 did');
        assert.ok(batcher.refusals.stats.largest > 1, 'refusals of one batch share a transaction');
        assert.equal(batcher.refusals.stats.failed, 0);
        // Each key's refusal counted once, the copy of r1 not at all.
        assert.deepEqual(
          (await lostDemandOf(ctx)).map((r) => [r.sku, r.code, r.refusals, r.quantity]),
          [
            ['A', 'web', 1, 2],
            ['B', 'web', 1, 1],
            ['C', 'pos', 1, 3],
          ],
        );
        const stored = await ctx.db
          .selectFrom('idempotency_keys')
          .select(['key', 'status_code'])
          .orderBy('key')
          .execute();
        assert.deepEqual(
          stored.map((k) => [k.key, k.status_code]),
          [
            ['placed', 201],
            ['r1', 409],
            ['r2', 409],
            ['r3', 409],
          ],
        );
      } finally {
        await drop();
      }
    });
  });
}
