import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { AdjustmentBody, LedgerEntry } from '../../src/inventory/stock.schemas.js';
import {
  adjustStock,
  auditLedger,
  recordCount,
  setSafetyStock,
  transferStock,
} from '../../src/inventory/stock.service.js';
import { fixedClock } from '../../src/shared/clock.js';
import type { AppContext } from '../../src/shared/context.js';
import { AppError } from '../../src/shared/errors.js';
import { TEST_NOW } from '../helpers/app.js';
import { type TestDatabase, type TestDatabaseTarget, testDatabases } from '../helpers/databases.js';
import { insertItem, insertLocation } from '../helpers/factories.js';

/**
 * DESIGN section 2 as a property: whatever mix of adjustments, counts, transfers and
 * safety-stock changes runs, and however they interleave, on_hand equals the sum of the
 * ledger, 0 ≤ reserved ≤ on_hand, and only adjustments and counts change the total.
 *
 * Commands run through the real use cases in batches of BATCH at once. On PostgreSQL the
 * pool has BATCH connections, so a batch really runs in parallel and the conditional
 * updates race each other; on SQLite the one connection serializes them.
 */

const ITEMS = 4;
const LOCATIONS = 3;
const BATCH = 8;
const ACTOR = 'property-test';

// STOCKROOM_PROPERTY_SEED=<seed printed in the diagnostics> regenerates the same commands
// (on PostgreSQL their interleaving may still differ from the failing run).
const SEED = Number(process.env.STOCKROOM_PROPERTY_SEED ?? Math.floor(Math.random() * 2 ** 31));

type AdjustmentType = NonNullable<AdjustmentBody['type']>;

/** 'snapshot': the on_hand read just before the batch (stale if the batch changes it). */
type CountExpected = 'snapshot' | number | undefined;

type Command =
  | { kind: 'adjust'; item: number; loc: number; delta: number; type: AdjustmentType }
  | { kind: 'count'; item: number; loc: number; quantity: number; expected: CountExpected }
  | { kind: 'transfer'; item: number; from: number; to: number; quantity: number }
  | { kind: 'safety'; item: number; loc: number; safetyStock: number };

/** Starting stock of one item × location: no row, or a row with these quantities. */
type Cell = { onHand: number; reserved: number } | null;

const itemArb = fc.integer({ min: 0, max: ITEMS - 1 });
const locArb = fc.integer({ min: 0, max: LOCATIONS - 1 });

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constant('adjust' as const),
    item: itemArb,
    loc: locArb,
    delta: fc.integer({ min: -30, max: 30 }).filter((d) => d !== 0),
    type: fc.constantFrom<AdjustmentType>('adjustment', 'receipt', 'sale', 'return', 'damage'),
  }),
  fc.record({
    kind: fc.constant('count' as const),
    item: itemArb,
    loc: locArb,
    quantity: fc.nat(40),
    expected: fc.oneof<fc.Arbitrary<CountExpected>[]>(
      fc.constant(undefined),
      fc.constant('snapshot'),
      fc.nat(40),
    ),
  }),
  fc.record({
    kind: fc.constant('transfer' as const),
    item: itemArb,
    from: locArb,
    to: locArb,
    quantity: fc.integer({ min: 1, max: 40 }),
  }),
  fc.record({
    kind: fc.constant('safety' as const),
    item: itemArb,
    loc: locArb,
    safetyStock: fc.nat(15),
  }),
);

const cellArb: fc.Arbitrary<Cell> = fc.option(
  fc
    .record({ onHand: fc.nat(25), reserved: fc.option(fc.nat(25), { nil: 0 }) })
    .map(({ onHand, reserved }) => ({ onHand, reserved: Math.min(onHand, reserved) })),
  { nil: null },
);

const scenarioArb = fc.record({
  cells: fc.array(cellArb, { minLength: ITEMS * LOCATIONS, maxLength: ITEMS * LOCATIONS }),
  commands: fc.array(commandArb, { minLength: 30, maxLength: 60 }),
});

interface World {
  ctx: AppContext;
  skus: string[];
  codes: string[];
  itemIds: number[];
  locationIds: number[];
  /** Reserved per cell as set up; no command here changes it. */
  reserved: number[];
  initialTotal: number;
  initialLedgerRows: number;
}

const cellIndex = (item: number, loc: number) => item * LOCATIONS + loc;

async function buildWorld(database: TestDatabase, cells: Cell[]): Promise<World> {
  const ctx: AppContext = { db: database.db, dbKind: database.kind, clock: fixedClock(TEST_NOW) };
  const codes: string[] = [];
  const locationIds: number[] = [];
  for (let l = 0; l < LOCATIONS; l++) {
    const { code } = await insertLocation(ctx);
    codes.push(code);
    const row = await ctx.db
      .selectFrom('locations')
      .select('id')
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    locationIds.push(row.id);
  }
  const skus: string[] = [];
  const itemIds: number[] = [];
  for (let i = 0; i < ITEMS; i++) {
    const { sku } = await insertItem(ctx);
    skus.push(sku);
    const row = await ctx.db
      .selectFrom('items')
      .select('id')
      .where('sku', '=', sku)
      .executeTakeFirstOrThrow();
    itemIds.push(row.id);
  }
  const reserved = new Array<number>(ITEMS * LOCATIONS).fill(0);
  let initialTotal = 0;
  let initialLedgerRows = 0;
  for (let i = 0; i < ITEMS; i++) {
    for (let l = 0; l < LOCATIONS; l++) {
      const cell = cells[cellIndex(i, l)];
      if (!cell) continue;
      const sku = skus[i]!;
      const location = codes[l]!;
      if (cell.onHand > 0) {
        await adjustStock(
          ctx,
          { sku, location, delta: cell.onHand, type: 'receipt', reason: 'opening stock' },
          ACTOR,
        );
        initialLedgerRows++;
        initialTotal += cell.onHand;
      } else {
        // A row at zero with no ledger rows: what setting a safety stock leaves behind.
        await setSafetyStock(ctx, sku, location, 0);
      }
      if (cell.reserved > 0) {
        // Reservations arrive with orders; until then they are set directly so that the
        // reserved ≤ on_hand conditions have something to refuse.
        await ctx.db
          .updateTable('stock')
          .set({ reserved: cell.reserved })
          .where('item_id', '=', itemIds[i]!)
          .where('location_id', '=', locationIds[l]!)
          .execute();
        reserved[cellIndex(i, l)] = cell.reserved;
      }
    }
  }
  return { ctx, skus, codes, itemIds, locationIds, reserved, initialTotal, initialLedgerRows };
}

/** What the run did, kept to check the end state against. */
interface Tally {
  totalDelta: number;
  ledgerRows: number;
  transfers: number;
  refusals: Record<string, number>;
  /** Per cell: the safety stocks set by the last batch that set one there. */
  lastSafety: Map<number, Set<number>>;
}

async function onHandSnapshot(world: World): Promise<Map<number, number>> {
  const rows = await world.ctx.db
    .selectFrom('stock')
    .select(['item_id', 'location_id', 'on_hand'])
    .execute();
  const byCell = new Map<number, number>();
  for (const row of rows) {
    const i = world.itemIds.indexOf(row.item_id);
    const l = world.locationIds.indexOf(row.location_id);
    byCell.set(cellIndex(i, l), row.on_hand);
  }
  return byCell;
}

/**
 * Runs one command, adding what it changed to the tally, and returns 'applied' or the
 * refusal's code. A refusal must be one this command can legitimately get; any other
 * error fails the property.
 */
async function run(
  world: World,
  command: Command,
  snapshot: Map<number, number>,
  tally: Tally,
): Promise<string> {
  const { ctx, skus, codes } = world;
  const sku = skus[command.item]!;
  try {
    switch (command.kind) {
      case 'adjust': {
        const result = await adjustStock(
          ctx,
          {
            sku,
            location: codes[command.loc]!,
            delta: command.delta,
            type: command.type,
            reason: 'property',
          },
          ACTOR,
        );
        assert.equal(result.entry.quantity, command.delta);
        assert.equal(result.entry.onHandAfter, result.stock.onHand);
        tally.totalDelta += command.delta;
        tally.ledgerRows += 1;
        return 'applied';
      }
      case 'count': {
        const expected =
          command.expected === 'snapshot'
            ? (snapshot.get(cellIndex(command.item, command.loc)) ?? 0)
            : command.expected;
        const result = await recordCount(
          ctx,
          {
            sku,
            location: codes[command.loc]!,
            quantity: command.quantity,
            ...(expected !== undefined && { expected }),
          },
          ACTOR,
        );
        assert.equal(result.stock.onHand, command.quantity);
        assert.equal(result.entry.onHandAfter, command.quantity);
        if (expected !== undefined)
          assert.equal(result.entry.quantity, command.quantity - expected);
        tally.totalDelta += result.entry.quantity;
        tally.ledgerRows += 1;
        return 'applied';
      }
      case 'transfer': {
        const result = await transferStock(
          ctx,
          {
            sku,
            from: codes[command.from]!,
            to: codes[command.to]!,
            quantity: command.quantity,
          },
          ACTOR,
        );
        assert.deepEqual(
          // The schema types entries as references; the service returns LedgerEntry values.
          (result.entries as LedgerEntry[]).map((e) => e.quantity),
          [-command.quantity, command.quantity],
        );
        tally.ledgerRows += 2;
        tally.transfers += 1;
        return 'applied';
      }
      case 'safety': {
        const result = await setSafetyStock(ctx, sku, codes[command.loc]!, command.safetyStock);
        assert.equal(result.safetyStock, command.safetyStock);
        return 'applied';
      }
    }
  } catch (error) {
    if (!(error instanceof AppError) || !isExpectedRefusal(world, command, error)) {
      throw new Error(`Unexpected failure of ${JSON.stringify(command)}`, { cause: error });
    }
    tally.refusals[error.code] = (tally.refusals[error.code] ?? 0) + 1;
    return error.code;
  }
}

/** Which refusals each command may get; some are certain from the command alone. */
function isExpectedRefusal(world: World, command: Command, error: AppError): boolean {
  switch (command.kind) {
    case 'adjust': {
      const signRequired = { adjustment: 0, receipt: 1, return: 1, sale: -1, damage: -1 }[
        command.type
      ];
      const signWrong = signRequired !== 0 && Math.sign(command.delta) !== signRequired;
      if (signWrong) return error.code === 'DELTA_SIGN_MISMATCH';
      return error.code === 'INSUFFICIENT_STOCK' && command.delta < 0;
    }
    case 'count': {
      const reserved = world.reserved[cellIndex(command.item, command.loc)]!;
      if (error.code === 'STALE_COUNT') return command.expected !== undefined;
      return error.code === 'COUNT_BELOW_RESERVED' && command.quantity < reserved;
    }
    case 'transfer':
      if (command.from === command.to) return error.code === 'SAME_LOCATION';
      return error.code === 'INSUFFICIENT_STOCK';
    case 'safety':
      return false;
  }
}

/** Outcomes certain from the command alone, whatever ran beside it. */
function mustBeRefused(world: World, command: Command): boolean {
  if (command.kind === 'count')
    return command.quantity < world.reserved[cellIndex(command.item, command.loc)]!;
  if (command.kind === 'transfer') return command.from === command.to;
  return false;
}

function mustApply(world: World, command: Command): boolean {
  switch (command.kind) {
    case 'adjust':
      // Adding units (with a type that adds) can never leave fewer than are reserved.
      return command.delta > 0 && ['adjustment', 'receipt', 'return'].includes(command.type);
    case 'count':
      return (
        command.expected === undefined &&
        command.quantity >= world.reserved[cellIndex(command.item, command.loc)]!
      );
    case 'transfer':
      return false;
    case 'safety':
      return true;
  }
}

async function checkInvariants(world: World, tally: Tally): Promise<void> {
  const { db } = world.ctx;
  const stock = await db
    .selectFrom('stock')
    .select(['item_id', 'location_id', 'on_hand', 'reserved', 'safety_stock'])
    .orderBy('item_id')
    .orderBy('location_id')
    .execute();
  const ledger = await db
    .selectFrom('stock_ledger')
    .select(['id', 'item_id', 'location_id', 'quantity', 'on_hand_after'])
    .orderBy('id')
    .execute();

  const ledgerByCell = new Map<string, typeof ledger>();
  for (const row of ledger) {
    const key = `${row.item_id}:${row.location_id}`;
    const list = ledgerByCell.get(key);
    if (list) list.push(row);
    else ledgerByCell.set(key, [row]);
  }

  let total = 0;
  for (const row of stock) {
    const key = `${row.item_id}:${row.location_id}`;
    const cell = cellIndex(
      world.itemIds.indexOf(row.item_id),
      world.locationIds.indexOf(row.location_id),
    );
    const what = `stock ${key} ${JSON.stringify(row)}`;
    total += row.on_hand;
    assert.ok(row.reserved >= 0 && row.reserved <= row.on_hand, `0 ≤ reserved ≤ on_hand: ${what}`);
    assert.equal(row.reserved, world.reserved[cell], `reserved is untouched: ${what}`);
    assert.ok(row.safety_stock >= 0, `safety_stock ≥ 0: ${what}`);
    const lastSet = tally.lastSafety.get(cell);
    if (lastSet) {
      assert.ok(lastSet.has(row.safety_stock), `safety stock from the last batch: ${what}`);
    }

    // Ledger rows of one item × location are written under that stock row's lock, so in
    // id order each on_hand_after is the running sum: a lost update would break the chain.
    const entries = ledgerByCell.get(key) ?? [];
    ledgerByCell.delete(key);
    let running = 0;
    for (const entry of entries) {
      running += entry.quantity;
      assert.equal(
        entry.on_hand_after,
        running,
        `ledger chain of ${key} at entry ${JSON.stringify(entry)}`,
      );
      assert.ok(
        entry.on_hand_after >= row.reserved,
        `entry below reserved: ${JSON.stringify(entry)}`,
      );
    }
    assert.equal(row.on_hand, running, `on_hand = sum(ledger): ${what}`);
    if (entries.length > 0) {
      assert.equal(entries.at(-1)!.on_hand_after, row.on_hand, `newest on_hand_after: ${what}`);
    }
  }
  assert.deepEqual([...ledgerByCell.keys()], [], 'ledger rows without a stock row');

  assert.equal(
    total,
    world.initialTotal + tally.totalDelta,
    'units change only through adjustments and counts',
  );
  assert.equal(ledger.length, world.initialLedgerRows + tally.ledgerRows, 'ledger rows written');
  const transfers = await db
    .selectFrom('transfers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  assert.equal(Number(transfers.n), tally.transfers, 'refused transfers leave no transfer row');

  const audit = await auditLedger(world.ctx);
  assert.equal(audit.ok, true, JSON.stringify(audit));
  assert.equal(audit.checkedRows, stock.length);
}

async function runScenario(
  target: TestDatabaseTarget,
  scenario: { cells: Cell[]; commands: Command[] },
  seen: Record<string, number>,
): Promise<void> {
  const database = await target.open({ poolSize: BATCH });
  try {
    const world = await buildWorld(database, scenario.cells);
    const tally: Tally = {
      totalDelta: 0,
      ledgerRows: 0,
      transfers: 0,
      refusals: {},
      lastSafety: new Map(),
    };
    for (let start = 0; start < scenario.commands.length; start += BATCH) {
      const batch = scenario.commands.slice(start, start + BATCH);
      const snapshot = await onHandSnapshot(world);
      const outcomes = await Promise.all(
        batch.map((command) => run(world, command, snapshot, tally)),
      );
      batch.forEach((command, n) => {
        if (mustBeRefused(world, command))
          assert.notEqual(outcomes[n], 'applied', `applied ${JSON.stringify(command)}`);
        if (mustApply(world, command))
          assert.equal(outcomes[n], 'applied', `refused ${JSON.stringify(command)}`);
      });
      const setHere = new Map<number, Set<number>>();
      for (const command of batch) {
        if (command.kind !== 'safety') continue;
        const cell = cellIndex(command.item, command.loc);
        setHere.set(cell, (setHere.get(cell) ?? new Set()).add(command.safetyStock));
      }
      for (const [cell, values] of setHere) tally.lastSafety.set(cell, values);
    }
    await checkInvariants(world, tally);
    for (const [code, n] of Object.entries(tally.refusals)) seen[code] = (seen[code] ?? 0) + n;
  } finally {
    await database.drop();
  }
}

for (const target of testDatabases()) {
  describe(`stock ledger property (${target.kind})`, () => {
    it('keeps on_hand = sum(ledger) and 0 ≤ reserved ≤ on_hand under concurrent commands', async (t) => {
      const seed = SEED;
      t.diagnostic(`fast-check seed ${seed} (replay with STOCKROOM_PROPERTY_SEED=${seed})`);
      const seen: Record<string, number> = {};
      await fc.assert(
        fc.asyncProperty(scenarioArb, (scenario) => runScenario(target, scenario, seen)),
        { numRuns: target.kind === 'sqlite' ? 25 : 15, seed, includeErrorInReport: true },
      );
      t.diagnostic(`refusals seen: ${JSON.stringify(seen)}`);
      // The generator is meant to reach every refusal; if it stops doing so the property
      // silently tests less, so say so.
      for (const code of ['INSUFFICIENT_STOCK', 'STALE_COUNT', 'DELTA_SIGN_MISMATCH']) {
        assert.ok(
          (seen[code] ?? 0) > 0,
          `no ${code} refusal was generated: ${JSON.stringify(seen)}`,
        );
      }
    });
  });
}
