import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { REPEAT_SUGGESTION } from '../../src/reports/stockouts.service.js';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { seedReportHistory } from './report-history.js';

/**
 * Every report's figures on the hand-made history of report-history.ts, worked out by
 * hand in the comments. Period: 2026-11-01 … 2026-11-10 (ten days); today 2026-11-26.
 */

type Report = { from: string; to: string; rows: Record<string, unknown>[] } & Record<
  string,
  unknown
>;
const PERIOD = 'from=2026-11-01&to=2026-11-10';

for (const target of testDatabases()) {
  describe(`report figures (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      await seedReportHistory(t);
    });
    afterEach(async () => {
      await t.close();
    });

    const report = async (path: string, key?: string): Promise<Report> => {
      const response = await t.request({
        method: 'GET',
        url: `/v1/reports/${path}`,
        key: key ?? t.staffKey,
      });
      assert.equal(response.statusCode, 200, response.body);
      return json<Report>(response);
    };
    const pick = (rows: Record<string, unknown>[], fields: string[]) =>
      rows.map((r) => Object.fromEntries(fields.map((f) => [f, r[f]])));

    it('stock-outs: days out, rate and episodes per item and location', async () => {
      const body = await report(`stockouts?${PERIOD}`);
      assert.equal(body.from, '2026-11-01');
      assert.equal(body.to, '2026-11-10');
      // A/W1: out on the 3rd–5th and 8th–10th (6 days), two episodes. A/S1: the 2nd (sold
      // out and refilled), the 6th and the 7th (0 in the morning): 3 days, two episodes.
      assert.deepEqual(
        pick(body.rows, [
          'sku',
          'location',
          'daysOut',
          'days',
          'stockoutRate',
          'episodes',
          'onHandNow',
        ]),
        [
          {
            sku: 'A',
            location: 'W1',
            daysOut: 6,
            days: 10,
            stockoutRate: 0.6,
            episodes: 2,
            onHandNow: 0,
          },
          {
            sku: 'A',
            location: 'S1',
            daysOut: 3,
            days: 10,
            stockoutRate: 0.3,
            episodes: 2,
            onHandNow: 2,
          },
          {
            sku: 'B',
            location: 'W1',
            daysOut: 0,
            days: 10,
            stockoutRate: 0,
            episodes: 0,
            onHandNow: 10,
          },
        ],
      );
      const s1 = await report(`stockouts?${PERIOD}&location=S1`);
      assert.deepEqual(pick(s1.rows, ['sku', 'location']), [{ sku: 'A', location: 'S1' }]);
      // Within the 5th–9th, A/W1 is out on the 5th (opens at 0), 8th and 9th: the period
      // opening at 0 is an episode, the 8th another.
      const inner = await report('stockouts?from=2026-11-05&to=2026-11-09&location=W1&limit=1');
      assert.deepEqual(pick(inner.rows, ['sku', 'daysOut', 'episodes', 'stockoutRate']), [
        { sku: 'A', daysOut: 3, episodes: 2, stockoutRate: 0.6 },
      ]);
    });

    it('lost demand: units and value per item and channel, with totals', async () => {
      const body = await report(`lost-demand?${PERIOD}`);
      // A at 12.50: web 3 + 2 = 5 units (62.50), pos 1 (12.50); B's October units are outside.
      assert.deepEqual(pick(body.rows, ['sku', 'channel', 'category', 'units', 'value']), [
        { sku: 'A', channel: 'web', category: 'kitchen', units: 5, value: 62.5 },
        { sku: 'A', channel: 'pos', category: 'kitchen', units: 1, value: 12.5 },
      ]);
      assert.deepEqual(body.totals, { units: 6, value: 75 });
      const pos = await report(`lost-demand?${PERIOD}&channel=pos`);
      assert.deepEqual(pos.totals, { units: 1, value: 12.5 });
    });

    it('repeat stock-outs: items out at least N times, with the suggestion and its facts', async () => {
      const body = await report(`repeat-stockouts?${PERIOD}`);
      // A: 2 episodes at W1 + 2 at S1; ACME (preferred) has one due line, undelivered: 0 on time.
      assert.deepEqual(body.rows, [
        {
          sku: 'A',
          name: 'Apron',
          category: 'kitchen',
          episodes: 4,
          daysOut: 9,
          locations: 'S1 W1',
          lostUnits: 6,
          supplier: 'ACME',
          supplierOnTimeRate: 0,
          suggestion: REPEAT_SUGGESTION,
        },
      ]);
      assert.equal(body.minEpisodes, 3);
      assert.deepEqual((await report(`repeat-stockouts?${PERIOD}&location=W1`)).rows, []);
      assert.deepEqual((await report(`repeat-stockouts?${PERIOD}&minEpisodes=5`)).rows, []);
      assert.equal(
        (await report(`repeat-stockouts?${PERIOD}&minEpisodes=2&location=W1`)).rows.length,
        1,
      );
    });

    it('excess stock: days of cover above the threshold and the value tied up', async () => {
      // Demand as forecasting counts it: B/W1 sold 5 in 10 days (0.5 a day: 10 on hand is
      // 20 days of cover); A/S1 had 1 unit refused on pos, whose first location is S1 (0.1
      // a day: 2 on hand is 20 days too). 90 days would need 45 and 9 units: no excess.
      assert.deepEqual((await report(`excess-stock?${PERIOD}`)).rows, []);
      // 10 days need 5 of B's units (5 beyond, at its price, no supplier: 40.00) and 1 of
      // A's (1 beyond at ACME's preferred 4.00, not ZED's cheaper 3.00).
      const tight = await report(`excess-stock?${PERIOD}&thresholdDays=10`);
      assert.deepEqual(tight.rows, [
        {
          sku: 'B',
          name: 'Bowl',
          category: 'kitchen',
          location: 'W1',
          onHand: 10,
          demandUnits: 5,
          averageDailyUnits: 0.5,
          daysOfCover: 20,
          excessUnits: 5,
          unitCost: 8,
          valueTiedUp: 40,
        },
        {
          sku: 'A',
          name: 'Apron',
          category: 'kitchen',
          location: 'S1',
          onHand: 2,
          demandUnits: 1,
          averageDailyUnits: 0.1,
          daysOfCover: 20,
          excessUnits: 1,
          unitCost: 4,
          valueTiedUp: 4,
        },
      ]);
      assert.equal(tight.thresholdDays, 10);
      const acme = await report(`excess-stock?${PERIOD}&thresholdDays=10&supplier=ACME`);
      assert.deepEqual(pick(acme.rows, ['sku', 'location']), [{ sku: 'A', location: 'S1' }]);
      const s1 = await report(`excess-stock?${PERIOD}&thresholdDays=10&location=S1`);
      assert.deepEqual(pick(s1.rows, ['sku', 'demandUnits']), [{ sku: 'A', demandUnits: 1 }]);
      // Nothing demanded in a period: every unit on hand is beyond any cover.
      const quiet = await report('excess-stock?from=2026-09-01&to=2026-09-10');
      assert.deepEqual(
        pick(quiet.rows, ['sku', 'location', 'daysOfCover', 'excessUnits', 'valueTiedUp']),
        [
          { sku: 'B', location: 'W1', daysOfCover: null, excessUnits: 10, valueTiedUp: 80 },
          { sku: 'A', location: 'S1', daysOfCover: null, excessUnits: 2, valueTiedUp: 8 },
        ],
      );
    });

    it('best sellers by units and by value; emerging against the previous ten days', async () => {
      // In the period: B 5 units (40.00), C 4 (120.00), D 12 (12.00).
      const units = await report(`best-sellers?${PERIOD}`);
      assert.deepEqual(pick(units.rows, ['rank', 'sku', 'units', 'value']), [
        { rank: 1, sku: 'D', units: 12, value: 12 },
        { rank: 2, sku: 'B', units: 5, value: 40 },
        { rank: 3, sku: 'C', units: 4, value: 120 },
      ]);
      const value = await report(`best-sellers?${PERIOD}&by=value&limit=2`);
      assert.deepEqual(pick(value.rows, ['sku']), [{ sku: 'C' }, { sku: 'B' }]);
      const garden = await report(`best-sellers?${PERIOD}&category=garden`);
      assert.deepEqual(pick(garden.rows, ['sku']), [{ sku: 'D' }, { sku: 'C' }]);
      // Previous period 2026-10-22 … 10-31: B 5 (flat), C 1 (→ 4: +300 %), D none (new).
      const grown = await report(`emerging?${PERIOD}&minUnits=2`);
      assert.equal(grown.previousFrom, '2026-10-22');
      assert.equal(grown.previousTo, '2026-10-31');
      assert.deepEqual(pick(grown.rows, ['sku', 'units', 'previousUnits', 'growth']), [
        { sku: 'D', units: 12, previousUnits: 0, growth: null },
        { sku: 'C', units: 4, previousUnits: 1, growth: 3 },
      ]);
      assert.deepEqual(pick((await report(`emerging?${PERIOD}`)).rows, ['sku']), [{ sku: 'D' }]);
    });

    it('seasonality: each month against the category average over all history', async () => {
      // History runs 2026-10-25 … 11-09: 7 October days, 9 November days.
      // kitchen: Oct 5, Nov 5 → overall 10/16; Oct (5/7)/(10/16) = 1.143, Nov 0.889.
      // garden: Oct 1, Nov 16 → overall 17/16; Oct (1/7)/(17/16) = 0.134, Nov 1.673.
      const body = await report('seasonality');
      assert.equal(body.from, '2026-10-25');
      assert.equal(body.to, '2026-11-09');
      assert.deepEqual(body.rows, [
        {
          category: 'garden',
          month: 10,
          days: 7,
          units: 1,
          averageDailyUnits: 0.143,
          index: 0.134,
        },
        {
          category: 'garden',
          month: 11,
          days: 9,
          units: 16,
          averageDailyUnits: 1.778,
          index: 1.673,
        },
        {
          category: 'kitchen',
          month: 10,
          days: 7,
          units: 5,
          averageDailyUnits: 0.714,
          index: 1.143,
        },
        {
          category: 'kitchen',
          month: 11,
          days: 9,
          units: 5,
          averageDailyUnits: 0.556,
          index: 0.889,
        },
      ]);
      const kitchen = await report('seasonality?category=kitchen&from=2026-11-01&to=2026-11-10');
      assert.deepEqual(pick(kitchen.rows, ['month', 'units', 'index']), [
        { month: 11, units: 5, index: 1 },
      ]);
    });

    it('supplier scorecards: performance, open value and lines late now', async () => {
      const body = await report('supplier-scorecards');
      assert.equal(body.asOf, '2026-11-26');
      assert.deepEqual(body.rows, [
        {
          supplier: 'ACME',
          linesSent: 2,
          leadTimeMeanDays: null,
          leadTimeStdDevDays: null,
          onTimeRate: 0,
          fillRate: null,
          openLines: 2,
          openValue: 80,
          linesLateNow: 1,
        },
        {
          supplier: 'ZED',
          linesSent: 0,
          leadTimeMeanDays: null,
          leadTimeStdDevDays: null,
          onTimeRate: null,
          fillRate: null,
          openLines: 0,
          openValue: 0,
          linesLateNow: 0,
        },
      ]);
      const zed = await report('supplier-scorecards?supplier=ZED');
      assert.deepEqual(pick(zed.rows, ['supplier']), [{ supplier: 'ZED' }]);
    });
  });
}
