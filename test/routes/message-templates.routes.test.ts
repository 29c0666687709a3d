import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { MESSAGE_KINDS } from '../../src/domain/customer-messages.js';
import { DEFAULT_TEMPLATES } from '../../src/messaging/default-templates.js';
import type * as templates from '../../src/messaging/templates.schemas.js';
import { json, startTestApp, TEST_NOW, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld } from '../helpers/factories.js';
import { assertError } from '../helpers/orders.js';
import type { Body, WithOpen } from '../helpers/responses.js';

type TemplateBody = Body<typeof templates.MessageTemplateDocument>;
type Rendered = WithOpen<Body<typeof templates.RenderedPreview>, 'data'>;
interface Issue {
  in: string;
  path: string;
  message: string;
}

const custom = {
  subject: 'Late: {{name}}',
  text: 'Sorry {{customerName}}, {{name}} now comes {{newDate}} (was {{oldDate}}).',
  html: '<p>Sorry {{customerName}}, {{name}} now comes {{newDate}}.</p>',
  sms: 'Late: {{name}} {{newDateShort}}',
};

for (const target of testDatabases()) {
  describe(`message templates routes (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
    });
    afterEach(async () => {
      await t.close();
    });

    const get = (url: string, key?: string) =>
      t.request({ method: 'GET', url, ...(key !== undefined && { key }) });
    const put = (kind: string, body: unknown, key?: string) =>
      t.request({
        method: 'PUT',
        url: `/v1/message-templates/${kind}`,
        body,
        ...(key !== undefined && { key }),
      });
    const remove = (kind: string, key?: string) =>
      t.request({
        method: 'DELETE',
        url: `/v1/message-templates/${kind}`,
        ...(key !== undefined && { key }),
      });
    const preview = (kind: string, body: unknown, key?: string) =>
      t.request({
        method: 'POST',
        url: `/v1/message-templates/${kind}/preview`,
        body,
        ...(key !== undefined && { key }),
      });
    const ok = <T>(response: LightMyRequestResponse, status = 200) => {
      assert.equal(response.statusCode, status, response.body);
      return json<T>(response);
    };
    const rows = () =>
      t.ctx.db.selectFrom('message_templates').selectAll().orderBy('kind').execute();

    it('lists every kind with its default, for staff too', async () => {
      const { items } = ok<{ items: TemplateBody[] }>(
        await get('/v1/message-templates', t.staffKey),
      );
      assert.deepEqual(
        items.map((i) => i.kind),
        [...MESSAGE_KINDS],
      );
      for (const item of items) {
        assert.equal(item.customised, false, item.kind);
        assert.equal(item.updatedAt, null);
        assert.equal(item.updatedBy, null);
        assert.equal(item.audience, item.kind.startsWith('alert_') ? 'staff' : 'customer');
        const fallback = DEFAULT_TEMPLATES[item.kind as keyof typeof DEFAULT_TEMPLATES];
        assert.deepEqual(
          { subject: item.subject, text: item.text, html: item.html, sms: item.sms },
          fallback,
        );
      }
      const one = ok<TemplateBody>(await get('/v1/message-templates/delay', t.staffKey));
      assert.equal(one.kind, 'delay');
      assert.equal(one.subject, DEFAULT_TEMPLATES.delay.subject);
    });

    it('replaces a template (admin), shows it customised, and goes back to the default', async () => {
      const saved = ok<TemplateBody>(await put('delay', custom));
      assert.deepEqual(saved, {
        kind: 'delay',
        audience: 'customer',
        language: 'en',
        ...custom,
        customised: true,
        updatedAt: TEST_NOW,
        updatedBy: saved.updatedBy,
      });
      assert.match(saved.updatedBy ?? '', /^key:\d+/);
      assert.deepEqual(ok(await get('/v1/message-templates/delay')), saved);
      const { items } = ok<{ items: TemplateBody[] }>(await get('/v1/message-templates'));
      assert.deepEqual(
        items.filter((i) => i.customised).map((i) => i.kind),
        ['delay'],
      );

      // Saving again replaces, it does not add.
      t.clock.set('2026-11-27T08:00:00.000Z');
      const again = ok<TemplateBody>(await put('delay', { ...custom, sms: 'Late' }));
      assert.equal(again.sms, 'Late');
      assert.equal(again.updatedAt, '2026-11-27T08:00:00.000Z');
      assert.equal((await rows()).length, 1);

      const reset = await remove('delay');
      assert.equal(reset.statusCode, 204, reset.body);
      assert.equal(reset.body, '');
      const back = ok<TemplateBody>(await get('/v1/message-templates/delay'));
      assert.equal(back.customised, false);
      assert.equal(back.subject, DEFAULT_TEMPLATES.delay.subject);
      // Resetting a default is not an error.
      assert.equal((await remove('delay')).statusCode, 204);
      assert.equal((await rows()).length, 0);
    });

    it('refuses a template that does not parse, naming each part, and keeps the old one', async () => {
      ok(await put('delay', custom));
      const before = await rows();
      const response = await put('delay', {
        ...custom,
        text: 'Sorry {{#lines}}never closed',
        sms: 'Late {{name',
      });
      const error = assertError(response, 400, 'VALIDATION_FAILED');
      const issues = error.details.issues as Issue[];
      assert.deepEqual(
        issues.map((i) => [i.in, i.path]),
        [
          ['body', '/text'],
          ['body', '/sms'],
        ],
      );
      assert.match(issues[0]!.message, /Unclosed section "lines"/);
      assert.match(issues[1]!.message, /Unclosed tag/);
      assert.match(error.message, /\/text .*\/sms /);
      assert.deepEqual(await rows(), before);
    });

    it('refuses incomplete or malformed bodies and unknown kinds, changing nothing', async () => {
      const cases: [string, unknown, number, string, string?][] = [
        ['delay', { subject: 'x', text: 'x', html: 'x' }, 400, 'VALIDATION_FAILED', '/'],
        ['delay', { ...custom, subject: '' }, 400, 'VALIDATION_FAILED', '/subject'],
        ['delay', { ...custom, html: 42 }, 400, 'VALIDATION_FAILED', '/html'],
        ['delay', { ...custom, sms: 'x'.repeat(1001) }, 400, 'VALIDATION_FAILED', '/sms'],
        ['delay', { ...custom, footer: 'x' }, 400, 'VALIDATION_FAILED', '/'],
        ['no_such_kind', custom, 404, 'TEMPLATE_NOT_FOUND'],
        ['Bad-Kind', custom, 400, 'VALIDATION_FAILED', '/kind'],
      ];
      for (const [kind, body, status, code, path] of cases) {
        const error = assertError(await put(kind, body), status, code);
        if (path) {
          const issues = error.details.issues as Issue[];
          assert.ok(
            issues.some((i) => i.path === path),
            `${kind}: ${JSON.stringify(issues)}`,
          );
        }
      }
      const notFound = assertError(
        await get('/v1/message-templates/no_such_kind'),
        404,
        'TEMPLATE_NOT_FOUND',
      );
      assert.equal(notFound.details.kind, 'no_such_kind');
      assert.deepEqual(notFound.details.kinds, [...MESSAGE_KINDS]);
      assertError(await remove('no_such_kind'), 404, 'TEMPLATE_NOT_FOUND');
      assertError(await preview('no_such_kind', {}), 404, 'TEMPLATE_NOT_FOUND');
      assertError(await preview('delay', { data: 'text' }), 400, 'VALIDATION_FAILED');
      assertError(await preview('delay', { data: {}, extra: 1 }), 400, 'VALIDATION_FAILED');
      assert.deepEqual(await rows(), []);
    });

    it('lets only admins change templates; staff read and preview', async () => {
      await insertWorld(t.ctx);
      const channelKey = await t.channelKey('web');
      assertError(await put('delay', custom, t.staffKey), 403, 'FORBIDDEN');
      assertError(await remove('delay', t.staffKey), 403, 'FORBIDDEN');
      assertError(await get('/v1/message-templates', channelKey), 403, 'FORBIDDEN');
      assertError(await get('/v1/message-templates/delay', channelKey), 403, 'FORBIDDEN');
      assertError(await preview('delay', {}, channelKey), 403, 'FORBIDDEN');
      assertError(
        await t.request({ method: 'GET', url: '/v1/message-templates', key: null }),
        401,
        'UNAUTHORIZED',
      );
      assert.deepEqual(await rows(), []);
      ok(await preview('delay', {}, t.staffKey));
    });

    it('previews every kind with its sample data', async () => {
      for (const kind of MESSAGE_KINDS) {
        const out = ok<Rendered>(await preview(kind, {}));
        for (const part of ['subject', 'text', 'html', 'sms'] as const) {
          assert.ok(out[part].length > 0, `${kind} ${part}`);
          assert.doesNotMatch(out[part], /{{|}}/, `${kind} ${part}`);
        }
        assert.ok(Object.keys(out.data).length > 0, kind);
      }
      const delay = ok<Rendered>(await preview('delay', {}));
      const bodiless = await t.request({
        method: 'POST',
        url: '/v1/message-templates/delay/preview',
      });
      assert.deepEqual(ok(bodiless), delay);
      assert.ok(delay.text.includes('Friday 11 December 2026'), delay.text);
      assert.ok(delay.text.includes('Wednesday 16 December 2026'), delay.text);
    });

    it('previews with the data given, the saved template and names from the catalogue', async () => {
      await insertItem(t.ctx, { sku: 'KET-09', name: 'Copper kettle' });
      ok(await put('delay', custom));
      const out = ok<Rendered>(
        await preview('delay', {
          data: {
            customerName: 'Zoë <Z>',
            orderId: 5,
            sku: 'KET-09',
            oldDate: '2027-01-04',
            newDate: '2027-02-01',
          },
        }),
      );
      assert.equal(out.subject, 'Late: Copper kettle');
      assert.equal(
        out.text,
        'Sorry Zoë <Z>, Copper kettle now comes Monday 1 February 2027 (was Monday 4 January 2027).',
      );
      assert.equal(
        out.html,
        '<p>Sorry Zoë &lt;Z&gt;, Copper kettle now comes Monday 1 February 2027.</p>',
      );
      assert.equal(out.sms, 'Late: Copper kettle 1 Feb 2027');
      assert.equal(out.data.sku, 'KET-09');
    });

    it('previews a draft without saving it, and names a draft part that does not parse', async () => {
      await insertItem(t.ctx, { sku: 'KET-09', name: 'Copper kettle' });
      const data = {
        customerName: 'Zoë',
        orderId: 5,
        sku: 'KET-09',
        oldDate: '2027-01-04',
        newDate: '2027-02-01',
      };
      const out = ok<Rendered>(await preview('delay', { template: custom, data }, t.staffKey));
      assert.equal(out.subject, 'Late: Copper kettle');
      assert.equal(out.sms, 'Late: Copper kettle 1 Feb 2027');
      const sample = ok<Rendered>(await preview('delay', { template: custom }));
      assert.match(sample.text, /^Sorry /);
      assert.deepEqual(await rows(), []);
      const inForce = ok<Rendered>(await preview('delay', { data }));
      assert.doesNotMatch(inForce.subject, /^Late:/);

      const error = assertError(
        await preview('delay', { template: { ...custom, html: '<p>{{#lines}}</p>' }, data }),
        400,
        'VALIDATION_FAILED',
      );
      const issues = error.details.issues as Issue[];
      assert.deepEqual(
        issues.map((i) => i.path),
        ['/template/html'],
      );
      assert.match(issues[0]!.message, /Unclosed section "lines"/);
      assertError(
        await preview('delay', { template: { subject: 'x', text: 'x' } }),
        400,
        'VALIDATION_FAILED',
      );
      assert.deepEqual(await rows(), []);
    });

    it('translates a template per language: German built in, a staff translation over it, reset', async () => {
      const german = ok<TemplateBody>(await get('/v1/message-templates/delay?language=de'));
      assert.equal(german.language, 'de');
      assert.equal(german.customised, false);
      assert.match(german.subject, /verspätet sich/);
      // No templates in Italian: what an Italian customer gets is the shop's language.
      const italian = ok<TemplateBody>(await get('/v1/message-templates/delay?language=it'));
      assert.equal(italian.language, 'en');
      assert.equal(italian.subject, DEFAULT_TEMPLATES.delay.subject);

      const saved = ok<TemplateBody>(
        await t.request({
          method: 'PUT',
          url: '/v1/message-templates/delay?language=de',
          body: custom,
        }),
      );
      assert.equal(saved.language, 'de');
      assert.equal(saved.customised, true);
      assert.deepEqual(await rows(), [], 'the shop language template is untouched');
      const english = ok<TemplateBody>(await get('/v1/message-templates/delay'));
      assert.equal(english.customised, false);

      const shown = ok<Rendered>(
        await t.request({
          method: 'POST',
          url: '/v1/message-templates/delay/preview?language=de',
          body: {},
        }),
      );
      assert.equal(shown.subject, 'Late: Kettle');
      assert.match(shown.text, /now comes Mittwoch, 16\. Dezember 2026/);

      const reset = await t.request({
        method: 'DELETE',
        url: '/v1/message-templates/delay?language=de',
      });
      assert.equal(reset.statusCode, 204, reset.body);
      const back = ok<TemplateBody>(await get('/v1/message-templates/delay?language=de'));
      assert.equal(back.customised, false);
      assert.match(back.subject, /verspätet sich/);
    });

    it('refuses a language that is not a language code, changing nothing', async () => {
      for (const language of ['EN', 'english', 'd', 'de_DE', '']) {
        const response = await t.request({
          method: 'PUT',
          url: `/v1/message-templates/delay?language=${encodeURIComponent(language)}`,
          body: custom,
        });
        assertError(response, 400, 'VALIDATION_FAILED');
      }
      const count = await t.ctx.db
        .selectFrom('message_template_translations')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 0);
      assert.deepEqual(await rows(), []);
    });
  });
}
