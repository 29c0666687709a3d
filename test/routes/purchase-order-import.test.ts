import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type * as purchasing from '../../src/purchasing/purchase-orders.schemas.js';
import { createSupplier, putSupplierItem } from '../../src/purchasing/suppliers.service.js';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld } from '../helpers/factories.js';
import type { Body, ErrorBody } from '../helpers/responses.js';

interface RowError {
  line: number;
  column: string | null;
  code: string;
  message: string;
}
interface InvalidDetails {
  errors: RowError[];
  errorCount: number;
  rows: number;
  orders: number;
}
interface ImportedOrder {
  id?: number;
  reference: string;
  supplier: string;
  location: string;
  lines: number;
  units: number;
}
interface ImportResult {
  dryRun: boolean;
  orders: ImportedOrder[];
  rows: number;
}
type PurchaseOrder = Body<typeof purchasing.PurchaseOrder>;

const URL = '/v1/purchase-orders/import';
const HEADER = 'supplier,location,reference,sku,quantity,unit_cost,expected_date,confidence';

/** Two suppliers, each listing some of the three items, as most tests need. */
async function insertSuppliers(t: TestApp) {
  await insertItem(t.ctx, { sku: 'KET-01', name: 'Kettle' });
  await insertItem(t.ctx, { sku: 'TOA-02', name: 'Toaster' });
  await insertItem(t.ctx, { sku: 'MUG-07', name: 'Mug' });
  const supplier = { email: 'orders@example.com' };
  await createSupplier(t.ctx, { ...supplier, code: 'ACME', name: 'Acme', leadTimeDays: 7 });
  await createSupplier(t.ctx, { ...supplier, code: 'BREW', name: 'Brew Co', leadTimeDays: 3 });
  await putSupplierItem(t.ctx, 'ACME', 'KET-01', { unitCost: 12.5 });
  await putSupplierItem(t.ctx, 'ACME', 'TOA-02', { unitCost: 20, leadTimeDays: 10 });
  await putSupplierItem(t.ctx, 'BREW', 'MUG-07', { unitCost: 1.75 });
}

/** Three orders in four rows: defaults, explicit values, and a reference with a comma. */
const GOOD_FILE = [
  HEADER,
  'ACME,W1,PO-100,KET-01,24,,,',
  'BREW,S1,PO-200,MUG-07,100,1.99,2026-12-03,confirmed',
  'ACME,W1,PO-100,TOA-02,6,19.50,,estimated',
  'ACME,S1,"PO-300, rush",KET-01,2,,2026-12-01,',
].join('\n');

for (const target of testDatabases()) {
  describe(`purchase order import (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      await insertWorld(t.ctx);
      await insertSuppliers(t);
    });
    afterEach(async () => {
      await t.close();
    });

    const upload = (
      body: string,
      options: { query?: string; key?: string | null; contentType?: string } = {},
    ) =>
      t.request({
        method: 'POST',
        url: `${URL}${options.query ?? ''}`,
        rawBody: body,
        headers: { 'content-type': options.contentType ?? 'text/csv' },
        ...(options.key !== undefined && { key: options.key }),
      });
    const expectError = (response: LightMyRequestResponse, status: number, code: string) => {
      assert.equal(response.statusCode, status, response.body);
      const body = json<ErrorBody>(response);
      assert.equal(body.error.code, code, response.body);
      return body.error;
    };
    const expectInvalid = (response: LightMyRequestResponse) =>
      expectError(response, 422, 'IMPORT_INVALID').details as unknown as InvalidDetails;
    const orders = async () => {
      const response = await t.request({ method: 'GET', url: '/v1/purchase-orders?limit=1000' });
      assert.equal(response.statusCode, 200, response.body);
      return json<{ items: PurchaseOrder[] }>(response).items;
    };
    const countOrders = async () => {
      const row = await t.ctx.db
        .selectFrom('purchase_orders')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    };
    const errorsOf = (details: InvalidDetails) =>
      details.errors.map((e) => [e.line, e.column, e.code]);

    it('imports one draft per reference with its lines in file order', async () => {
      const response = await upload(GOOD_FILE);
      assert.equal(response.statusCode, 201, response.body);
      const result = json<ImportResult>(response);
      assert.equal(result.dryRun, false);
      assert.equal(result.rows, 4);
      assert.deepEqual(
        result.orders.map(({ id, ...rest }) => {
          assert.equal(typeof id, 'number', response.body);
          return rest;
        }),
        [
          { reference: 'PO-100', supplier: 'ACME', location: 'W1', lines: 2, units: 30 },
          { reference: 'PO-200', supplier: 'BREW', location: 'S1', lines: 1, units: 100 },
          { reference: 'PO-300, rush', supplier: 'ACME', location: 'S1', lines: 1, units: 2 },
        ],
      );

      const stored = await orders();
      assert.equal(stored.length, 3, JSON.stringify(stored));
      const byId = new Map(stored.map((o) => [o.id, o]));
      const read = result.orders.map((o) => byId.get(o.id!)!);
      assert.deepEqual(
        read.map((o) => ({
          state: o.state,
          reference: o.reference,
          supplier: o.supplier,
          location: o.location,
          lines: o.lines.map((l) => [l.sku, l.quantity, l.unitCost, l.expectedDate, l.confidence]),
        })),
        [
          {
            state: 'draft',
            reference: 'PO-100',
            supplier: 'ACME',
            location: 'W1',
            lines: [
              // Empty cells take createPurchaseOrder's defaults: the supplier's cost, today
              // (2026-11-26) plus the lead time, estimated.
              ['KET-01', 24, 12.5, '2026-12-03', 'estimated'],
              ['TOA-02', 6, 19.5, '2026-12-06', 'estimated'],
            ],
          },
          {
            state: 'draft',
            reference: 'PO-200',
            supplier: 'BREW',
            location: 'S1',
            lines: [['MUG-07', 100, 1.99, '2026-12-03', 'confirmed']],
          },
          {
            state: 'draft',
            reference: 'PO-300, rush',
            supplier: 'ACME',
            location: 'S1',
            lines: [['KET-01', 2, 12.5, '2026-12-01', 'estimated']],
          },
        ],
      );
    });

    it('creates orders exactly as POST /v1/purchase-orders does', async () => {
      const created = await t.request({
        method: 'POST',
        url: '/v1/purchase-orders',
        body: {
          supplier: 'ACME',
          location: 'W1',
          reference: 'API-1',
          lines: [
            { sku: 'KET-01', quantity: 24 },
            { sku: 'TOA-02', quantity: 6, unitCost: 19.5 },
          ],
        },
      });
      assert.equal(created.statusCode, 201, created.body);
      const imported = await upload(
        [HEADER, 'ACME,W1,CSV-1,KET-01,24,,,', 'ACME,W1,CSV-1,TOA-02,6,19.5,,'].join('\n'),
      );
      assert.equal(imported.statusCode, 201, imported.body);
      const [viaApi, viaCsv] = await orders();
      // Everything but the ids and the reference: state, dates, costs, totals...
      const comparable = ({ id: _id, reference: _reference, lines, ...rest }: PurchaseOrder) => ({
        ...rest,
        lines: lines.map(({ id: _line, ...line }) => line),
      });
      assert.deepEqual(comparable(viaCsv!), comparable(viaApi!));
    });

    it('checks a dry run the same way and creates nothing', async () => {
      const before = await countOrders();
      const response = await upload(GOOD_FILE, { query: '?dryRun=true' });
      assert.equal(response.statusCode, 200, response.body);
      const result = json<ImportResult>(response);
      assert.deepEqual(result, {
        dryRun: true,
        rows: 4,
        orders: [
          { reference: 'PO-100', supplier: 'ACME', location: 'W1', lines: 2, units: 30 },
          { reference: 'PO-200', supplier: 'BREW', location: 'S1', lines: 1, units: 100 },
          { reference: 'PO-300, rush', supplier: 'ACME', location: 'S1', lines: 1, units: 2 },
        ],
      });
      assert.equal(await countOrders(), before);

      const bad = await upload(`${HEADER}\nACME,W1,PO-1,KET-01,0,,,`, { query: '?dryRun=true' });
      assert.deepEqual(errorsOf(expectInvalid(bad)), [[2, 'quantity', 'INVALID_QUANTITY']]);

      const explicit = await upload(GOOD_FILE, { query: '?dryRun=false' });
      assert.equal(explicit.statusCode, 201, explicit.body);
      assert.equal(await countOrders(), before + 3);
    });

    it('lists every problem by line and column, and imports nothing', async () => {
      const file = [
        HEADER, // 1
        'ACME,W1,PO-1,KET-01,5,,,', // 2: fine
        '', // 3: blank lines are skipped but still count
        'ACME,W1,PO-2,KET-01,five,12.345,2026-02-30,sure', // 4: four bad cells
        'NOPE,X9,PO-3,NO-SUCH,1,-3,,', // 5: unknown supplier, location, SKU; negative cost
        'BREW,W1,PO-4,KET-01,1,,,', // 6: BREW does not sell KET-01 and no cost is given
        'ACME,S1,PO-1,TOA-02,1,,,', // 7: PO-1 is ACME at W1 (line 2)
        'ACME,W1,PO-5,KET-01', // 8: too few fields
        'ACME,W1,PO-6,"KET-01",1,abc,2026/12/01,', // 9
      ].join('\n');
      const details = expectInvalid(await upload(file));
      assert.deepEqual(errorsOf(details), [
        [4, 'quantity', 'INVALID_QUANTITY'],
        [4, 'unit_cost', 'INVALID_UNIT_COST'],
        [4, 'expected_date', 'INVALID_DATE'],
        [4, 'confidence', 'INVALID_CONFIDENCE'],
        [5, 'supplier', 'SUPPLIER_NOT_FOUND'],
        [5, 'location', 'LOCATION_NOT_FOUND'],
        [5, 'sku', 'ITEM_NOT_FOUND'],
        [5, 'unit_cost', 'INVALID_UNIT_COST'],
        [6, 'unit_cost', 'UNIT_COST_REQUIRED'],
        [7, 'reference', 'REFERENCE_CONFLICT'],
        [8, null, 'WRONG_FIELD_COUNT'],
        [9, 'unit_cost', 'INVALID_UNIT_COST'],
        [9, 'expected_date', 'INVALID_DATE'],
      ]);
      assert.equal(details.errorCount, 13);
      assert.equal(details.rows, 7);
      assert.equal(details.orders, 5);
      for (const error of details.errors) assert.ok(error.message.length > 10, error.message);
      assert.equal(await countOrders(), 0);
    });

    it('reads quoted fields, CRLF line endings and a byte-order mark', async () => {
      const file = `\ufeff${HEADER}\r\n"ACME","W1","PO ""A"", 1","KET-01","3","","",""\r\n\r\nACME,W1,"PO ""A"", 1",TOA-02,4,,,\r\n`;
      const response = await upload(file);
      assert.equal(response.statusCode, 201, response.body);
      const [order] = await orders();
      assert.equal(order?.reference, 'PO "A", 1');
      assert.deepEqual(
        order?.lines.map((l) => [l.sku, l.quantity]),
        [
          ['KET-01', 3],
          ['TOA-02', 4],
        ],
      );

      // Line numbers stay physical with CRLF: the blank line 3 is counted.
      const bad = await upload(
        `\ufeff${HEADER}\r\nACME,W1,PO-9,KET-01,1,,,\r\n\r\nACME,W1,PO-9,KET-01,x,,,\r\n`,
      );
      assert.deepEqual(errorsOf(expectInvalid(bad)), [[4, 'quantity', 'INVALID_QUANTITY']]);
    });

    it('refuses a file that cannot be read as a whole with a 400 and a clear code', async () => {
      expectError(await upload(''), 400, 'IMPORT_EMPTY_FILE');
      expectError(await upload('\r\n\r\n'), 400, 'IMPORT_EMPTY_FILE');
      expectError(await upload(`${HEADER}\r\n`), 400, 'IMPORT_NO_ROWS');
      const header = expectError(
        await upload('supplier,location,ref,sku,quantity,notes\nACME,W1,PO-1,KET-01,1,x'),
        400,
        'INVALID_HEADER',
      );
      assert.deepEqual(header.details.unknown, ['ref', 'notes'], JSON.stringify(header));
      assert.deepEqual(header.details.missing, ['reference'], JSON.stringify(header));
      const malformed = expectError(
        await upload(`${HEADER}\nACME,W1,PO-1,KET-01,1,,,\nACME,W1,"PO-2,KET-01,1,,,`),
        400,
        'MALFORMED_CSV',
      );
      assert.equal(malformed.details.line, 3, JSON.stringify(malformed));
      assert.equal(await countOrders(), 0);
    });

    it('answers 415 to anything but text/csv', async () => {
      for (const contentType of ['application/json', 'text/plain', 'application/octet-stream']) {
        const response = await upload(contentType === 'application/json' ? '{}' : GOOD_FILE, {
          contentType,
        });
        const error = expectError(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
        assert.match(error.message, /text\/csv/, contentType);
      }
      const none = await t.app.inject({
        method: 'POST',
        url: URL,
        headers: { authorization: `Bearer ${t.adminKey}` },
        payload: Buffer.from(GOOD_FILE),
      });
      expectError(none, 415, 'UNSUPPORTED_MEDIA_TYPE');
      const withCharset = await upload(GOOD_FILE, { contentType: 'text/csv; charset=utf-8' });
      assert.equal(withCharset.statusCode, 201, withCharset.body);
    });

    it('refuses a second import of the same file and duplicates nothing', async () => {
      assert.equal((await upload(GOOD_FILE)).statusCode, 201);
      const details = expectInvalid(await upload(GOOD_FILE));
      assert.deepEqual(errorsOf(details), [
        [2, 'reference', 'REFERENCE_EXISTS'],
        [3, 'reference', 'REFERENCE_EXISTS'],
        [5, 'reference', 'REFERENCE_EXISTS'],
      ]);
      assert.equal(await countOrders(), 3);
      // The same reference for another supplier is another order.
      const other = await upload(`${HEADER}\nBREW,W1,PO-100,MUG-07,1,,,`);
      assert.equal(other.statusCode, 201, other.body);
    });

    it('imports the same file once when two uploads race', async () => {
      const responses = await Promise.all([upload(GOOD_FILE), upload(GOOD_FILE)]);
      assert.deepEqual(
        responses.map((r) => r.statusCode).sort(),
        [201, 422],
        responses.map((r) => r.body).join('\n'),
      );
      assert.equal(await countOrders(), 3);
    });

    it('is for admin and staff keys: 401 without a key, 403 for a channel key', async () => {
      expectError(await upload(GOOD_FILE, { key: null }), 401, 'UNAUTHORIZED');
      const channel = await t.channelKey('web');
      expectError(await upload(GOOD_FILE, { key: channel }), 403, 'FORBIDDEN');
      // Refused before the body matters: a channel key learns nothing about the format.
      expectError(
        await upload('{}', { key: channel, contentType: 'application/json' }),
        403,
        'FORBIDDEN',
      );
      assert.equal(await countOrders(), 0);
      const staff = await upload(GOOD_FILE, { key: t.staffKey });
      assert.equal(staff.statusCode, 201, staff.body);
    });

    it('validates dryRun', async () => {
      expectError(await upload(GOOD_FILE, { query: '?dryRun=maybe' }), 400, 'VALIDATION_FAILED');
      expectError(await upload(GOOD_FILE, { query: '?dry=true' }), 400, 'VALIDATION_FAILED');
      assert.equal(await countOrders(), 0);
    });

    it('takes files over the 1 MB JSON limit, refuses over 5 MB, and caps the error list', async () => {
      // 2,000 lines of one order, padded past 1 MB: 1,500 too many for one order.
      const padding = ' '.repeat(600);
      const rows = Array.from({ length: 2000 }, () => `ACME,W1,BIG,KET-01,1,,,${padding}`);
      const big = [HEADER, ...rows].join('\n');
      assert.ok(big.length > 1024 * 1024);
      const details = expectInvalid(await upload(big));
      assert.equal(details.errorCount, 1500);
      assert.equal(details.errors.length, 1000);
      assert.deepEqual(details.errors[0], {
        line: 502,
        column: 'reference',
        code: 'TOO_MANY_LINES',
        message: details.errors[0]?.message,
      });

      const huge = `${HEADER}\n${'#'.repeat(5 * 1024 * 1024)}`;
      expectError(await upload(huge), 413, 'BODY_TOO_LARGE');
    });

    it('documents the CSV body with an example and the dryRun query', async () => {
      const response = await t.request({ method: 'GET', url: '/openapi.json', key: null });
      const doc = json<{
        paths: Record<string, Record<string, Record<string, unknown>>>;
      }>(response);
      const op = doc.paths[URL]?.post as {
        requestBody: { content: Record<string, { schema: unknown; example?: string }> };
        parameters: { in: string; name: string }[];
        responses: Record<string, unknown>;
      };
      assert.ok(op, JSON.stringify(Object.keys(doc.paths)));
      assert.deepEqual(Object.keys(op.requestBody.content), ['text/csv']);
      assert.match(
        op.requestBody.content['text/csv']?.example ?? '',
        /^supplier,location,reference/,
      );
      assert.deepEqual(
        op.parameters.map((p) => `${p.in} ${p.name}`),
        ['query dryRun'],
      );
      for (const status of ['200', '201', '400', '403', '415', '422']) {
        assert.ok(op.responses[status], `${status}: ${JSON.stringify(op.responses)}`);
      }
    });
  });
}
