import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import type { ErrorBody } from '../helpers/responses.js';
import { seedReportHistory } from './report-history.js';

/** The CSV form, who may read reports, bad parameters, and a period with nothing in it. */

const REPORTS = [
  'stockouts',
  'lost-demand',
  'repeat-stockouts',
  'backorder-waits',
  'excess-stock',
  'best-sellers',
  'emerging',
  'seasonality',
  'supplier-scorecards',
];
const PERIOD = 'from=2026-11-01&to=2026-11-10';

for (const target of testDatabases()) {
  describe(`reports: CSV, access and bad input (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      await seedReportHistory(t);
    });
    afterEach(async () => {
      await t.close();
    });

    const get = (url: string, options: { key?: string; headers?: Record<string, string> } = {}) =>
      t.request({
        method: 'GET',
        url,
        key: options.key ?? t.staffKey,
        headers: options.headers ?? {},
      });
    const expectError = async (url: string, status: number, code: string) => {
      const response = await get(url);
      assert.equal(response.statusCode, status, `${url}: ${response.body}`);
      assert.equal(json<ErrorBody>(response).error.code, code, url);
    };

    it('CSV by format=csv or Accept: text/csv holds the JSON rows, header first', async () => {
      const jsonRows = json<{ rows: Record<string, unknown>[] }>(
        await get(`/v1/reports/stockouts?${PERIOD}`),
      ).rows;
      for (const options of [
        { url: `/v1/reports/stockouts?${PERIOD}&format=csv` },
        { url: `/v1/reports/stockouts?${PERIOD}`, headers: { accept: 'text/csv' } },
      ]) {
        const response = await get(options.url, options);
        assert.equal(response.statusCode, 200, response.body);
        assert.match(String(response.headers['content-type']), /^text\/csv/);
        assert.match(String(response.headers['content-disposition']), /stockouts\.csv/);
        const lines = response.body.trim().split('\n');
        assert.equal(
          lines[0],
          'sku,name,category,location,daysOut,days,stockoutRate,episodes,onHandNow',
        );
        assert.equal(lines[1], 'A,Apron,kitchen,W1,6,10,0.6,2,0');
        const records = parse(response.body, { columns: true }) as Record<string, string>[];
        assert.deepEqual(
          records,
          jsonRows.map((r) =>
            Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)])),
          ),
        );
      }
      // format=json wins over the Accept header.
      const explicit = await get(`/v1/reports/stockouts?${PERIOD}&format=json`, {
        headers: { accept: 'text/csv' },
      });
      assert.match(String(explicit.headers['content-type']), /^application\/json/);
    });

    it('CSV leaves nulls empty and quotes text that needs it', async () => {
      const response = await get(`/v1/reports/repeat-stockouts?${PERIOD}&format=csv`);
      const [header, row] = parse(response.body) as string[][];
      assert.equal(header?.at(-1), 'suggestion');
      assert.equal(
        row?.[header!.indexOf('suggestion')],
        'This item keeps selling out: a sign to adjust its reorder point or diversify your supplier base',
      );
      assert.equal(row?.[header!.indexOf('supplier')], 'ACME');
      const renamed = await t.request({
        method: 'PATCH',
        url: '/v1/items/B',
        body: { name: 'Bowl, "large"' },
      });
      assert.equal(renamed.statusCode, 200, renamed.body);
      const excess = await get(`/v1/reports/excess-stock?${PERIOD}&thresholdDays=10&format=csv`);
      assert.match(excess.body, /\nB,"Bowl, ""large""",kitchen,W1,10,5,0\.5,20,5,8,40\n/);
      const quiet = await get('/v1/reports/excess-stock?from=2026-09-01&to=2026-09-10&format=csv');
      const [h, r] = parse(quiet.body) as string[][];
      assert.equal(r?.[h!.indexOf('daysOfCover')], '');
      // An empty report is still its header.
      const none = await get('/v1/reports/lost-demand?from=2020-01-01&to=2020-01-31&format=csv');
      assert.equal(none.body, 'sku,name,category,channel,units,value\n');
    });

    it('staff and admin read every report; channel keys get 403, no key 401', async () => {
      const channelKey = await t.channelKey('web');
      for (const name of REPORTS) {
        assert.equal((await get(`/v1/reports/${name}`)).statusCode, 200, name);
        assert.equal((await get(`/v1/reports/${name}`, { key: t.adminKey })).statusCode, 200, name);
        const refused = await get(`/v1/reports/${name}`, { key: channelKey });
        assert.equal(refused.statusCode, 403, name);
        assert.equal(json<ErrorBody>(refused).error.code, 'FORBIDDEN');
        const anonymous = await t.request({ method: 'GET', url: `/v1/reports/${name}`, key: null });
        assert.equal(anonymous.statusCode, 401, name);
      }
    });

    it('defaults to the 90 days ending today', async () => {
      const body = json<{ from: string; to: string }>(await get('/v1/reports/stockouts'));
      assert.deepEqual(body, { ...body, from: '2026-08-29', to: '2026-11-26' });
    });

    it('cuts a period that runs past today back to today', async () => {
      const url = '/v1/reports/stockouts?from=2026-11-01&to=2027-03-31';
      const body = json<{ from: string; to: string }>(await get(url));
      assert.deepEqual(body, { ...body, from: '2026-11-01', to: '2026-11-26' });
      await expectError(
        '/v1/reports/stockouts?from=2026-12-01&to=2027-01-31',
        400,
        'INVALID_PERIOD',
      );
    });

    it('bad periods are 400s, unknown codes 404s', async () => {
      await expectError(
        '/v1/reports/stockouts?from=2026-11-10&to=2026-11-01',
        400,
        'INVALID_PERIOD',
      );
      await expectError(
        '/v1/reports/seasonality?from=2026-11-10&to=2026-11-01',
        400,
        'INVALID_PERIOD',
      );
      await expectError(
        '/v1/reports/stockouts?from=2000-01-01&to=2026-01-01',
        400,
        'PERIOD_TOO_LONG',
      );
      await expectError('/v1/reports/stockouts?from=2026-02-30', 400, 'VALIDATION_FAILED');
      await expectError('/v1/reports/stockouts?limit=0', 400, 'VALIDATION_FAILED');
      await expectError('/v1/reports/stockouts?format=xml', 400, 'VALIDATION_FAILED');
      await expectError('/v1/reports/stockouts?colour=red', 400, 'VALIDATION_FAILED');
      await expectError('/v1/reports/excess-stock?thresholdDays=0', 400, 'VALIDATION_FAILED');
      await expectError('/v1/reports/stockouts?location=NOPE', 404, 'LOCATION_NOT_FOUND');
      await expectError('/v1/reports/best-sellers?category=nope', 404, 'CATEGORY_NOT_FOUND');
      await expectError('/v1/reports/excess-stock?supplier=NOPE', 404, 'SUPPLIER_NOT_FOUND');
      await expectError('/v1/reports/lost-demand?channel=nope', 404, 'CHANNEL_NOT_FOUND');
      await expectError('/v1/reports/supplier-scorecards?supplier=NOPE', 404, 'SUPPLIER_NOT_FOUND');
    });

    it('seasonality spans history longer than the ten years other reports allow', async () => {
      const response = await get('/v1/reports/seasonality?from=2000-01-01');
      assert.equal(response.statusCode, 200, response.body);
      const body = json<{ from: string; to: string; rows: { month: number }[] }>(response);
      // From the year 2000 to the last day sold: every month is in range.
      assert.deepEqual([body.from, body.to], ['2000-01-01', '2026-11-09']);
      assert.equal(body.rows.length, 24);
    });

    it('any text for a date is a 4xx, never a 5xx', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.string({ maxLength: 20 }),
          fc.constantFrom('from', 'to'),
          async (text, field) => {
            const response = await get(
              `/v1/reports/stockouts?${field}=${encodeURIComponent(text)}`,
            );
            assert.ok(
              response.statusCode === 200 ||
                (response.statusCode >= 400 && response.statusCode < 500),
              `${field}=${JSON.stringify(text)}: ${response.statusCode} ${response.body}`,
            );
          },
        ),
        { numRuns: 40 },
      );
    });

    it('a period with nothing in it gives empty rows and zero totals', async () => {
      const q = 'from=2020-01-01&to=2020-01-31';
      const dated = REPORTS.filter((n) => n !== 'supplier-scorecards' && n !== 'excess-stock');
      for (const name of dated) {
        const body = json<{ rows: unknown[] }>(await get(`/v1/reports/${name}?${q}`));
        assert.deepEqual(body.rows, [], name);
      }
      const lost = json<{ totals: unknown }>(await get(`/v1/reports/lost-demand?${q}`));
      assert.deepEqual(lost.totals, { units: 0, value: 0 });
      const waits = json<{ totals: Record<string, unknown> }>(
        await get(`/v1/reports/backorder-waits?${q}`),
      );
      assert.equal(waits.totals.lines, 0);
      assert.equal(waits.totals.onTimeRate, null);
      // Stock on hand today against a period without sales: all of it is beyond any cover.
      const excess = json<{ rows: Record<string, unknown>[] }>(
        await get(`/v1/reports/excess-stock?${q}`),
      );
      assert.deepEqual(
        excess.rows.map((r) => [r.sku, r.location, r.demandUnits, r.daysOfCover, r.excessUnits]),
        [
          ['B', 'W1', 0, null, 10],
          ['A', 'S1', 0, null, 2],
        ],
      );
    });
  });
}
