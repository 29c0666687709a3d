import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { bootstrapAdminUser } from '../../src/access/users.service.js';
import { json, startTestApp, TEST_NOW, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { databaseFingerprint } from '../helpers/db-fingerprint.js';
import { plainJsonValue } from '../helpers/json-values.js';
import type { ErrorBody } from '../helpers/responses.js';

interface SessionBody {
  user: { id: number; email: string; name: string; role: string; lastSignInAt: string | null };
  csrfToken: string;
  expiresAt: string;
}

const PASSWORD = 'correct horse battery';

for (const target of testDatabases()) {
  describe(`staff sign-in and users (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
    });
    afterEach(async () => {
      await t.close();
    });

    const expectError = (response: LightMyRequestResponse, status: number, code: string) => {
      assert.equal(response.statusCode, status, response.body);
      assert.equal(json<ErrorBody>(response).error.code, code, response.body);
    };
    const createUser = async (body: Record<string, unknown>) => {
      const response = await t.request({ method: 'POST', url: '/v1/users', body });
      assert.equal(response.statusCode, 201, response.body);
      return json<{ user: { id: number; email: string }; password?: string }>(response);
    };
    const signIn = (email: string, password: string, ip = '10.0.0.1') =>
      t.app.inject({
        method: 'POST',
        url: '/v1/session',
        remoteAddress: ip,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ email, password }),
      });
    /** Signs in and returns the cookie header to send and the CSRF token. */
    const session = async (email: string, password = PASSWORD) => {
      const response = await signIn(email, password);
      assert.equal(response.statusCode, 200, response.body);
      const cookie = response.cookies.find((c) => c.name === 'stockroom_session');
      assert.ok(cookie, response.headers['set-cookie'] as string);
      return {
        body: json<SessionBody>(response),
        cookie: `stockroom_session=${cookie.value}`,
        raw: cookie,
      };
    };
    const withCookie = (
      cookie: string,
      method: 'GET' | 'POST' | 'DELETE' | 'PATCH',
      url: string,
      options: { body?: unknown; csrf?: string } = {},
    ) =>
      t.app.inject({
        method,
        url,
        headers: {
          cookie,
          ...(options.csrf !== undefined && { 'x-csrf-token': options.csrf }),
          ...(options.body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(options.body !== undefined && { payload: JSON.stringify(options.body) }),
      });

    it('signs a staff user in with an httpOnly SameSite cookie that works like a staff key', async () => {
      await createUser({
        email: 'Clerk@Shop.test',
        name: 'Clerk',
        role: 'staff',
        password: PASSWORD,
      });
      const { body, cookie, raw } = await session('clerk@shop.TEST');
      assert.equal(body.user.email, 'clerk@shop.test');
      assert.equal(body.user.role, 'staff');
      assert.equal(body.user.lastSignInAt, TEST_NOW);
      assert.equal(body.expiresAt, '2026-11-26T22:00:00.000Z');
      assert.equal(raw.httpOnly, true);
      assert.equal(raw.sameSite, 'Strict');
      assert.equal(raw.path, '/');

      const again = await withCookie(cookie, 'GET', '/v1/session');
      assert.equal(again.statusCode, 200, again.body);
      assert.deepEqual(json<SessionBody>(again), body);
      assert.equal((await withCookie(cookie, 'GET', '/v1/items')).statusCode, 200);
      expectError(await withCookie(cookie, 'GET', '/v1/keys'), 403, 'FORBIDDEN');
      expectError(await withCookie(cookie, 'GET', '/v1/users'), 403, 'FORBIDDEN');
    });

    it('refuses a change sent with the cookie but without the CSRF token, and changes nothing', async () => {
      await createUser({ email: 'a@shop.test', name: 'A', role: 'admin', password: PASSWORD });
      const { body, cookie } = await session('a@shop.test');
      const item = { sku: 'KET-01', name: 'Kettle', category: 'kitchen', price: 40 };
      const before = await databaseFingerprint(t.ctx);
      expectError(
        await withCookie(cookie, 'POST', '/v1/items', { body: item }),
        403,
        'CSRF_TOKEN_INVALID',
      );
      expectError(
        await withCookie(cookie, 'POST', '/v1/items', { body: item, csrf: `${body.csrfToken}x` }),
        403,
        'CSRF_TOKEN_INVALID',
      );
      expectError(await withCookie(cookie, 'DELETE', '/v1/session'), 403, 'CSRF_TOKEN_INVALID');
      assert.equal(await databaseFingerprint(t.ctx), before);
      const made = await withCookie(cookie, 'POST', '/v1/items', {
        body: item,
        csrf: body.csrfToken,
      });
      assert.equal(made.statusCode, 201, made.body);
    });

    it('signs out: the cookie is cleared and the session no longer works', async () => {
      await createUser({ email: 'a@shop.test', name: 'A', role: 'admin', password: PASSWORD });
      const { body, cookie } = await session('a@shop.test');
      const out = await withCookie(cookie, 'DELETE', '/v1/session', { csrf: body.csrfToken });
      assert.equal(out.statusCode, 204, out.body);
      assert.match(
        String(out.headers['set-cookie']),
        /stockroom_session=;.*Expires=Thu, 01 Jan 1970/,
      );
      expectError(await withCookie(cookie, 'GET', '/v1/session'), 401, 'UNAUTHORIZED');
      // An API key has no session to show or end.
      expectError(await t.request({ method: 'GET', url: '/v1/session' }), 404, 'SESSION_NOT_FOUND');
    });

    it('ends sessions after 12 hours', async () => {
      await createUser({ email: 'a@shop.test', name: 'A', role: 'staff', password: PASSWORD });
      const { cookie } = await session('a@shop.test');
      t.clock.set('2026-11-26T21:59:59.000Z');
      assert.equal((await withCookie(cookie, 'GET', '/v1/session')).statusCode, 200);
      t.clock.set('2026-11-26T22:00:00.000Z');
      expectError(await withCookie(cookie, 'GET', '/v1/session'), 401, 'UNAUTHORIZED');
    });

    it('answers a wrong password and an unknown email alike, and rate-limits by email', async () => {
      await createUser({ email: 'a@shop.test', name: 'A', role: 'staff', password: PASSWORD });
      expectError(await signIn('a@shop.test', 'wrong password'), 401, 'INVALID_CREDENTIALS');
      expectError(await signIn('nobody@shop.test', PASSWORD), 401, 'INVALID_CREDENTIALS');
      for (let i = 0; i < 4; i++) {
        expectError(
          await signIn('a@shop.test', `wrong ${i}`, `10.0.1.${i}`),
          401,
          'INVALID_CREDENTIALS',
        );
      }
      // Five failures for this email in 15 minutes: even the right password waits.
      const limited = await signIn('A@shop.test', PASSWORD, '10.0.2.1');
      expectError(limited, 429, 'SIGN_IN_RATE_LIMITED');
      assert.equal(limited.headers['retry-after'], '900');
      assert.equal(limited.cookies.length, 0);
      t.clock.set('2026-11-26T10:15:00.001Z');
      await session('a@shop.test');
    });

    it('rate-limits one address trying many emails', async () => {
      for (let i = 0; i < 20; i++) {
        expectError(await signIn(`user${i}@shop.test`, 'guess guess'), 401, 'INVALID_CREDENTIALS');
      }
      expectError(await signIn('user99@shop.test', 'guess guess'), 429, 'SIGN_IN_RATE_LIMITED');
      expectError(
        await signIn('user99@shop.test', 'guess guess', '10.9.9.9'),
        401,
        'INVALID_CREDENTIALS',
      );
    });

    it('creates users with a generated password shown once, stored only as a scrypt hash', async () => {
      const created = await createUser({ email: 'b@shop.test', name: 'B', role: 'staff' });
      assert.match(created.password ?? '', /^[\w-]{16}$/);
      const rows = await t.ctx.db.selectFrom('staff_users').select('password_hash').execute();
      assert.match(rows[0]!.password_hash, /^scrypt\$32768\$8\$1\$/);
      assert.ok(!rows[0]!.password_hash.includes(created.password!));
      await session('b@shop.test', created.password!);
      expectError(
        await t.request({
          method: 'POST',
          url: '/v1/users',
          body: { email: 'B@SHOP.test', name: 'Other', role: 'admin', password: PASSWORD },
        }),
        409,
        'USER_EXISTS',
      );
      const list = await t.request({ method: 'GET', url: '/v1/users' });
      assert.deepEqual(
        json<{ items: { email: string }[] }>(list).items.map((u) => u.email),
        ['b@shop.test'],
      );
      expectError(
        await t.request({ method: 'GET', url: '/v1/users', key: t.staffKey }),
        403,
        'FORBIDDEN',
      );
    });

    it('400s bad user bodies and sign-in bodies, changing nothing', async () => {
      const badUser = fc.oneof(
        fc.record({
          email: fc.string().filter((s) => !s.includes('@')),
          name: fc.constant('X'),
          role: fc.constant('staff'),
        }),
        fc.record({
          email: fc.constant('x@shop.test'),
          name: fc.constant(''),
          role: fc.constant('staff'),
        }),
        fc.record({
          email: fc.constant('x@shop.test'),
          name: fc.constant('X'),
          role: fc.string().filter((r) => r !== 'admin' && r !== 'staff'),
        }),
        fc.record({
          email: fc.constant('x@shop.test'),
          name: fc.constant('X'),
          role: fc.constant('staff'),
          password: fc.string({ maxLength: 9 }),
        }),
        fc.record({
          email: fc.constant('x@shop.test'),
          name: fc.constant('X'),
          role: fc.constant('staff'),
          extra: plainJsonValue,
        }),
      );
      const before = await databaseFingerprint(t.ctx);
      await fc.assert(
        fc.asyncProperty(badUser, async (body) => {
          expectError(
            await t.request({ method: 'POST', url: '/v1/users', body }),
            400,
            'VALIDATION_FAILED',
          );
        }),
        { numRuns: 40 },
      );
      for (const body of [
        {},
        { email: 'a@shop.test' },
        { email: 'a@shop.test', password: '' },
        { email: 'x'.repeat(300), password: 'p' },
      ]) {
        const response = await t.app.inject({
          method: 'POST',
          url: '/v1/session',
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify(body),
        });
        expectError(response, 400, 'VALIDATION_FAILED');
      }
      expectError(
        await t.request({ method: 'PATCH', url: '/v1/users/1', body: {} }),
        400,
        'VALIDATION_FAILED',
      );
      expectError(
        await t.request({ method: 'PATCH', url: '/v1/users/999', body: { name: 'X' } }),
        404,
        'USER_NOT_FOUND',
      );
      assert.equal(await databaseFingerprint(t.ctx), before);
    });

    it('disabling a user ends their sessions and refuses sign-in; the last admin stays', async () => {
      const admin = await createUser({
        email: 'a@shop.test',
        name: 'A',
        role: 'admin',
        password: PASSWORD,
      });
      const clerk = await createUser({
        email: 'c@shop.test',
        name: 'C',
        role: 'staff',
        password: PASSWORD,
      });
      const { cookie } = await session('c@shop.test');
      const patch = (id: number, body: unknown) =>
        t.request({ method: 'PATCH', url: `/v1/users/${id}`, body });
      const disabled = await patch(clerk.user.id, { disabled: true });
      assert.equal(disabled.statusCode, 200, disabled.body);
      assert.equal(json<{ disabledAt: string }>(disabled).disabledAt, TEST_NOW);
      expectError(await withCookie(cookie, 'GET', '/v1/items'), 401, 'UNAUTHORIZED');
      expectError(await signIn('c@shop.test', PASSWORD), 401, 'INVALID_CREDENTIALS');
      assert.equal((await patch(clerk.user.id, { disabled: false })).statusCode, 200);
      await session('c@shop.test');

      expectError(await patch(admin.user.id, { role: 'staff' }), 409, 'LAST_ADMIN');
      expectError(await patch(admin.user.id, { disabled: true }), 409, 'LAST_ADMIN');
      assert.equal((await patch(clerk.user.id, { role: 'admin' })).statusCode, 200);
      assert.equal((await patch(admin.user.id, { role: 'staff' })).statusCode, 200);
    });

    it('a new password signs the user out elsewhere but keeps the session that set it', async () => {
      const admin = await createUser({
        email: 'a@shop.test',
        name: 'A',
        role: 'admin',
        password: PASSWORD,
      });
      const here = await session('a@shop.test');
      const elsewhere = await session('a@shop.test');
      const changed = await withCookie(here.cookie, 'PATCH', `/v1/users/${admin.user.id}`, {
        body: { password: 'a new long password' },
        csrf: here.body.csrfToken,
      });
      assert.equal(changed.statusCode, 200, changed.body);
      assert.equal((await withCookie(here.cookie, 'GET', '/v1/session')).statusCode, 200);
      expectError(await withCookie(elsewhere.cookie, 'GET', '/v1/session'), 401, 'UNAUTHORIZED');
      expectError(await signIn('a@shop.test', PASSWORD), 401, 'INVALID_CREDENTIALS');
      await session('a@shop.test', 'a new long password');
    });

    it('bootstraps the first admin only on a database without users', async () => {
      await assert.rejects(
        bootstrapAdminUser(t.ctx, { password: 'short' }),
        /at least 10 characters/,
      );
      const first = await bootstrapAdminUser(t.ctx, {});
      assert.equal(first?.email, 'admin@stockroom.local');
      assert.equal(first?.preset, false);
      await session('admin@stockroom.local', first!.password);
      assert.equal(await bootstrapAdminUser(t.ctx, {}), null);
    });

    it('lets one of several processes starting at once create the first admin', async () => {
      const results = await Promise.all([1, 2, 3].map(() => bootstrapAdminUser(t.ctx, {})));
      assert.equal(results.filter((r) => r !== null).length, 1, JSON.stringify(results));
      const users = await t.ctx.db.selectFrom('staff_users').select('email').execute();
      assert.deepEqual(users, [{ email: 'admin@stockroom.local' }]);
    });
  });
}
