import assert from 'node:assert/strict';
import { request } from 'node:http';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import {
  reencodeWebhookSecrets,
  standardSecretFor,
} from '../../src/db/migrations/0007_standard_webhook_secrets.js';
import {
  pinnedLookup,
  resolveTarget,
  WebhookTargetForbiddenError,
} from '../../src/webhooks/target-resolver.js';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import { drain, outbox, testDispatcher } from '../helpers/messaging.js';
import { orderKit } from '../helpers/orders.js';
import { type HttpReceiver, startHttpReceiver } from '../helpers/receivers.js';

/**
 * Webhook deliveries as a receiver sees them: registered through the API, delivered by
 * the real dispatcher to a real HTTP server, and verified with the Standard Webhooks
 * reference library, the way an integrator would. Then the target guard at delivery
 * time: a URL that is (or has come to resolve to) a private address is not connected to.
 */
for (const target of testDatabases()) {
  describe(`webhook delivery (${target.kind})`, () => {
    let t: TestApp;
    let http: HttpReceiver;
    const kit = orderKit(() => t);

    beforeEach(async () => {
      // Registration allows the 127.0.0.1 receiver; each test picks the dispatcher's setting.
      t = await startTestApp(target, { allowPrivateWebhookTargets: true });
      http = await startHttpReceiver();
      await insertWorld(t.ctx);
      await insertItem(t.ctx, { sku: 'KET', name: 'Copper kettle' });
      await putStock(t.ctx, 'KET', 'W1', 50);
    });
    afterEach(async () => {
      await http.close();
      await t.close();
    });

    async function register(url = `${http.url}/hooks`) {
      const response = await t.request({
        method: 'POST',
        url: '/v1/webhooks',
        body: { url, events: ['order.placed'] },
      });
      assert.equal(response.statusCode, 201, response.body);
      return json<{ id: number; secret: string }>(response);
    }

    const placeOrder = () => kit.placed({ channel: 'web', lines: [{ sku: 'KET', quantity: 1 }] });

    async function deliver(allowPrivateWebhookTargets: boolean) {
      const dispatcher = testDispatcher({ allowPrivateWebhookTargets });
      try {
        return await drain(t.ctx, dispatcher);
      } finally {
        dispatcher.close();
      }
    }

    it('a receiver verifies a real delivery with standardwebhooks and the secret the API returned', async () => {
      const hook = await register();
      const placed = await placeOrder();
      await deliver(true);
      assert.equal(http.received.length, 1);
      const { body, headers } = http.received[0]!;
      const asStrings = headers as Record<string, string>;
      const [row] = await outbox(t.ctx.db);
      assert.equal(asStrings['webhook-id'], `msg_${row!.id}`);
      assert.ok(
        Math.abs(Number(asStrings['webhook-timestamp']) - Date.now() / 1000) < 60,
        `webhook-timestamp is unix seconds of the attempt: ${asStrings['webhook-timestamp']}`,
      );
      assert.match(asStrings['webhook-signature']!, /^v1,[A-Za-z0-9+/]+=*$/);

      const payload = new Webhook(hook.secret).verify(body, asStrings) as {
        type: string;
        data: { orderId: number };
      };
      assert.equal(payload.type, 'order.placed');
      assert.equal(payload.data.orderId, placed.id);

      const tampered = body.replace(`"orderId":${placed.id}`, `"orderId":${placed.id + 1}`);
      assert.notEqual(tampered, body);
      assert.throws(() => new Webhook(hook.secret).verify(tampered, asStrings), {
        message: 'No matching signature found',
      });
      const otherSecret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
      assert.throws(() => new Webhook(otherSecret).verify(body, asStrings), {
        message: 'No matching signature found',
      });
      assert.throws(
        () => new Webhook(hook.secret).verify(body, { ...asStrings, 'webhook-id': 'msg_0' }),
        { message: 'No matching signature found' },
      );
    });

    it('after rotation, deliveries verify with the new secret and not the old one', async () => {
      const hook = await register();
      const rotated = json<{ secret: string }>(
        await t.request({ method: 'POST', url: `/v1/webhooks/${hook.id}/rotate-secret` }),
      );
      await placeOrder();
      await deliver(true);
      const { body, headers } = http.received[0]!;
      const asStrings = headers as Record<string, string>;
      new Webhook(rotated.secret).verify(body, asStrings);
      assert.throws(() => new Webhook(hook.secret).verify(body, asStrings));
    });

    it('a secret stored before 0007 is re-encoded and keeps its key: the old secret still verifies', async () => {
      // What 0004's API stored: whsec_ + base64url, used as the HMAC key as text.
      const oldSecret = 'whsec_Hc2Tk0-nyMYPEQ-u_vIM9E1sBQa3oY6T1-2Ft3Vqbxo';
      const now = t.clock.now().toISOString();
      const row = await t.ctx.db
        .insertInto('webhooks')
        .values({
          url: `${http.url}/legacy`,
          secret: oldSecret,
          description: null,
          active: 1,
          created_by: 'test',
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await t.ctx.db
        .insertInto('webhook_events')
        .values({ webhook_id: Number(row.id), event_type: 'order.placed' })
        .execute();

      await reencodeWebhookSecrets(t.ctx.db as never);
      const stored = await t.ctx.db
        .selectFrom('webhooks')
        .select('secret')
        .where('id', '=', Number(row.id))
        .executeTakeFirstOrThrow();
      assert.equal(stored.secret, standardSecretFor(oldSecret));
      assert.match(stored.secret, /^whsec_[A-Za-z0-9+/]+=*$/);

      await placeOrder();
      await deliver(true);
      const { body, headers } = http.received[0]!;
      const asStrings = headers as Record<string, string>;
      // The receiver's secret, unchanged, as raw key bytes, or in the whsec_ form.
      new Webhook(oldSecret, { format: 'raw' }).verify(body, asStrings);
      new Webhook(standardSecretFor(oldSecret)).verify(body, asStrings);
    });

    it('refuses at delivery time a target that is a loopback address: a failed attempt, nothing sent', async () => {
      const hook = await register();
      await placeOrder();
      const result = await deliver(false);
      assert.deepEqual(result, { claimed: 1, delivered: 0, retrying: 1, dead: 0 });
      assert.equal(http.received.length, 0, 'the receiver was not connected to');
      const [row] = await outbox(t.ctx.db);
      assert.equal(row!.state, 'pending');
      assert.equal(row!.webhook_id, hook.id);
      assert.match(
        row!.last_error ?? '',
        /^Target refused: 127\.0\.0\.1 is a loopback address; webhooks are delivered only to public addresses unless STOCKROOM_WEBHOOK_ALLOW_PRIVATE=true/,
      );
    });

    it('resolves a name at delivery time and refuses it when it points at a private address', async () => {
      // Registered while allowed (or while the name pointed elsewhere): delivery checks anew.
      await register(http.url.replace('127.0.0.1', 'localhost'));
      await placeOrder();
      await deliver(false);
      assert.equal(http.received.length, 0);
      const [row] = await outbox(t.ctx.db);
      assert.match(
        row!.last_error ?? '',
        /^Target refused: localhost resolves to (127\.0\.0\.1|::1), which is a loopback address/,
      );
    });

    it('a name that does not resolve is accepted at registration and fails its delivery attempt', async () => {
      const strict = await startTestApp(target);
      try {
        const response = await strict.request({
          method: 'POST',
          url: '/v1/webhooks',
          body: { url: 'https://hooks.nowhere.invalid/in', events: ['*'] },
        });
        assert.equal(response.statusCode, 201, response.body);
      } finally {
        await strict.close();
      }
      await register('https://hooks.nowhere.invalid/in');
      await placeOrder();
      assert.deepEqual(await deliver(false), { claimed: 1, delivered: 0, retrying: 1, dead: 0 });
      const [row] = await outbox(t.ctx.db);
      assert.match(
        row!.last_error ?? '',
        /^Endpoint unreachable: .*(ENOTFOUND|EAI_AGAIN) hooks\.nowhere\.invalid/,
      );
    });
  });
}

describe('webhook target resolution', () => {
  it('checks literal addresses without DNS and resolves names before checking them', async () => {
    assert.deepEqual(await resolveTarget('8.8.8.8'), [{ address: '8.8.8.8', family: 4 }]);
    assert.deepEqual(await resolveTarget('[2606:4700:4700::1111]'), [
      { address: '2606:4700:4700::1111', family: 6 },
    ]);
    for (const host of ['127.0.0.1', '[::1]', '169.254.169.254', 'localhost']) {
      await assert.rejects(resolveTarget(host), WebhookTargetForbiddenError, host);
    }
  });

  it('a pinned lookup connects to the checked address, whatever DNS says about the name', async () => {
    const receiver = await startHttpReceiver();
    try {
      const port = new URL(receiver.url).port;
      // This name resolves nowhere (RFC 2606); the socket still reaches the checked address.
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(
          `http://pinned.invalid:${port}/checked`,
          { method: 'POST', lookup: pinnedLookup([{ address: '127.0.0.1', family: 4 }]) },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end('{}');
      });
      assert.equal(status, 200);
      assert.equal(receiver.received[0]?.path, '/checked');
      assert.equal(receiver.received[0]?.headers.host, `pinned.invalid:${port}`);
    } finally {
      await receiver.close();
    }
  });
});
