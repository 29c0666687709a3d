import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sweepAlerts } from '../../src/alerts/alerts-sweep.js';
import { msUntilHour, replenishmentJob } from '../../src/app/jobs/replenishment-job.js';
import { refreshSuggestions } from '../../src/replenishment/refresh-suggestions.js';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { putStock } from '../helpers/factories.js';
import type { Page } from '../helpers/responses.js';
import { insertReplenishmentWorld } from './world.js';

describe('msUntilHour', () => {
  it('waits for the next such hour, a full day when it is that instant', () => {
    const at = (iso: string) => new Date(iso);
    assert.equal(msUntilHour(at('2026-11-26T01:30:00Z'), 2), 30 * 60_000);
    assert.equal(msUntilHour(at('2026-11-26T02:00:00Z'), 2), 24 * 3_600_000);
    assert.equal(msUntilHour(at('2026-11-26T23:00:00Z'), 2), 3 * 3_600_000);
  });
});

interface AlertView {
  subject: string;
  message: string;
  resolvedAt: string | null;
  details: Record<string, unknown>;
}

for (const target of testDatabases()) {
  describe(`nightly replenishment job (${target.kind})`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(target);
      await insertReplenishmentWorld(t.ctx, '2026-11-26');
    });
    after(async () => {
      await t.close();
    });

    const shortageAlerts = async (state: 'open' | 'all') => {
      const response = await t.request({
        method: 'GET',
        url: `/v1/alerts?kind=shortage_ahead&state=${state}`,
      });
      assert.equal(response.statusCode, 200, response.body);
      return json<Page<AlertView>>(response).items;
    };

    it('writes the suggestions and raises shortage_ahead, which the alert sweep leaves alone', async () => {
      const job = replenishmentJob(t.ctx, 2, t.app.log);
      assert.equal(job.firstDelayMs, 16 * 3_600_000);
      assert.equal(await job.run(), false);

      const suggestions = await t.request({
        method: 'GET',
        url: '/v1/replenishment/suggestions?state=open',
      });
      assert.equal(json<Page<unknown>>(suggestions).items.length, 1);
      const [alert, ...others] = await shortageAlerts('open');
      assert.deepEqual(others, []);
      assert.equal(alert!.subject, 'item:KET-01@W1');
      assert.equal(
        alert!.message,
        'KET-01 at W1 is projected to run out on 2026-11-29: nothing on order arrives before then, and an order sent today would arrive 2026-12-01',
      );
      assert.deepEqual(alert!.details, {
        sku: 'KET-01',
        location: 'W1',
        projectedStockoutDate: '2026-11-29',
        nextReceiptDate: null,
        orderArrivalDate: '2026-12-01',
        backorderedUnits: 0,
      });

      // The sweep keeps the backorder-based shortages: it must not resolve this one.
      assert.deepEqual(await sweepAlerts(t.ctx), { opened: 0, resolved: 0 });
      assert.equal((await shortageAlerts('open')).length, 1);
    });

    it('leaves one open set when refreshes run at once', async () => {
      const outcomes = await Promise.all([1, 2, 3].map(() => refreshSuggestions(t.ctx)));
      assert.deepEqual(
        outcomes.map((o) => o.suggestions),
        [1, 1, 1],
      );
      const open = await t.request({
        method: 'GET',
        url: '/v1/replenishment/suggestions?state=open',
      });
      assert.equal(json<Page<unknown>>(open).items.length, 1);
    });

    it('resolves the alert once the stock-out is no longer projected before an order arrives', async () => {
      // 10 + 20 on hand lasts 7 days at 4 a day: past the arrival of an order sent today.
      await putStock(t.ctx, 'KET-01', 'W1', 20);
      await replenishmentJob(t.ctx, 2, t.app.log).run();
      assert.deepEqual(await shortageAlerts('open'), []);
      const [resolved] = await shortageAlerts('all');
      assert.equal(resolved!.subject, 'item:KET-01@W1');
      assert.notEqual(resolved!.resolvedAt, null);
    });
  });
}
