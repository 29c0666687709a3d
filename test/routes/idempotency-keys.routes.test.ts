import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, putStock } from '../helpers/factories.js';
import {
  buildIdempotencyWorld,
  fingerprint,
  fresh,
  type IdempotencyWorld,
  type IdempotentRoute,
  idempotentRoutes,
} from '../helpers/idempotent-routes.js';

/**
 * Every write route that opts into Idempotency-Key (src/http/idempotency.ts) keeps the
 * orders semantics: a retry with the same key and request gets the first answer and
 * changes nothing; the same key with another request is 422 and changes nothing; no key
 * works as before; keys are per API key; a malformed key is 400. Issue 10, defect 4: the
 * same adjustment sent twice with one key took on_hand down twice.
 */

function assertError(response: LightMyRequestResponse, status: number, code: string) {
  assert.equal(response.statusCode, status, response.body);
  const body = json<{ error: { code: string; details: Record<string, unknown> } }>(response);
  assert.equal(body.error.code, code, response.body);
  return body.error;
}

for (const target of testDatabases()) {
  describe(`Idempotency-Key on write routes (${target.kind})`, () => {
    const world = {} as IdempotencyWorld;
    let t: TestApp;

    before(async () => {
      t = await startTestApp(target);
      world.t = t;
      world.draftPurchaseOrder = await buildIdempotencyWorld(t);
    });
    after(() => t.close());

    const send = (
      route: IdempotentRoute,
      body: Record<string, unknown>,
      idempotencyKey?: string,
      key?: string,
    ) =>
      t.request({
        method: route.method,
        url: route.url(world),
        body,
        ...(key !== undefined && { key }),
        ...(idempotencyKey !== undefined && { headers: { 'idempotency-key': idempotencyKey } }),
      });

    for (const route of idempotentRoutes) {
      describe(route.name, () => {
        it('applies a request sent twice with one key once, and answers the retry identically', async () => {
          const body = route.body(fresh());
          const key = `retry-${fresh()}`;
          const before = await fingerprint(t);
          const first = await send(route, body, key);
          assert.equal(first.statusCode, route.status, first.body);
          assert.equal(first.headers['idempotent-replayed'], 'false');
          const afterFirst = await fingerprint(t);
          assert.notEqual(afterFirst, before, 'the first request had its effect');

          const second = await send(route, body, key);
          assert.equal(second.statusCode, route.status, second.body);
          assert.equal(second.headers['idempotent-replayed'], 'true');
          assert.deepEqual(json(second), json(first));
          assert.equal(await fingerprint(t), afterFirst, 'the retry changed nothing');
        });

        it('refuses the same key with another request (422) and changes nothing', async () => {
          const key = `other-${fresh()}`;
          const first = await send(route, route.body(fresh()), key);
          assert.equal(first.statusCode, route.status, first.body);
          const before = await fingerprint(t);
          const error = assertError(
            await send(route, route.body(fresh()), key),
            422,
            'IDEMPOTENCY_KEY_REUSED',
          );
          assert.deepEqual(error.details, { idempotencyKey: key });
          assert.equal(await fingerprint(t), before);
        });

        it('works as before without a key, storing nothing', async () => {
          const before = await fingerprint(t);
          const response = await send(route, route.body(fresh()));
          assert.equal(response.statusCode, route.status, response.body);
          assert.equal(response.headers['idempotent-replayed'], undefined);
          const after = JSON.parse(await fingerprint(t)) as { keys: number };
          assert.equal(after.keys, (JSON.parse(before) as { keys: number }).keys);
        });

        it('keeps two API keys’ Idempotency-Keys apart', async () => {
          const key = `shared-${fresh()}`;
          const mine = await send(route, route.body(fresh()), key, t.adminKey);
          assert.equal(mine.statusCode, route.status, mine.body);
          const before = await fingerprint(t);
          const theirs = await send(route, route.body(fresh()), key, t.staffKey);
          assert.equal(theirs.statusCode, route.status, theirs.body);
          assert.equal(theirs.headers['idempotent-replayed'], 'false');
          assert.notEqual(await fingerprint(t), before, 'the other key’s request was applied');
        });

        it('refuses a malformed Idempotency-Key with 400 and changes nothing', async () => {
          const before = await fingerprint(t);
          for (const bad of ['x'.repeat(256), 'has space', 'naïve']) {
            const response = await t.request({
              method: route.method,
              url: route.url(world),
              body: route.body(fresh()),
              headers: { 'idempotency-key': bad },
            });
            assertError(response, 400, 'VALIDATION_FAILED');
          }
          assert.equal(await fingerprint(t), before);
        });
      });
    }

    it('answers any sequence of keyed adjustments as if each key were used once', async () => {
      // A model of the semantics: the first body sent with a key is applied and answered;
      // the same body again is a replay; another body with that key is a 422.
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 3 })), {
            minLength: 1,
            maxLength: 8,
          }),
          async (steps) => {
            const run = fresh();
            const sku = `PROP-${run}`;
            await insertItem(t.ctx, { sku });
            await putStock(t.ctx, sku, 'W1', 100);
            const firstDelta = new Map<number, number>();
            let expected = 100;
            for (const [keyIndex, delta] of steps) {
              const response = await t.request({
                method: 'POST',
                url: '/v1/stock/adjustments',
                body: { sku, location: 'W1', delta: -delta, reason: 'breakage' },
                headers: { 'idempotency-key': `prop-${run}-${keyIndex}` },
              });
              const used = firstDelta.get(keyIndex);
              if (used === undefined) {
                firstDelta.set(keyIndex, delta);
                expected -= delta;
                assert.equal(response.statusCode, 201, response.body);
                assert.equal(response.headers['idempotent-replayed'], 'false');
              } else if (used === delta) {
                assert.equal(response.statusCode, 201, response.body);
                assert.equal(response.headers['idempotent-replayed'], 'true');
              } else {
                assertError(response, 422, 'IDEMPOTENCY_KEY_REUSED');
              }
            }
            const level = await t.request({ method: 'GET', url: `/v1/stock/${sku}/W1` });
            assert.equal(json<{ onHand: number }>(level).onHand, expected, level.body);
          },
        ),
        { numRuns: 15 },
      );
    });

    it('documents the optional header on every opted-in route in OpenAPI', async () => {
      const document = json<{
        paths: Record<
          string,
          Record<string, { parameters?: { in: string; name: string; required?: boolean }[] }>
        >;
      }>(await t.request({ method: 'GET', url: '/openapi.json' }));
      for (const route of idempotentRoutes) {
        const path = route.name.split(' ')[1]!.replace(':id', '{id}');
        const parameters = document.paths[path]?.post?.parameters ?? [];
        const header = parameters.find((p) => p.in === 'header' && p.name === 'idempotency-key');
        assert.ok(header, `${route.name} documents Idempotency-Key`);
        assert.notEqual(header.required, true, `${route.name}: the key is optional`);
      }
    });
  });
}
