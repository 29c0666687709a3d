import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import {
  buildIdempotencyWorld,
  fingerprint,
  fresh,
  type IdempotencyWorld,
  idempotentRoutes,
} from '../helpers/idempotent-routes.js';

/**
 * A client whose connection drops sends the same write again while the first copy is
 * still running. Every copy passes the look-up before the use case (nothing is stored
 * yet); the key is then claimed inside the use case's transaction, so on PostgreSQL the
 * later copies wait for the first to commit and replay its answer. The effect is applied
 * once and every copy gets the same answer.
 */

const COPIES = 8;

for (const target of testDatabases()) {
  describe(`the same Idempotency-Key sent ${COPIES} times at once (${target.kind})`, () => {
    const world = {} as IdempotencyWorld;
    let t: TestApp;

    before(async () => {
      // A pool wide enough for every copy to hold its own connection at once.
      t = await startTestApp({ ...target, open: () => target.open({ poolSize: COPIES + 2 }) });
      world.t = t;
      world.draftPurchaseOrder = await buildIdempotencyWorld(t);
    });
    after(() => t.close());

    for (const route of idempotentRoutes) {
      it(`${route.name}: applies the effect once and answers every copy alike`, async () => {
        const body = route.body(fresh());
        const key = `race-${fresh()}`;
        const baseline = await fingerprint(t);
        const answers = await Promise.all(
          Array.from({ length: COPIES }, () =>
            t.request({
              method: route.method,
              url: route.url(world),
              body,
              headers: { 'idempotency-key': key },
            }),
          ),
        );
        for (const answer of answers) assert.equal(answer.statusCode, route.status, answer.body);
        const firsts = answers.filter((a) => a.headers['idempotent-replayed'] === 'false');
        assert.equal(firsts.length, 1, 'exactly one copy did the work');
        const first = json(firsts[0]!);
        for (const answer of answers) assert.deepEqual(json(answer), first);
        const single = await fingerprint(t);

        // One more request of the kind, alone and without a key, adds as many rows as the
        // whole burst did: the burst was one application. (on_hand is left out: how far
        // it moves depends on the body, and the ledger rows already count applications.)
        const once = await t.request({
          method: route.method,
          url: route.url(world),
          body: route.body(fresh()),
        });
        assert.equal(once.statusCode, route.status, once.body);
        const { on_hand: _burst, ...burst } = delta(baseline, single);
        const { on_hand: _once, ...alone } = delta(single, await fingerprint(t));
        assert.deepEqual(alone, { ...burst, keys: 0 }, 'the burst applied the effect once');
      });
    }
  });
}

/** Change per fingerprint column between two fingerprints. */
function delta(before: string, after: string): Record<string, number> {
  const a = JSON.parse(before) as Record<string, number>;
  const b = JSON.parse(after) as Record<string, number>;
  return Object.fromEntries(Object.keys(a).map((k) => [k, Number(b[k]) - Number(a[k])]));
}
