import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { loadEdgeOptions } from '../../src/http/edge-options.js';
import { testDatabases } from '../helpers/databases.js';
import { type EdgeApp, edgeOptions, startEdgeApp } from '../helpers/edge-app.js';

const closed = (socket: Socket) =>
  new Promise<void>((resolve) => {
    if (socket.destroyed) resolve();
    else socket.once('close', () => resolve());
  });

for (const target of testDatabases()) {
  describe(`socket timeouts (${target.kind})`, () => {
    let t: EdgeApp | undefined;
    afterEach(async () => {
      await t?.close();
      t = undefined;
    });

    it('cuts off a body trickled byte by byte, and serves a real client past 200 idle sockets', async () => {
      t = await startEdgeApp(
        target,
        edgeOptions({
          timeouts: { requestMs: 1000, headersMs: 1000, keepAliveMs: 1000, connectionMs: 0 },
        }),
      );
      const idle = await Promise.all(
        Array.from(
          { length: 200 },
          () =>
            new Promise<Socket>((resolve) => {
              const s = connect(t!.port, '127.0.0.1', () => resolve(s));
              s.on('error', () => {});
            }),
        ),
      );
      const served = await fetch(`${t.url}/health`);
      assert.equal(served.status, 200, 'a real client is served while 200 sockets idle');
      await served.text();

      const trickle = connect(t.port, '127.0.0.1');
      trickle.on('error', () => {});
      let answer = '';
      trickle.on('data', (chunk) => {
        answer += chunk.toString();
      });
      trickle.write(
        'POST /v1/items HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 60\r\n\r\n',
      );
      let sent = 0;
      const dripping = setInterval(() => {
        if (trickle.destroyed || sent >= 60) return;
        trickle.write('x');
        sent++;
      }, 100);
      await closed(trickle);
      clearInterval(dripping);
      assert.ok(sent < 60, `the server cut the body off after ${sent} of 60 bytes`);
      // Unauthenticated, it was answered 401 at once; the socket still closes on the deadline.
      assert.match(answer, /^HTTP\/1.1 (401|408)/, answer);
      for (const socket of idle) socket.destroy();
    });
  });
}

describe('timeout settings', () => {
  it('refuses a header deadline later than the request deadline', () => {
    assert.throws(
      () =>
        loadEdgeOptions({}, (name, fallback) =>
          name === 'STOCKROOM_HEADERS_TIMEOUT_MS' ? 60_000 : fallback,
        ),
      /must not exceed STOCKROOM_REQUEST_TIMEOUT_MS/,
    );
  });
});
