import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { testDatabases } from '../helpers/databases.js';
import { type EdgeApp, edgeOptions, startEdgeApp } from '../helpers/edge-app.js';

for (const target of testDatabases()) {
  describe(`rate limits (${target.kind})`, () => {
    let t: EdgeApp | undefined;
    afterEach(async () => {
      await t?.close();
      t = undefined;
    });

    const get = (app: EdgeApp, key: string) =>
      app.app.inject({
        method: 'GET',
        url: '/v1/items',
        headers: { authorization: `Bearer ${key}` },
      });

    it('turns 2,000 wrong-key requests into 429s, and a good key still passes', async () => {
      t = await startEdgeApp(target, edgeOptions());
      const good = await t.key('admin');
      const statuses: Record<number, number> = {};
      for (let batch = 0; batch < 40; batch++) {
        const answers = await Promise.all(
          Array.from({ length: 50 }, (_, i) => get(t!, `sr_wrong${batch}_${i}`)),
        );
        for (const a of answers) statuses[a.statusCode] = (statuses[a.statusCode] ?? 0) + 1;
      }
      assert.equal(statuses[401], 60, JSON.stringify(statuses));
      assert.equal(statuses[429], 2000 - 60, JSON.stringify(statuses));
      const limited = await get(t, 'sr_wrong_again');
      assert.equal(limited.statusCode, 429);
      assert.equal(limited.json().error.code, 'RATE_LIMITED', limited.body);
      assert.ok(Number(limited.headers['retry-after']) > 0, 'Retry-After is set');
      assert.equal(limited.headers['x-ratelimit-limit'], '60');
      assert.equal(limited.headers['x-ratelimit-remaining'], '0');
      assert.ok(limited.headers['x-ratelimit-reset']);
      const ok = await get(t, good);
      assert.equal(ok.statusCode, 200, ok.body);
    });

    it('limits each key on its own, with the configured maximum', async () => {
      t = await startEdgeApp(target, edgeOptions({ rateLimitPerKey: 3 }));
      const admin = await t.key('admin');
      const staff = await t.key('staff');
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await get(t, admin)).statusCode);
      assert.deepEqual(statuses, [200, 200, 200, 429]);
      const limited = await get(t, admin);
      assert.equal(limited.json().error.code, 'RATE_LIMITED', limited.body);
      assert.equal(limited.headers['x-ratelimit-limit'], '3');
      assert.ok(limited.headers['retry-after']);
      assert.equal((await get(t, staff)).statusCode, 200, 'another key is not limited');
    });

    it('leaves limits off without edge options (tests, benchmarks) and with 0', async () => {
      t = await startEdgeApp(target, edgeOptions({ rateLimitPerKey: 0, authFailureLimit: 0 }));
      for (let i = 0; i < 100; i++) assert.equal((await get(t, 'sr_wrong')).statusCode, 401);
    });
  });
}
