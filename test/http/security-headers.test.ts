import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { afterEach, describe, it } from 'node:test';
import { testDatabases } from '../helpers/databases.js';
import { type EdgeApp, edgeOptions, startEdgeApp } from '../helpers/edge-app.js';

for (const target of testDatabases()) {
  describe(`security headers (${target.kind})`, () => {
    let t: EdgeApp | undefined;
    afterEach(async () => {
      await t?.close();
      t = undefined;
    });

    it('sets helmet headers, no-store on keyed answers and WWW-Authenticate on 401', async () => {
      t = await startEdgeApp(target, undefined);
      const key = await t.key('admin');
      const keyed = await t.app.inject({
        method: 'GET',
        url: '/v1/items',
        headers: { authorization: `Bearer ${key}` },
      });
      assert.equal(keyed.statusCode, 200, keyed.body);
      assert.equal(keyed.headers['cache-control'], 'no-store');
      assert.equal(keyed.headers['x-content-type-options'], 'nosniff');
      assert.match(String(keyed.headers['content-security-policy']), /default-src 'none'/);
      const open = await t.app.inject({ method: 'GET', url: '/openapi.json' });
      assert.notEqual(open.headers['cache-control'], 'no-store');
      assert.equal(open.headers['x-content-type-options'], 'nosniff');
      const refused = await t.app.inject({ method: 'GET', url: '/v1/items' });
      assert.equal(refused.statusCode, 401);
      assert.match(String(refused.headers['www-authenticate']), /^Bearer/);
      const wrong = await t.app.inject({
        method: 'GET',
        url: '/v1/items',
        headers: { authorization: 'Bearer sr_wrong' },
      });
      assert.match(String(wrong.headers['www-authenticate']), /^Bearer/);
    });

    it('lets the /docs page run its inline script and style under its CSP', async () => {
      t = await startEdgeApp(target, undefined);
      let page = await t.app.inject({ method: 'GET', url: '/docs' });
      for (let hops = 0; page.statusCode === 302 && hops < 3; hops++) {
        const next = new URL(String(page.headers.location), 'http://x/docs/');
        page = await t.app.inject({ method: 'GET', url: next.pathname });
      }
      assert.equal(page.statusCode, 200, page.body);
      const csp = String(page.headers['content-security-policy']);
      assert.doesNotMatch(csp, /upgrade-insecure-requests/);
      const inline = [...page.body.matchAll(/<(script|style)>([\s\S]*?)<\/\1>/g)];
      // Its scripts and styles load from /docs/static ('self'); any inline one needs its hash.
      assert.match(csp, /script-src 'self'/);
      assert.match(csp, /style-src 'self'/);
      const sources = [...page.body.matchAll(/<(?:script|link)[^>]*(?:src|href)="([^"]+)"/g)];
      assert.ok(sources.length > 0, page.body);
      for (const [, source] of sources) assert.doesNotMatch(source!, /^(https?:)?\/\//);
      for (const [, tag, text] of inline) {
        const hash = `'sha256-${createHash('sha256').update(text!).digest('base64')}'`;
        assert.ok(csp.includes(hash), `${tag} ${hash} is allowed by ${csp}`);
      }
    });

    it('keeps CORS off by default and allows listed origins only', async () => {
      t = await startEdgeApp(target, undefined);
      const off = await t.app.inject({
        method: 'GET',
        url: '/health',
        headers: { origin: 'https://shop.example' },
      });
      assert.equal(off.headers['access-control-allow-origin'], undefined);
      await t.close();
      t = await startEdgeApp(target, edgeOptions({ corsOrigins: ['https://shop.example'] }));
      const preflight = (origin: string) =>
        t!.app.inject({
          method: 'OPTIONS',
          url: '/v1/items',
          headers: { origin, 'access-control-request-method': 'GET' },
        });
      const allowed = await preflight('https://shop.example');
      assert.equal(allowed.statusCode, 204, allowed.body);
      assert.equal(allowed.headers['access-control-allow-origin'], 'https://shop.example');
      const other = await preflight('https://evil.example');
      assert.equal(other.headers['access-control-allow-origin'], undefined);
    });
  });
}
