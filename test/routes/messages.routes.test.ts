import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createCustomer } from '../../src/customers/customers.service.js';
import { enqueueMessages, type NewMessage } from '../../src/kernel/outbox/outbox.repository.js';
import type * as messages from '../../src/messaging/messages.schemas.js';
import { json, startTestApp, TEST_NOW, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertWorld } from '../helpers/factories.js';
import { drain, testDispatcher } from '../helpers/messaging.js';
import { assertError, type Page } from '../helpers/orders.js';
import type { Body } from '../helpers/responses.js';

type MessageBody = Body<typeof messages.Message>;
type Detail = Body<typeof messages.MessageDetail>;

const LATER = '2026-11-26T10:05:00.000Z';

for (const target of testDatabases()) {
  describe(`messages routes (${target.kind})`, () => {
    let t: TestApp;
    /** The outbox rows the tests read, by name. */
    let ids: Record<'backorder' | 'delay' | 'alert' | 'hook' | 'notify', number>;
    let ann: number;
    let bob: number;
    let orderId: number;

    beforeEach(async () => {
      t = await startTestApp(target);
      await insertWorld(t.ctx);
      ann = (
        await createCustomer(t.ctx, {
          name: 'Ann',
          email: 'ann@example.com',
          phone: '+447700900001',
          preferredChannel: 'email',
        })
      ).id;
      bob = (
        await createCustomer(t.ctx, {
          name: 'Bob',
          email: 'bob@example.com',
          preferredChannel: 'email',
        })
      ).id;
      const channel = await t.ctx.db
        .selectFrom('channels')
        .select('id')
        .where('code', '=', 'web')
        .executeTakeFirstOrThrow();
      orderId = Number(
        (
          await t.ctx.db
            .insertInto('orders')
            .values({
              channel_id: channel.id,
              customer_id: ann,
              reference: 'WEB-1',
              created_by: 'test',
              created_at: TEST_NOW,
              updated_at: TEST_NOW,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id,
      );
      const order = { customerName: 'Ann', orderId, reference: 'WEB-1', channel: 'web' };
      const messages: NewMessage[] = [
        {
          dedupeKey: 'order:1:backorder_confirmed:email',
          audience: 'customer',
          transport: 'email',
          template: 'backorder_confirmed',
          recipient: 'ann@example.com',
          customerId: ann,
          orderId,
          data: { ...order, lines: [] },
        },
        {
          dedupeKey: 'promise_change:1:sms',
          audience: 'customer',
          transport: 'sms',
          template: 'delay',
          recipient: '+447700900001',
          customerId: ann,
          orderId,
          data: { ...order, sku: 'KET-01', oldDate: '2026-12-01', newDate: '2026-12-06' },
        },
        {
          dedupeKey: 'alert:1:ops@example.com',
          audience: 'staff',
          transport: 'email',
          template: 'alert_low_stock',
          recipient: 'ops@example.com',
          alertId: 1,
          data: { alertId: 1, kind: 'low_stock', message: 'KET-01 is low' },
        },
        {
          dedupeKey: 'webhook:1:event:1',
          audience: 'integrator',
          transport: 'webhook',
          template: 'order.placed',
          recipient: 'https://hooks.example/a',
          webhookId: 1,
          data: { id: 1, type: 'order.placed' },
        },
        {
          dedupeKey: 'subscription:9:back_in_stock',
          audience: 'customer',
          transport: 'email',
          template: 'back_in_stock',
          recipient: 'bob@example.com',
          customerId: bob,
          subscriptionId: 9,
          data: { customerName: 'Bob', sku: 'KET-01', channel: 'web', token: 'tok' },
        },
      ];
      assert.equal(await enqueueMessages(t.ctx.db, messages, TEST_NOW), 5);
      const rows = await t.ctx.db
        .selectFrom('outbox_messages')
        .select(['id', 'dedupe_key'])
        .orderBy('id')
        .execute();
      const [backorder, delay, alert, hook, notify] = rows.map((r) => Number(r.id));
      ids = { backorder: backorder!, delay: delay!, alert: alert!, hook: hook!, notify: notify! };

      // What a dispatcher would have left: one sent, one dead after three failures, one
      // pending a retry.
      await t.ctx.db
        .updateTable('outbox_messages')
        .set({
          state: 'sent',
          attempts: 1,
          subject: 'Your order WEB-1',
          body_text: 'Hello Ann',
          body_html: '<p>Hello Ann</p>',
          delivered_via: 'log',
          sent_at: LATER,
          updated_at: LATER,
        })
        .where('id', '=', ids.backorder)
        .execute();
      await t.ctx.db
        .updateTable('outbox_messages')
        .set({
          state: 'dead',
          attempts: 3,
          last_error: '550 mailbox unavailable',
          locked_until: LATER,
          locked_by: 'worker-a',
          subject: '[shop] Low stock',
          body_text: 'KET-01 is low',
        })
        .where('id', '=', ids.alert)
        .execute();
      await t.ctx.db
        .updateTable('outbox_messages')
        .set({ attempts: 2, next_attempt_at: LATER, last_error: 'HTTP 500' })
        .where('id', '=', ids.hook)
        .execute();
      for (const attempt of [1, 2, 3]) {
        await t.ctx.db
          .insertInto('message_attempts')
          .values({
            message_id: ids.alert,
            attempt,
            via: 'smtp',
            outcome: 'failed',
            detail: `550 mailbox unavailable (${attempt})`,
            started_at: `2026-11-26T10:0${attempt}:00.000Z`,
            duration_ms: 10 * attempt,
            worker: 'worker-a',
          })
          .execute();
      }
      await t.ctx.db
        .insertInto('message_attempts')
        .values({
          message_id: ids.backorder,
          attempt: 1,
          via: 'log',
          outcome: 'delivered',
          detail: 'logged',
          started_at: LATER,
          duration_ms: 1,
          worker: 'worker-a',
        })
        .execute();
    });
    afterEach(async () => {
      await t.close();
    });

    const get = (url: string, key?: string) =>
      t.request({ method: 'GET', url, ...(key !== undefined && { key }) });
    const list = async (query = '', key?: string) => {
      const response = await get(`/v1/messages${query ? `?${query}` : ''}`, key);
      assert.equal(response.statusCode, 200, response.body);
      return json<Page<MessageBody>>(response);
    };
    const idsOf = (page: Page<MessageBody>) => page.items.map((m) => m.id);
    const retry = (id: number | string, key?: string) =>
      t.request({
        method: 'POST',
        url: `/v1/messages/${id}/retry`,
        ...(key !== undefined && { key }),
      });
    const rowOf = (id: number) =>
      t.ctx.db
        .selectFrom('outbox_messages')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();

    it('lists every message newest first, with its words, state and parsed data', async () => {
      const page = await list();
      assert.deepEqual(idsOf(page), [ids.notify, ids.hook, ids.alert, ids.delay, ids.backorder]);
      assert.equal(page.nextCursor, null);
      const sent = page.items.find((m) => m.id === ids.backorder)!;
      assert.deepEqual(sent, {
        id: ids.backorder,
        dedupeKey: 'order:1:backorder_confirmed:email',
        audience: 'customer',
        transport: 'email',
        template: 'backorder_confirmed',
        recipient: 'ann@example.com',
        customerId: ann,
        orderId,
        subscriptionId: null,
        webhookId: null,
        alertId: null,
        state: 'sent',
        attempts: 1,
        nextAttemptAt: null,
        lastError: null,
        deliveredVia: 'log',
        subject: 'Your order WEB-1',
        text: 'Hello Ann',
        html: '<p>Hello Ann</p>',
        data: { customerName: 'Ann', orderId, reference: 'WEB-1', channel: 'web', lines: [] },
        createdAt: TEST_NOW,
        updatedAt: LATER,
        sentAt: LATER,
      });
      const pending = page.items.find((m) => m.id === ids.hook)!;
      assert.equal(pending.state, 'pending');
      assert.equal(pending.nextAttemptAt, LATER);
      assert.equal(pending.subject, null, 'not rendered before its first attempt');
      assert.deepEqual(pending.data, { id: 1, type: 'order.placed' });
      assert.equal(page.items.find((m) => m.id === ids.alert)!.nextAttemptAt, null);
    });

    it('filters by state, audience, transport, template, customer, order, subscription, alert and recipient', async () => {
      const cases: [string, number[]][] = [
        ['state=pending', [ids.notify, ids.hook, ids.delay]],
        ['state=sent', [ids.backorder]],
        ['state=dead', [ids.alert]],
        ['audience=staff', [ids.alert]],
        ['audience=integrator', [ids.hook]],
        ['transport=sms', [ids.delay]],
        ['transport=webhook', [ids.hook]],
        ['template=delay', [ids.delay]],
        ['template=order.placed', [ids.hook]],
        [`customer=${ann}`, [ids.delay, ids.backorder]],
        [`customer=${bob}`, [ids.notify]],
        [`order=${orderId}`, [ids.delay, ids.backorder]],
        ['subscription=9', [ids.notify]],
        ['alert=1', [ids.alert]],
        ['alert=2', []],
        ['alert=1&state=pending', []],
        ['recipient=%2B447700900001', [ids.delay]],
        ['recipient=ops%40example.com', [ids.alert]],
        [`customer=${ann}&state=pending`, [ids.delay]],
        [`customer=${ann}&transport=webhook`, []],
        ['customer=999999', []],
        ['template=nothing_like_it', []],
      ];
      for (const [query, expected] of cases) {
        assert.deepEqual(idsOf(await list(query)), expected, query);
      }
    });

    it('pages newest first with an opaque cursor, filters kept across pages', async () => {
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: Page<MessageBody> = await list(
          `limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        assert.ok(page.items.length <= 2);
        seen.push(...idsOf(page));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor);
      assert.equal(pages, 3);
      assert.deepEqual(seen, [ids.notify, ids.hook, ids.alert, ids.delay, ids.backorder]);

      const first = await list('state=pending&limit=2');
      assert.deepEqual(idsOf(first), [ids.notify, ids.hook]);
      assert.ok(first.nextCursor);
      const second = await list(
        `state=pending&limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`,
      );
      assert.deepEqual(idsOf(second), [ids.delay]);
      assert.equal(second.nextCursor, null);
    });

    it('refuses bad filters precisely', async () => {
      const cases: [string, string, string][] = [
        ['state=lost', 'VALIDATION_FAILED', '/state'],
        ['audience=everyone', 'VALIDATION_FAILED', '/audience'],
        ['transport=pigeon', 'VALIDATION_FAILED', '/transport'],
        ['customer=0', 'VALIDATION_FAILED', '/customer'],
        ['order=abc', 'VALIDATION_FAILED', '/order'],
        ['subscription=-1', 'VALIDATION_FAILED', '/subscription'],
        ['alert=0', 'VALIDATION_FAILED', '/alert'],
        ['limit=0', 'VALIDATION_FAILED', '/limit'],
        ['limit=1001', 'VALIDATION_FAILED', '/limit'],
        ['template=', 'VALIDATION_FAILED', '/template'],
        ['colour=red', 'VALIDATION_FAILED', '/'],
        ['cursor=not-a-cursor', 'INVALID_CURSOR', ''],
      ];
      for (const [query, code, path] of cases) {
        const error = assertError(await get(`/v1/messages?${query}`), 400, code);
        if (code === 'VALIDATION_FAILED') {
          const issues = error.details.issues as { in: string; path: string }[];
          assert.ok(
            issues.some((i) => i.in === 'querystring' && i.path === path),
            `${query}: ${JSON.stringify(issues)}`,
          );
        }
      }
    });

    it('reads one message with its attempt log, oldest attempt first', async () => {
      const response = await get(`/v1/messages/${ids.alert}`);
      assert.equal(response.statusCode, 200, response.body);
      const detail = json<Detail>(response);
      assert.equal(detail.state, 'dead');
      assert.equal(detail.lastError, '550 mailbox unavailable');
      assert.deepEqual(detail.data, { alertId: 1, kind: 'low_stock', message: 'KET-01 is low' });
      assert.deepEqual(
        detail.attemptLog,
        [1, 2, 3].map((attempt) => ({
          attempt,
          via: 'smtp',
          outcome: 'failed',
          detail: `550 mailbox unavailable (${attempt})`,
          startedAt: `2026-11-26T10:0${attempt}:00.000Z`,
          durationMs: 10 * attempt,
          worker: 'worker-a',
        })),
      );
      const fresh = json<Detail>(await get(`/v1/messages/${ids.delay}`));
      assert.deepEqual(fresh.attemptLog, []);
    });

    it('answers 404 for a message that does not exist and 400 for an id that cannot be one', async () => {
      const error = assertError(await get('/v1/messages/999999'), 404, 'MESSAGE_NOT_FOUND');
      assert.deepEqual(error.details, { id: 999999 });
      assertError(await get('/v1/messages/abc'), 400, 'VALIDATION_FAILED');
      assertError(await get('/v1/messages/0'), 400, 'VALIDATION_FAILED');
    });

    it('retries a dead letter: pending, due now, unlocked, its attempts and log kept', async () => {
      const response = await t.request({
        method: 'POST',
        url: `/v1/messages/${ids.alert}/retry`,
        body: {},
        key: t.staffKey,
      });
      assert.equal(response.statusCode, 200, response.body);
      const detail = json<Detail>(response);
      assert.equal(detail.id, ids.alert);
      assert.equal(detail.state, 'pending');
      assert.equal(detail.nextAttemptAt, TEST_NOW);
      assert.equal(detail.attempts, 3);
      assert.equal(detail.attemptLog.length, 3);
      assert.equal(detail.subject, '[shop] Low stock', 'the words already rendered are kept');
      const row = await rowOf(ids.alert);
      assert.equal(row.state, 'pending');
      assert.equal(row.next_attempt_at, TEST_NOW);
      assert.equal(row.locked_until, null);
      assert.equal(row.locked_by, null);
      assert.equal(row.updated_at, TEST_NOW);

      // Twice is a conflict, not a second queueing.
      const again = assertError(await retry(ids.alert), 409, 'NOT_DEAD');
      assert.deepEqual(again.details, { id: ids.alert, state: 'pending' });
    });

    it('refuses to retry a message that is not dead, and changes nothing', async () => {
      for (const [id, state] of [
        [ids.backorder, 'sent'],
        [ids.hook, 'pending'],
      ] as const) {
        const before = await rowOf(id);
        const error = assertError(await retry(id), 409, 'NOT_DEAD');
        assert.deepEqual(error.details, { id, state });
        assert.match(error.message, new RegExp(`is ${state}`));
        assert.deepEqual(await rowOf(id), before);
      }
      const dead = await rowOf(ids.alert);
      assertError(
        await t.request({
          method: 'POST',
          url: `/v1/messages/${ids.alert}/retry`,
          body: { force: true },
        }),
        400,
        'VALIDATION_FAILED',
      );
      assert.deepEqual(await rowOf(ids.alert), dead);
      assertError(await retry(999999), 404, 'MESSAGE_NOT_FOUND');
      assertError(await retry('x'), 400, 'VALIDATION_FAILED');
    });

    it('a retried message goes through the dispatcher again and its log continues', async () => {
      // A kind with no template fails at rendering, permanently: straight to the dead letters.
      await enqueueMessages(
        t.ctx.db,
        [
          {
            dedupeKey: 'broken:1',
            audience: 'customer',
            transport: 'email',
            template: 'no_such_kind',
            recipient: 'ann@example.com',
            customerId: ann,
            data: {},
          },
        ],
        TEST_NOW,
      );
      const [broken] = idsOf(await list('template=no_such_kind'));
      // Only this message is due: the others were sent, dead or wait for later.
      await t.ctx.db
        .updateTable('outbox_messages')
        .set({ next_attempt_at: '2026-12-31T00:00:00.000Z' })
        .where('id', '<>', broken!)
        .where('state', '=', 'pending')
        .execute();
      const dispatcher = testDispatcher({});
      try {
        await drain(t.ctx, dispatcher);
        assert.equal((await rowOf(broken!)).state, 'dead');
        assert.equal(json<Detail>(await retry(broken!)).state, 'pending');
        await drain(t.ctx, dispatcher);
        const detail = json<Detail>(await get(`/v1/messages/${broken}`));
        assert.equal(detail.state, 'dead');
        assert.equal(detail.attempts, 2);
        assert.deepEqual(
          detail.attemptLog.map((a) => [a.attempt, a.outcome]),
          [
            [1, 'failed'],
            [2, 'failed'],
          ],
        );
        assert.match(detail.lastError ?? '', /no_such_kind/);
      } finally {
        dispatcher.close();
      }
    });

    it('is for staff and admins only', async () => {
      const channelKey = await t.channelKey('web');
      assertError(await get('/v1/messages', channelKey), 403, 'FORBIDDEN');
      assertError(await get(`/v1/messages/${ids.alert}`, channelKey), 403, 'FORBIDDEN');
      assertError(await retry(ids.alert, channelKey), 403, 'FORBIDDEN');
      assertError(
        await t.request({ method: 'GET', url: '/v1/messages', key: null }),
        401,
        'UNAUTHORIZED',
      );
      assert.equal((await rowOf(ids.alert)).state, 'dead', 'a refused retry changes nothing');
      assert.equal((await list('', t.staffKey)).items.length, 5);
    });
  });
}
