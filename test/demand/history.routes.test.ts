import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld } from '../helpers/factories.js';
import type { ErrorBody } from '../helpers/responses.js';

/** POST /v1/history: who may call it, the bodies it takes, and its refusals. */

const URL = '/v1/history';
const FILE = [
  'date,store,item,sales',
  '2016-01-01,S1,KET,3',
  '2016-01-02,S1,KET,4',
  '2016-01-01,W1,MUG,0',
].join('\n');
const MAPPED = 'columns=location%3Dstore,sku%3Ditem,quantity%3Dsales';

interface Summary {
  rows: number;
  items: number;
  locations: number;
  from: string | null;
  through: string | null;
  createdItems: number;
  createdLocations: number;
  seconds: number;
}

for (const target of testDatabases()) {
  describe(`POST /v1/history (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET' });
      await insertItem(t.ctx, { sku: 'MUG' });
    });
    afterEach(async () => {
      await t.close();
    });

    function upload(
      body: string | Buffer,
      options: {
        query?: string;
        key?: string | null;
        contentType?: string;
        headers?: Record<string, string>;
      } = {},
    ) {
      const key = options.key === undefined ? t.staffKey : options.key;
      return t.app.inject({
        method: 'POST',
        url: `${URL}${options.query === undefined ? `?${MAPPED}` : options.query}`,
        headers: {
          'content-type': options.contentType ?? 'text/csv',
          ...(key !== null && { authorization: `Bearer ${key}` }),
          ...options.headers,
        },
        payload: body,
      });
    }

    function expectError(response: LightMyRequestResponse, status: number, code: string) {
      assert.equal(response.statusCode, status, response.body);
      const body = json<ErrorBody>(response);
      assert.equal(body.error.code, code, response.body);
      return body.error;
    }

    const count = async () =>
      Number(
        (
          await t.ctx.db
            .selectFrom('sales_history')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('imports a mapped file and answers its summary; the same file again changes nothing', async () => {
      const response = await upload(FILE);
      assert.equal(response.statusCode, 200, response.body);
      const summary = json<Summary>(response);
      assert.deepEqual(
        { ...summary, seconds: 0 },
        {
          rows: 3,
          items: 2,
          locations: 2,
          from: '2016-01-01',
          through: '2016-01-02',
          createdItems: 0,
          createdLocations: 0,
          seconds: 0,
        },
      );
      assert.equal((await upload(FILE)).statusCode, 200);
      assert.equal(await count(), 3);
    });

    it('takes gzip bodies however they are labelled', async () => {
      const gz = gzipSync(FILE);
      for (const options of [
        {},
        { contentType: 'application/gzip' },
        { headers: { 'content-encoding': 'gzip' } },
      ]) {
        const response = await upload(gz, options);
        assert.equal(response.statusCode, 200, `${JSON.stringify(options)}: ${response.body}`);
        assert.equal(json<Summary>(response).rows, 3);
      }
      expectError(await upload(gz.subarray(0, 20)), 400, 'INVALID_GZIP');
      assert.equal(await count(), 3);
    });

    it('answers 422 with every bad row by line, and imports nothing', async () => {
      const file = [
        'date,store,item,sales',
        '2016-01-01,S1,KET,3',
        '2016-02-30,S1,KET,3',
        '2016-01-02,S1,NEW,-2',
        '2016-01-03,S1,KET',
      ].join('\r\n');
      const error = expectError(await upload(file), 422, 'IMPORT_INVALID');
      assert.deepEqual(error.details, {
        errors: [
          { line: 3, column: 'date', message: '"2016-02-30" is not a real date (YYYY-MM-DD)' },
          { line: 4, column: 'sales', message: '"-2" is not a whole number from 0 to 1000000000' },
          { line: 5, message: 'The row has 3 fields; the header has 4' },
        ],
        errorCount: 3,
        rows: 4,
      });
      assert.equal(await count(), 0);
      // The unknown SKU shows once its row's cells are right; createMissing makes it.
      const unknown = expectError(
        await upload('date,location,sku,quantity\n2016-01-01,S1,NEW,1', { query: '' }),
        422,
        'IMPORT_INVALID',
      );
      assert.deepEqual(unknown.details.errors, [
        { line: 2, column: 'sku', message: 'No item has SKU "NEW"' },
      ]);
      const created = await upload('date,location,sku,quantity\n2016-01-01,S1,NEW,1', {
        query: '?createMissing=true',
      });
      assert.equal(created.statusCode, 200, created.body);
      assert.equal(json<Summary>(created).createdItems, 1);
    });

    it('refuses bad queries, headers and files with a 400, importing nothing', async () => {
      expectError(
        await upload(FILE, { query: '?columns=store%3Dlocation' }),
        400,
        'INVALID_COLUMN_MAPPING',
      );
      expectError(
        await upload(FILE, { query: `?${MAPPED}&createMissing=maybe` }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await upload(FILE, { query: `?${MAPPED}&dryRun=true` }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(await upload(FILE, { query: '' }), 400, 'IMPORT_MISSING_COLUMNS');
      expectError(await upload(''), 400, 'IMPORT_EMPTY_FILE');
      const malformed = expectError(
        await upload(`${FILE}\n2016-01-03,"S1,KET,1`),
        400,
        'MALFORMED_CSV',
      );
      assert.equal(typeof malformed.details.line, 'number');
      assert.equal(await count(), 0);
    });

    it('is for admin and staff keys: 401 without a key, 403 for a channel key, 415 for JSON', async () => {
      expectError(await upload(FILE, { key: null }), 401, 'UNAUTHORIZED');
      const channel = await t.channelKey('web');
      expectError(await upload(FILE, { key: channel }), 403, 'FORBIDDEN');
      expectError(
        await upload('{}', { key: channel, contentType: 'application/json' }),
        403,
        'FORBIDDEN',
      );
      expectError(
        await upload('{}', { contentType: 'application/json' }),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      assert.equal(await count(), 0);
      assert.equal((await upload(FILE, { key: t.adminKey })).statusCode, 200);
    });

    it('refuses bodies over 50 MB', async () => {
      const huge = Buffer.alloc(50 * 1024 * 1024 + 1, 0x20);
      expectError(await upload(huge), 413, 'BODY_TOO_LARGE');
      assert.equal(await count(), 0);
    });

    it('is documented: CSV and gzip bodies, the columns and createMissing query', async () => {
      const doc = json<{ paths: Record<string, Record<string, Record<string, unknown>>> }>(
        await t.request({ method: 'GET', url: '/openapi.json', key: null }),
      );
      const op = doc.paths[URL]?.post as {
        requestBody: { content: Record<string, unknown> };
        parameters: { in: string; name: string }[];
        responses: Record<string, unknown>;
      };
      assert.deepEqual(Object.keys(op.requestBody.content).sort(), [
        'application/gzip',
        'text/csv',
      ]);
      assert.deepEqual(
        op.parameters.map((p) => `${p.in} ${p.name}`),
        ['query columns', 'query createMissing'],
      );
      for (const status of ['200', '400', '403', '413', '415', '422'])
        assert.ok(op.responses[status], status);
    });
  });
}
