import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import fc from 'fast-check';
import type * as schemas from '../../src/replenishment/forecast.schemas.js';
import { forecastAll } from '../../src/replenishment/forecast.service.js';
import { addDays } from '../../src/shared/dates.js';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld } from '../helpers/factories.js';
import type { Body, ErrorBody } from '../helpers/responses.js';

type ForecastBody = Body<typeof schemas.Forecast>;
type Response = Awaited<ReturnType<TestApp['request']>>;

/** The same week, Monday first, eight times over: every model that sees weeks gets it exactly. */
const WEEK = [4, 6, 5, 7, 9, 14, 3];
const FIRST = '2026-09-28'; // a Monday; 8 weeks end on Sunday 2026-11-22
const WEEKS = 8;

for (const target of testDatabases()) {
  describe(`forecast routes (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET' });
      await insertItem(t.ctx, { sku: 'MUG' });
      await history('KET', 'W1', 1);
      await history('KET', 'S1', 2);
    });
    afterEach(async () => {
      await t.close();
    });

    async function history(sku: string, location: string, scale: number) {
      const item = await t.ctx.db
        .selectFrom('items')
        .select('id')
        .where('sku', '=', sku)
        .executeTakeFirstOrThrow();
      const loc = await t.ctx.db
        .selectFrom('locations')
        .select('id')
        .where('code', '=', location)
        .executeTakeFirstOrThrow();
      const rows = Array.from({ length: 7 * WEEKS }, (_, d) => ({
        item_id: item.id,
        location_id: loc.id,
        day: addDays(FIRST, d),
        quantity: scale * WEEK[d % 7]!,
      }));
      await t.ctx.db.insertInto('sales_history').values(rows).execute();
    }

    const get = (url: string, key?: string) =>
      t.request({ method: 'GET', url, ...(key && { key }) });
    const expectError = (response: Response, status: number, code: string) => {
      assert.equal(response.statusCode, status, response.body);
      assert.equal(json<ErrorBody>(response).error.code, code, response.body);
    };
    const selections = () =>
      t.ctx.db.selectFrom('forecast_selections').selectAll().orderBy('location_id').execute();

    it('forecasts a series from the day after its history, with the method and its backtest', async () => {
      const response = await get('/v1/forecasts/KET?location=S1&horizon=10');
      assert.equal(response.statusCode, 200, response.body);
      const body = json<ForecastBody>(response);
      assert.equal(body.sku, 'KET');
      assert.equal(body.location, 'S1');
      assert.equal(body.historyThrough, '2026-11-22');
      assert.equal(body.backtest?.smape, 0);
      assert.equal(body.days.length, 10);
      body.days.forEach((day, h) => {
        assert.equal(day.date, addDays('2026-11-23', h));
        assert.equal(day.forecast, 2 * WEEK[h % 7]!);
        assert.ok(day.lower <= day.forecast && day.forecast <= day.upper);
      });
    });

    it('records the selection of every series of the item, once per series', async () => {
      await get('/v1/forecasts/KET?location=W1&horizon=7');
      t.clock.set('2026-11-27T08:00:00Z');
      const response = await get('/v1/forecasts/KET?location=W1&horizon=7');
      assert.equal(response.statusCode, 200, response.body);
      const rows = await selections();
      assert.equal(rows.length, 2);
      for (const row of rows) {
        assert.equal(row.method, json<ForecastBody>(response).method);
        assert.equal(Number(row.backtest_smape), 0);
        assert.equal(row.history_from, FIRST);
        assert.equal(row.history_through, '2026-11-22');
        assert.equal(row.computed_at, '2026-11-27T08:00:00.000Z');
      }
    });

    it('answers the history it learnt from when asked, ending on historyThrough', async () => {
      const plain = json<ForecastBody>(await get('/v1/forecasts/KET?location=S1&horizon=3'));
      assert.deepEqual(plain.history, []);
      const response = await get('/v1/forecasts/KET?location=S1&horizon=3&history=10');
      assert.equal(response.statusCode, 200, response.body);
      const body = json<ForecastBody>(response);
      assert.deepEqual(body.days, plain.days);
      assert.deepEqual(
        body.history,
        Array.from({ length: 10 }, (_, k) => {
          const d = 7 * WEEKS - 10 + k;
          return { date: addDays(FIRST, d), quantity: 2 * WEEK[d % 7]!, censored: false };
        }),
      );
      assert.equal(body.history.at(-1)?.date, body.historyThrough);
      // Asked for more than there is: the whole series, from its first day.
      const all = json<ForecastBody>(await get('/v1/forecasts/KET?location=S1&history=365'));
      assert.equal(all.history.length, 7 * WEEKS);
      assert.equal(all.history[0]?.date, FIRST);
    });

    it('marks a day with refused demand as censored in the history, with its units', async () => {
      const [item, web] = await Promise.all([
        t.ctx.db
          .selectFrom('items')
          .select('id')
          .where('sku', '=', 'KET')
          .executeTakeFirstOrThrow(),
        t.ctx.db
          .selectFrom('channels')
          .select('id')
          .where('code', '=', 'web')
          .executeTakeFirstOrThrow(),
      ]);
      // web sells from W1 first, so its refused demand counts there.
      await t.ctx.db
        .insertInto('lost_demand')
        .values({
          item_id: item.id,
          channel_id: web.id,
          quantity: 5,
          state: 'out_of_stock',
          available: 0,
          created_at: '2026-11-20T10:00:00.000Z',
        })
        .execute();
      const body = json<ForecastBody>(await get('/v1/forecasts/KET?location=W1&history=3'));
      assert.deepEqual(body.history, [
        { date: '2026-11-20', quantity: WEEK[4]! + 5, censored: true },
        { date: '2026-11-21', quantity: WEEK[5]!, censored: false },
        { date: '2026-11-22', quantity: WEEK[6]!, censored: false },
      ]);
    });

    it('agrees with the export for the same series and data', async () => {
      await history('MUG', 'W1', 3);
      const exported = await forecastAll(t.ctx, { horizon: 9 });
      assert.equal(exported.length, 3);
      for (const [sku, location] of [
        ['KET', 'W1'],
        ['KET', 'S1'],
        ['MUG', 'W1'],
      ]) {
        const response = await get(`/v1/forecasts/${sku}?location=${location}&horizon=9`);
        assert.equal(response.statusCode, 200, response.body);
        const one = exported.find((e) => e.sku === sku && e.location === location);
        assert.deepEqual(json<ForecastBody>(response), { ...one, history: [] });
      }
    });

    it('answers staff keys and refuses channel keys', async () => {
      const staff = await get('/v1/forecasts/KET?location=W1&horizon=3', t.staffKey);
      assert.equal(staff.statusCode, 200, staff.body);
      const channel = await get(
        '/v1/forecasts/KET?location=W1&horizon=3',
        await t.channelKey('web'),
      );
      expectError(channel, 403, 'FORBIDDEN');
      assert.equal((await selections()).length, 2);
    });

    it('404s an unknown item, an unknown location, and a series without demand', async () => {
      expectError(await get('/v1/forecasts/NOPE?location=W1&horizon=3'), 404, 'ITEM_NOT_FOUND');
      expectError(await get('/v1/forecasts/KET?location=X9&horizon=3'), 404, 'LOCATION_NOT_FOUND');
      expectError(await get('/v1/forecasts/MUG?location=W1&horizon=3'), 404, 'NO_DEMAND_HISTORY');
      assert.equal((await selections()).length, 0);
    });

    it('400s a horizon outside 1..365 or not a whole number, and writes nothing', async () => {
      const badHorizon = fc.oneof(
        fc.integer({ max: 0 }),
        fc.integer({ min: 366 }),
        fc.double({ noInteger: true, noDefaultInfinity: true, noNaN: true }),
        fc.constantFrom('abc', '', '1e400', '7days'),
      );
      await fc.assert(
        fc.asyncProperty(badHorizon, async (horizon) => {
          const url = `/v1/forecasts/KET?location=W1&horizon=${encodeURIComponent(String(horizon))}`;
          expectError(await get(url), 400, 'VALIDATION_FAILED');
        }),
        { numRuns: 25 },
      );
      expectError(await get('/v1/forecasts/KET?horizon=3'), 400, 'VALIDATION_FAILED');
      for (const history of ['-1', '366', '2.5', 'all']) {
        const url = `/v1/forecasts/KET?location=W1&history=${history}`;
        expectError(await get(url), 400, 'VALIDATION_FAILED');
      }
      assert.equal((await selections()).length, 0);
    });
  });
}
