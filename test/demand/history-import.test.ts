import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { loadDemandSeries } from '../../src/demand/demand-series.service.js';
import { HistoryImportInvalidError, parseColumnMapping } from '../../src/demand/history-import.js';
import {
  type HistoryImportOptions,
  importSalesHistory,
} from '../../src/demand/history-import.service.js';
import type { AppContext } from '../../src/kernel/context.js';
import { fixedClock } from '../../src/shared/clock.js';
import { AppError } from '../../src/shared/errors.js';
import { type TestDatabase, testDatabases } from '../helpers/databases.js';
import { insertItem, insertLocation } from '../helpers/factories.js';

/**
 * Importing sales history through the use case, on both engines: mapping, gzip, creating
 * what is missing, every bad row reported with nothing imported, and idempotency.
 */

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;
const stream = (body: string | Buffer) => Readable.from([Buffer.from(body)]);

for (const target of testDatabases()) {
  describe(`sales history import (${target.kind})`, () => {
    let database: TestDatabase;
    let ctx: AppContext;
    beforeEach(async () => {
      database = await target.open();
      ctx = { db: database.db, dbKind: database.kind, clock: fixedClock('2026-11-26T10:00:00Z') };
    });
    afterEach(async () => {
      await database.drop();
    });

    const run = (body: string | Buffer, options: HistoryImportOptions = {}) =>
      importSalesHistory(ctx, stream(body), options);

    async function rows() {
      return ctx.db
        .selectFrom('sales_history as h')
        .innerJoin('items as i', 'i.id', 'h.item_id')
        .innerJoin('locations as l', 'l.id', 'h.location_id')
        .select(['l.code as location', 'i.sku', 'h.day', 'h.quantity'])
        .orderBy('l.code')
        .orderBy('i.sku')
        .orderBy('h.day')
        .execute();
    }

    async function refusal(promise: Promise<unknown>): Promise<HistoryImportInvalidError> {
      const error = await promise.then(
        () => assert.fail('the import should have been refused'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof HistoryImportInvalidError, String(error));
      return error;
    }

    async function catalogue() {
      await insertLocation(ctx, { code: 'S1', kind: 'store' });
      await insertLocation(ctx, { code: 'S2', kind: 'store' });
      await insertItem(ctx, { sku: 'KET' });
      await insertItem(ctx, { sku: 'MUG' });
    }

    it('maps other header names, ignores other columns, and answers a summary', async () => {
      await catalogue();
      const summary = await run(
        csv(
          'Date,note,store,item,sales',
          '2016-01-02,x,S1,KET,4',
          '2016-01-01,,S2,MUG,0',
          '',
          '2016-01-03,"a, b",S1,KET,12',
        ),
        { columns: parseColumnMapping('location=store,sku=item,quantity=sales') },
      );
      assert.deepEqual(
        { ...summary, seconds: typeof summary.seconds },
        {
          rows: 3,
          items: 2,
          locations: 2,
          from: '2016-01-01',
          through: '2016-01-03',
          createdItems: 0,
          createdLocations: 0,
          seconds: 'number',
        },
      );
      assert.deepEqual(await rows(), [
        { location: 'S1', sku: 'KET', day: '2016-01-02', quantity: 4 },
        { location: 'S1', sku: 'KET', day: '2016-01-03', quantity: 12 },
        { location: 'S2', sku: 'MUG', day: '2016-01-01', quantity: 0 },
      ]);
    });

    it('reads gzip by its magic bytes, whatever it is called, in chunks of any size', async () => {
      await catalogue();
      const body = gzipSync(csv('date,location,sku,quantity', '2016-03-01,S1,KET,7'));
      // One byte at a time: the magic bytes straddle chunks.
      const bytes = Readable.from([...body].map((b) => Buffer.from([b])));
      const summary = await importSalesHistory(ctx, bytes);
      assert.equal(summary.rows, 1);
      assert.deepEqual(await rows(), [
        { location: 'S1', sku: 'KET', day: '2016-03-01', quantity: 7 },
      ]);
      const broken = body.subarray(0, body.length - 12);
      await assert.rejects(
        run(broken),
        (e: unknown) => e instanceof AppError && e.code === 'INVALID_GZIP',
      );
    });

    it('creates missing items and locations only when asked', async () => {
      await catalogue();
      const file = csv(
        'date,location,sku,quantity',
        '2016-01-01,S1,NEW-1,3',
        '2016-01-01,S9,KET,2',
      );
      const error = await refusal(run(file));
      assert.deepEqual(error.errors, [
        { line: 2, column: 'sku', message: 'No item has SKU "NEW-1"' },
        { line: 3, column: 'location', message: 'No location has code "S9"' },
      ]);
      assert.deepEqual(await rows(), []);
      const summary = await run(file, { createMissing: true });
      assert.equal(summary.createdItems, 1);
      assert.equal(summary.createdLocations, 1);
      const item = await ctx.db
        .selectFrom('items')
        .select(['name', 'category', 'price_cents', 'status'])
        .where('sku', '=', 'NEW-1')
        .executeTakeFirstOrThrow();
      assert.deepEqual(item, {
        name: 'NEW-1',
        category: 'imported',
        price_cents: 0,
        status: 'active',
      });
      const location = await ctx.db
        .selectFrom('locations')
        .select(['name', 'kind', 'time_zone'])
        .where('code', '=', 'S9')
        .executeTakeFirstOrThrow();
      assert.deepEqual(location, { name: 'S9', kind: 'store', time_zone: 'UTC' });
      assert.equal((await rows()).length, 2);
    });

    it('is idempotent: the same file again gives the same rows, and a later file replaces days', async () => {
      await catalogue();
      const file = csv(
        'date,location,sku,quantity',
        '2016-01-01,S1,KET,3',
        '2016-01-02,S1,KET,5',
        // The same key twice in one file: the last row wins.
        '2016-01-01,S1,KET,4',
      );
      await run(file);
      const first = await rows();
      await run(file);
      assert.deepEqual(await rows(), first);
      assert.deepEqual(
        first.map((r) => r.quantity),
        [4, 5],
      );
      await run(csv('date,location,sku,quantity', '2016-01-02,S1,KET,0'));
      const [series] = await loadDemandSeries(ctx.db, { today: '2026-11-26' });
      assert.deepEqual(series!.quantities, [4, 0]);
    });

    it('refuses a file it cannot read as a whole, importing nothing', async () => {
      await catalogue();
      const code = async (body: string, options: HistoryImportOptions = {}) => {
        const error = await run(body, options).then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.ok(error instanceof AppError && error.kind === 'invalid', String(error));
        return error.code;
      };
      assert.equal(await code(''), 'IMPORT_EMPTY_FILE');
      assert.equal(
        await code(csv('date,store,item,sales', '2016-01-01,S1,KET,1')),
        'IMPORT_MISSING_COLUMNS',
      );
      assert.equal(await code(csv('date,date,location,sku,quantity')), 'IMPORT_DUPLICATE_COLUMN');
      assert.equal(
        await code(csv('date,location,sku,quantity', '2016-01-01,"S1,KET,1')),
        'MALFORMED_CSV',
      );
      assert.throws(() => parseColumnMapping('store=location'), /COLUMN=HEADER/);
      assert.deepEqual(await rows(), []);
      // A header and no rows is an empty import, not an error.
      assert.equal((await run(csv('date,location,sku,quantity'))).rows, 0);
    });

    it('reports every bad row by line and imports nothing (generated files)', async () => {
      await catalogue();
      const bad = fc.constantFrom(
        ['2016-02-30,S1,KET,1', 'date'],
        ['2015-02-29,S1,KET,1', 'date'],
        ['2016-13-01,S1,KET,1', 'date'],
        ['16-01-01,S1,KET,1', 'date'],
        [',S1,KET,1', 'date'],
        ['2016-01-01,S1,KET,-1', 'quantity'],
        ['2016-01-01,S1,KET,1.5', 'quantity'],
        ['2016-01-01,S1,KET,1e3', 'quantity'],
        ['2016-01-01,S1,KET,', 'quantity'],
        ['2016-01-01,S1,,1', 'sku'],
        ['2016-01-01,,KET,1', 'location'],
        ['2016-01-01,S1,NOPE,1', 'sku'],
        ['2016-01-01,S1,KET', 'row'],
        ['2016-01-01,S1,KET,1,extra', 'row'],
      );
      const good = fc
        .tuple(
          fc.integer({ min: 1, max: 28 }),
          fc.constantFrom('S1', 'S2'),
          fc.constantFrom('KET', 'MUG'),
          fc.nat(500),
        )
        .map(
          ([day, location, sku, quantity]) =>
            `2016-01-${String(day).padStart(2, '0')},${location},${sku},${quantity}`,
        );
      const line = fc.oneof(
        good.map((text) => ({ text, bad: undefined as string | undefined })),
        bad.map(([text, column]) => ({ text, bad: column })),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 40 }), async (lines) => {
          fc.pre(lines.some((l) => l.bad !== undefined));
          const body = csv('date,location,sku,quantity', ...lines.map((l) => l.text));
          const error = await refusal(run(body));
          const expected = lines.flatMap((l, i) =>
            l.bad === undefined ? [] : [{ line: i + 2, column: l.bad }],
          );
          assert.deepEqual(
            error.errors.map((e) => ({ line: e.line, column: e.column ?? 'row' })),
            expected,
          );
          assert.equal(error.errorCount, expected.length);
          assert.deepEqual(await rows(), []);
        }),
        { numRuns: 25 },
      );
    });

    it('keeps reading after the first bad row, across batches, and counts past the list', async () => {
      await catalogue();
      const lines = Array.from({ length: 4_500 }, (_, i) =>
        i % 3 === 0
          ? '2016-02-30,S1,KET,1'
          : `2016-01-${String((i % 28) + 1).padStart(2, '0')},S1,KET,${i}`,
      );
      const error = await refusal(run(csv('date,location,sku,quantity', ...lines)));
      assert.equal(error.errorCount, 1_500);
      assert.equal(error.errors.length, 1_000);
      assert.equal(error.errors[999]!.line, 2 + 999 * 3);
      assert.deepEqual(await rows(), []);
    });
  });
}
