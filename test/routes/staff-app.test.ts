import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';

const INDEX = '<!doctype html><html><body><div id="root"></div></body></html>';
const SCRIPT = 'console.log("app");';
const HTML = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

/** A stand-in for `npm run build`'s dist/web, so the test does not depend on a build. */
function writeBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stockroom-staff-app-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), SCRIPT);
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dir;
}

function assertJson404(response: Awaited<ReturnType<TestApp['request']>>, code: string) {
  assert.equal(response.statusCode, 404, response.body);
  assert.match(String(response.headers['content-type']), /^application\/json/);
  assert.equal(json<{ error: { code: string } }>(response).error.code, code);
}

// Serving files touches no database: SQLite is enough.
const sqlite = testDatabases()[0]!;

describe('the staff app at / (built)', () => {
  let t: TestApp;
  let dir: string;
  before(async () => {
    dir = writeBuild();
    t = await startTestApp(sqlite, { staffAppDir: dir });
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / without a key, revalidated, with the app CSP', async () => {
    const response = await t.request({ method: 'GET', url: '/', key: null, headers: HTML });
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.equal(response.body, INDEX);
    assert.equal(response.headers['cache-control'], 'no-cache');
    const csp = String(response.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /style-src 'self' 'unsafe-inline'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /script-src[^;]*unsafe-inline/);
  });

  it('answers index.html for the pages of the app (deep links)', async () => {
    for (const url of ['/stock', '/items/KET-01', '/purchasing/orders/12?tab=lines']) {
      const response = await t.request({ method: 'GET', url, key: null, headers: HTML });
      assert.equal(response.statusCode, 200, url);
      assert.equal(response.body, INDEX, url);
      assert.match(String(response.headers['content-security-policy']), /script-src 'self'/);
    }
  });

  it('caches hashed assets for good, other files not', async () => {
    const asset = await t.request({ method: 'GET', url: '/assets/index-abc123.js', key: null });
    assert.equal(asset.statusCode, 200);
    assert.equal(asset.body, SCRIPT);
    assert.match(String(asset.headers['content-type']), /javascript/);
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
    const icon = await t.request({ method: 'GET', url: '/favicon.svg', key: null });
    assert.equal(icon.statusCode, 200);
    assert.equal(icon.headers['cache-control'], 'no-cache');
  });

  it('keeps JSON 404s for the API, missing assets and requests not asking for HTML', async () => {
    for (const url of ['/v1/nope', '/v1', '/health/nope', '/docs/nope', '/metrics/x']) {
      const response = await t.request({ method: 'GET', url, key: null, headers: HTML });
      assert.equal(response.statusCode, 404, url);
      assert.match(String(response.headers['content-type']), /^application\/json/, url);
      assert.doesNotMatch(response.body, /<html/, url);
    }
    assertJson404(
      await t.request({ method: 'GET', url: '/assets/missing.js', key: null }),
      'ROUTE_NOT_FOUND',
    );
    assertJson404(await t.request({ method: 'GET', url: '/stock', key: null }), 'ROUTE_NOT_FOUND');
    assertJson404(
      await t.request({ method: 'POST', url: '/stock', key: null, headers: HTML }),
      'ROUTE_NOT_FOUND',
    );
  });

  it('refuses paths escaping the build directory', async () => {
    for (const url of ['/../package.json', '/%2e%2e/package.json', '/assets/%2e%2e/%2e%2e/x']) {
      const response = await t.request({ method: 'GET', url, key: null });
      assert.notEqual(response.statusCode, 200, url);
      assert.doesNotMatch(response.body, /"name"/, url);
    }
  });

  it('leaves the API as it was: keys still required, JSON answers', async () => {
    const unauthorised = await t.request({ method: 'GET', url: '/v1/items', key: null });
    assert.equal(unauthorised.statusCode, 401);
    const items = await t.request({ method: 'GET', url: '/v1/items' });
    assert.equal(items.statusCode, 200);
    assert.match(String(items.headers['content-security-policy']), /default-src 'none'/);
  });
});

describe('the staff app at / (not built)', () => {
  it('answers a JSON 404 saying to build it', async () => {
    const t = await startTestApp(sqlite, { staffAppDir: join(tmpdir(), 'stockroom-no-such-dir') });
    try {
      const response = await t.request({ method: 'GET', url: '/', key: null, headers: HTML });
      assertJson404(response, 'ROUTE_NOT_FOUND');
      assert.match(
        json<{ error: { message: string } }>(response).error.message,
        /staff app is not built \(run `npm run build`/,
      );
      assertJson404(
        await t.request({ method: 'GET', url: '/stock', key: null, headers: HTML }),
        'ROUTE_NOT_FOUND',
      );
    } finally {
      await t.close();
    }
  });
});
