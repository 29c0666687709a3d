import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { afterEach, describe, it } from 'node:test';
import pino from 'pino';
import { requestLoggerOptions } from '../../src/http/log-redaction.js';
import { logTransport, unsentMessagesWarning } from '../../src/messaging/transports/log.js';
import { testDatabases } from '../helpers/databases.js';
import { type EdgeApp, startEdgeApp } from '../helpers/edge-app.js';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { stream, text: () => text };
}

for (const target of testDatabases()) {
  describe(`customer data stays out of logs (${target.kind})`, () => {
    let t: EdgeApp | undefined;
    afterEach(async () => {
      await t?.close();
      t = undefined;
    });

    it('request logs carry neither the key nor a customer email', async () => {
      const out = capture();
      t = await startEdgeApp(target, undefined, requestLoggerOptions('info', out.stream));
      const key = await t.key('admin');
      const response = await t.app.inject({
        method: 'GET',
        url: '/v1/customers?email=ann%40example.com&limit=5',
        headers: { authorization: `Bearer ${key}` },
      });
      assert.equal(response.statusCode, 200, response.body);
      await new Promise((resolve) => setImmediate(resolve));
      assert.match(out.text(), /\/v1\/customers\?email=\[redacted\]&limit=5/);
      assert.doesNotMatch(out.text(), /ann/);
      assert.ok(!out.text().includes(key), 'the key is not logged');
    });
  });
}

describe('log transport', () => {
  it('logs the message id and channel, never the recipient, subject or text', async () => {
    const out = capture();
    const logger = pino({ level: 'info' }, out.stream);
    const transport = logTransport('email', (entry, line) => logger.info(entry, line));
    await transport.send({
      id: 42,
      dedupeKey: 'order:1:confirmation:email',
      recipient: 'ann@example.com',
      subject: 'Your kettle',
      text: 'Dear Ann, call +44 20 7946 0000',
      html: null,
      body: 'Dear Ann',
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.match(out.text(), /"messageId":42/);
    assert.match(out.text(), /"channel":"email"/);
    assert.doesNotMatch(out.text(), /ann@example|Kettle|kettle|Dear|7946/);
  });

  it('warns once at start when customer messages are only logged', () => {
    assert.match(
      String(unsentMessagesWarning({ smtpUrl: undefined, sms: undefined })),
      /only logged, not sent/,
    );
    assert.equal(
      unsentMessagesWarning({
        smtpUrl: 'smtp://x',
        sms: { url: 'https://sms', username: undefined, password: undefined, from: 'S' },
      }),
      null,
    );
  });
});
