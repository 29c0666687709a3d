import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, signedHeaders } from './signature.js';

const body = JSON.stringify({ id: 1, type: 'order.placed', data: { orderId: 7 } });
const at = new Date();

describe('webhook signatures (Standard Webhooks)', () => {
  it('match the specification’s published example', () => {
    // The test vector of the Standard Webhooks reference libraries.
    const headers = signedHeaders(
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      new Date(1_614_265_330_000),
      '{"test": 2432232314}',
    );
    assert.deepEqual(headers, {
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
  });

  it('are an HMAC-SHA256 of "{id}.{timestamp}.{body}" keyed with the secret’s bytes', () => {
    const secret = newWebhookSecret();
    const headers = signedHeaders(secret, 'msg_9', at, body);
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key)
      .update(`msg_9.${headers['webhook-timestamp']}.${body}`)
      .digest('base64');
    assert.equal(headers['webhook-signature'], `v1,${expected}`);
  });

  it('new secrets are whsec_ and base64 of 32 random bytes, each different', () => {
    const a = newWebhookSecret();
    const b = newWebhookSecret();
    assert.match(a, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(Buffer.from(a.slice(6), 'base64').length, 32);
    assert.notEqual(a, b);
  });

  it('verify with the standardwebhooks library; another body, secret or id does not', () => {
    const secret = newWebhookSecret();
    const headers = signedHeaders(secret, 'msg_3', at, body);
    assert.deepEqual(new Webhook(secret).verify(body, { ...headers }), JSON.parse(body));
    assert.throws(() => new Webhook(secret).verify(`${body} `, { ...headers }));
    assert.throws(() => new Webhook(newWebhookSecret()).verify(body, { ...headers }));
    assert.throws(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'msg_4' }));
  });

  it('carry the attempt’s time, so an old delivery replayed later is refused', () => {
    const secret = newWebhookSecret();
    const old = signedHeaders(secret, 'msg_3', new Date(at.getTime() - 6 * 60_000), body);
    assert.throws(() => new Webhook(secret).verify(body, { ...old }), /too old/i);
  });
});
