import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import {
  itemLookup,
  itemsLookup,
  stockForItemRange,
} from '../src/availability/availability.repository.js';
import type { DB } from '../src/db/schema.js';
import { receiveOnTransfer } from '../src/inventory/transfers.repository.js';
import { readPromiseInputs } from '../src/kernel/backorders/promise-inputs.repository.js';
import {
  changeOnHand,
  ensureStockRow,
  setCountedOnHand,
} from '../src/kernel/ledger/stock.repository.js';
import {
  openPurchaseOrderSupply,
  openSupplyTotals,
  openTransferSupply,
} from '../src/kernel/supply/supply.repository.js';

/**
 * STYLE point 11: the hot statements are reviewed as SQL. Each is compiled for both
 * dialects (never executed: the driver only records what it is given) and compared with
 * the committed text under test/__snapshots__/, so a change to any of them shows up here
 * and in the diff of the snapshot. After reviewing a deliberate change, rewrite the
 * snapshots with UPDATE_SNAPSHOTS=1.
 */

/** A driver whose connection records each compiled query and answers with no rows. */
class RecordingDriver extends DummyDriver {
  constructor(private readonly log: CompiledQuery[]) {
    super();
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const log = this.log;
    return {
      async executeQuery(query) {
        log.push(query);
        return { rows: [] };
      },
      async *streamQuery() {},
    };
  }
}

const dialects = {
  sqlite: (log: CompiledQuery[]): Dialect => ({
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new RecordingDriver(log),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  }),
  postgres: (log: CompiledQuery[]): Dialect => ({
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new RecordingDriver(log),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  }),
};

const NOW = '2026-11-26T10:00:00.000Z';
const key = { itemId: 7, locationId: 3 };

/** The statements under review, each as the call a use case makes. */
const statements: { name: string; run: (db: Kysely<DB>) => Promise<unknown> }[] = [
  { name: 'ensureStockRow', run: (db) => ensureStockRow(db, key, NOW) },
  { name: 'changeOnHand (remove 2)', run: (db) => changeOnHand(db, key, -2, NOW) },
  {
    name: 'setCountedOnHand (no expected)',
    run: (db) => setCountedOnHand(db, key, 12, undefined, NOW),
  },
  {
    name: 'setCountedOnHand (expected 10)',
    run: (db) => setCountedOnHand(db, key, 12, 10, NOW),
  },
  { name: 'stockForItemRange', run: (db) => stockForItemRange(db, 100, 2099, [1, 2, 4], NOW) },
  {
    name: 'itemLookup (a single-item look-up: item, stock, supply totals)',
    run: (db) => itemLookup(db, { sku: 'SKU-1', locationIds: [1, 2, 4], now: NOW }),
  },
  {
    name: 'itemsLookup (look-ups asked together on PostgreSQL)',
    run: (db) => itemsLookup(db, { skus: ['SKU-1', 'SKU-2'], locationIds: [1, 2, 4], now: NOW }),
  },
  { name: 'receiveOnTransfer (3 units)', run: (db) => receiveOnTransfer(db, 9, 3, NOW) },
  {
    name: 'openSupplyTotals (the feed, per batch)',
    run: (db) =>
      openSupplyTotals(db, { firstItemId: 100, lastItemId: 2099, locationIds: [1, 2, 4] }),
  },
  {
    name: 'openPurchaseOrderSupply (one item, the promise walk)',
    run: (db) =>
      openPurchaseOrderSupply(db, { firstItemId: 7, lastItemId: 7, locationIds: [1, 2] }),
  },
  {
    name: 'openTransferSupply (one item, the promise walk)',
    run: (db) => openTransferSupply(db, { firstItemId: 7, lastItemId: 7, locationIds: [1, 2] }),
  },
  {
    name: 'readPromiseInputs (one item: a quote, or a batch placing a backorder)',
    // The recording driver answers no row, which the real statement never does.
    run: (db) => readPromiseInputs(db, 7, [1, 2]).catch(() => undefined),
  },
];

async function compileAll(kind: keyof typeof dialects): Promise<string> {
  const sections: string[] = [];
  for (const statement of statements) {
    const log: CompiledQuery[] = [];
    const db = new Kysely<DB>({ dialect: dialects[kind](log) });
    await statement.run(db);
    await db.destroy();
    assert.equal(log.length, 1, `${statement.name} should be one statement, got ${log.length}`);
    const [query] = log as [CompiledQuery];
    sections.push(
      `-- ${statement.name}\n${query.sql};\n-- parameters: ${JSON.stringify(query.parameters)}\n`,
    );
  }
  return `-- Compiled by test/sql-snapshots.test.ts (${kind}); UPDATE_SNAPSHOTS=1 rewrites it.\n\n${sections.join('\n')}`;
}

const snapshotPath = (kind: string) =>
  fileURLToPath(new URL(`./__snapshots__/stock-sql.${kind}.sql`, import.meta.url));

describe('SQL snapshots of the hot stock statements', () => {
  for (const kind of Object.keys(dialects) as (keyof typeof dialects)[]) {
    it(`${kind}: compiled SQL matches test/__snapshots__/stock-sql.${kind}.sql`, async () => {
      const actual = await compileAll(kind);
      const path = snapshotPath(kind);
      if (process.env.UPDATE_SNAPSHOTS === '1') {
        writeFileSync(path, actual);
        return;
      }
      assert.ok(existsSync(path), `${path} is missing: run with UPDATE_SNAPSHOTS=1 to create it`);
      assert.equal(
        actual,
        readFileSync(path, 'utf8'),
        `The compiled SQL changed. Review it, then run with UPDATE_SNAPSHOTS=1 to accept it.`,
      );
    });
  }

  it('stockForItemRange sends no statement for an empty location list', async () => {
    const log: CompiledQuery[] = [];
    const db = new Kysely<DB>({ dialect: dialects.sqlite(log) });
    assert.deepEqual(await stockForItemRange(db, 1, 10, [], NOW), []);
    await db.destroy();
    assert.equal(log.length, 0);
  });

  it('the supply reads send no statement for an empty location list', async () => {
    const log: CompiledQuery[] = [];
    const db = new Kysely<DB>({ dialect: dialects.sqlite(log) });
    const scope = { firstItemId: 1, lastItemId: 10, locationIds: [] };
    assert.deepEqual(await openSupplyTotals(db, scope), []);
    assert.deepEqual(await openPurchaseOrderSupply(db, scope), []);
    assert.deepEqual(await openTransferSupply(db, scope), []);
    await db.destroy();
    assert.equal(log.length, 0);
  });
});
