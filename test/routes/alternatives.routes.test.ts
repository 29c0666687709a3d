import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type * as alternatives from '../../src/availability/alternatives.schemas.js';
import { findAlternatives } from '../../src/availability/alternatives.service.js';
import type { CreateItemBody } from '../../src/catalogue/items.schemas.js';
import { json, startTestApp, TEST_NOW, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld, putStock } from '../helpers/factories.js';
import type { Body, ErrorBody } from '../helpers/responses.js';

type LinkBody = Body<typeof alternatives.ItemLink>;
type AlternativeBody = Body<typeof alternatives.Alternative>;

function assertError(response: LightMyRequestResponse, status: number, code: string) {
  assert.equal(response.statusCode, status, response.body);
  const body = json<ErrorBody>(response);
  assert.equal(body.error.code, code, response.body);
  return body.error;
}

for (const target of testDatabases()) {
  describe(`alternatives routes (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
      await insertWorld(t.ctx);
    });
    afterEach(async () => {
      await t.close();
    });

    /** The item asked about: a kettle, out of stock everywhere. */
    const kettle = () =>
      insertItem(t.ctx, {
        sku: 'KET-01',
        name: 'Kettle',
        category: 'kitchen',
        price: 40,
        tags: ['electric', 'kettle'],
      });

    /** An item with `onHand` units at W1 (0: none anywhere). */
    const stocked = async (sku: string, overrides: Partial<CreateItemBody>, onHand = 5) => {
      await insertItem(t.ctx, { sku, name: `Item ${sku}`, category: 'kitchen', ...overrides });
      if (onHand > 0) await putStock(t.ctx, sku, 'W1', onHand);
    };

    const putLink = (sku: string, linkedSku: string, kind: unknown, key?: string) =>
      t.request({
        method: 'PUT',
        url: `/v1/items/${sku}/links/${linkedSku}`,
        body: { kind },
        ...(key !== undefined && { key }),
      });

    const alternatives = async (query: string, sku = 'KET-01', key?: string) => {
      const response = await t.request({
        method: 'GET',
        url: `/v1/items/${sku}/alternatives?${query}`,
        ...(key !== undefined && { key }),
      });
      assert.equal(response.statusCode, 200, response.body);
      return json<{ items: AlternativeBody[] }>(response).items;
    };
    const skusOf = (items: readonly AlternativeBody[]) => items.map((i) => i.sku);

    const linkRows = () =>
      t.ctx.db
        .selectFrom('item_links')
        .selectAll()
        .orderBy('item_id')
        .orderBy('linked_item_id')
        .execute();

    describe('links', () => {
      beforeEach(async () => {
        await kettle();
        await stocked('KET-02', { price: 45 });
      });

      it('creates a link (201), changes its kind (200), lists it and deletes it (204)', async () => {
        const created = await putLink('KET-01', 'KET-02', 'substitute');
        assert.equal(created.statusCode, 201, created.body);
        assert.deepEqual(json(created), {
          sku: 'KET-01',
          linkedSku: 'KET-02',
          kind: 'substitute',
          createdAt: TEST_NOW,
        });

        t.clock.set('2026-11-27T08:00:00.000Z');
        const changed = await putLink('KET-01', 'KET-02', 'replacement');
        assert.equal(changed.statusCode, 200, changed.body);
        // The link keeps its creation time, and so its place among the item's links.
        assert.deepEqual(json(changed), {
          sku: 'KET-01',
          linkedSku: 'KET-02',
          kind: 'replacement',
          createdAt: TEST_NOW,
        });

        const same = await putLink('KET-01', 'KET-02', 'replacement', t.staffKey);
        assert.equal(same.statusCode, 200, same.body);
        assert.equal((await linkRows()).length, 1);

        const list = await t.request({ method: 'GET', url: '/v1/items/KET-01/links' });
        assert.equal(list.statusCode, 200, list.body);
        assert.deepEqual(json(list), { items: [json(changed)] });

        // Links are one-way.
        const reverse = await t.request({ method: 'GET', url: '/v1/items/KET-02/links' });
        assert.deepEqual(json(reverse), { items: [] }, reverse.body);

        const deleted = await t.request({ method: 'DELETE', url: '/v1/items/KET-01/links/KET-02' });
        assert.equal(deleted.statusCode, 204, deleted.body);
        assert.equal(deleted.body, '');
        assert.deepEqual(await linkRows(), []);
        const empty = await t.request({ method: 'GET', url: '/v1/items/KET-01/links' });
        assert.deepEqual(json(empty), { items: [] }, empty.body);
      });

      it('lists replacements first, then substitutes, each oldest first', async () => {
        await stocked('KET-03', {});
        await stocked('KET-04', {});
        assert.equal((await putLink('KET-01', 'KET-03', 'substitute')).statusCode, 201);
        t.clock.set('2026-11-26T11:00:00.000Z');
        assert.equal((await putLink('KET-01', 'KET-04', 'replacement')).statusCode, 201);
        t.clock.set('2026-11-26T12:00:00.000Z');
        assert.equal((await putLink('KET-01', 'KET-02', 'substitute')).statusCode, 201);
        const list = json<{ items: LinkBody[] }>(
          await t.request({ method: 'GET', url: '/v1/items/KET-01/links' }),
        );
        assert.deepEqual(
          list.items.map((l) => `${l.linkedSku}:${l.kind}`),
          ['KET-04:replacement', 'KET-03:substitute', 'KET-02:substitute'],
        );
      });

      const badRequests: [string, () => Promise<LightMyRequestResponse>, number, string][] = [
        [
          'a link from an item to itself',
          () => putLink('KET-01', 'KET-01', 'substitute'),
          400,
          'SELF_LINK',
        ],
        [
          'a self link of an unknown SKU (checked before the database)',
          () => putLink('NOPE', 'NOPE', 'substitute'),
          400,
          'SELF_LINK',
        ],
        ['an unknown kind', () => putLink('KET-01', 'KET-02', 'twin'), 400, 'VALIDATION_FAILED'],
        [
          'a missing kind',
          () => t.request({ method: 'PUT', url: '/v1/items/KET-01/links/KET-02', body: {} }),
          400,
          'VALIDATION_FAILED',
        ],
        [
          'an unknown field',
          () =>
            t.request({
              method: 'PUT',
              url: '/v1/items/KET-01/links/KET-02',
              body: { kind: 'substitute', note: 'x' },
            }),
          400,
          'VALIDATION_FAILED',
        ],
        ['an unknown item', () => putLink('NOPE', 'KET-02', 'substitute'), 404, 'ITEM_NOT_FOUND'],
        [
          'an unknown linked item',
          () => putLink('KET-01', 'NOPE', 'substitute'),
          404,
          'ITEM_NOT_FOUND',
        ],
        [
          'deleting a link that does not exist',
          () => t.request({ method: 'DELETE', url: '/v1/items/KET-02/links/KET-01' }),
          404,
          'LINK_NOT_FOUND',
        ],
        [
          'deleting a link of an unknown item',
          () => t.request({ method: 'DELETE', url: '/v1/items/NOPE/links/KET-02' }),
          404,
          'ITEM_NOT_FOUND',
        ],
        [
          'listing the links of an unknown item',
          () => t.request({ method: 'GET', url: '/v1/items/NOPE/links' }),
          404,
          'ITEM_NOT_FOUND',
        ],
      ];
      for (const [what, send, status, code] of badRequests) {
        it(`refuses ${what} with ${status} ${code} and changes nothing`, async () => {
          assert.equal((await putLink('KET-01', 'KET-02', 'substitute')).statusCode, 201);
          const before = await linkRows();
          t.clock.set('2026-11-27T08:00:00.000Z');
          assertError(await send(), status, code);
          assert.deepEqual(await linkRows(), before);
        });
      }

      it('names the missing link in LINK_NOT_FOUND', async () => {
        const error = assertError(
          await t.request({ method: 'DELETE', url: '/v1/items/KET-01/links/KET-02' }),
          404,
          'LINK_NOT_FOUND',
        );
        assert.deepEqual(error.details, { sku: 'KET-01', linkedSku: 'KET-02' });
      });

      it('lets only admin and staff keys read or change links', async () => {
        assert.equal((await putLink('KET-01', 'KET-02', 'substitute')).statusCode, 201);
        const before = await linkRows();
        const key = await t.channelKey('web');
        assertError(await putLink('KET-01', 'KET-02', 'replacement', key), 403, 'FORBIDDEN');
        assertError(
          await t.request({ method: 'DELETE', url: '/v1/items/KET-01/links/KET-02', key }),
          403,
          'FORBIDDEN',
        );
        assertError(
          await t.request({ method: 'GET', url: '/v1/items/KET-01/links', key }),
          403,
          'FORBIDDEN',
        );
        assertError(
          await t.request({
            method: 'PUT',
            url: '/v1/items/KET-01/links/KET-02',
            body: { kind: 'replacement' },
            key: null,
          }),
          401,
          'UNAUTHORIZED',
        );
        assert.deepEqual(await linkRows(), before);
      });
    });

    describe('GET /v1/items/{sku}/alternatives', () => {
      /** Links and similar items around the kettle, all in stock at W1. */
      const rankingWorld = async () => {
        await kettle();
        await stocked('REP', { category: 'appliances', price: 100 });
        await stocked('SUB-A', { category: 'garden', price: 3 });
        await stocked('SUB-B', { price: 40, tags: ['kettle', 'electric'] });
        await stocked('SIM-TWO', { price: 50, tags: ['electric', 'kettle', 'steel'] });
        await stocked('SIM-NEAR', { price: 41, tags: ['kettle'] });
        await stocked('SIM-B', { price: 45, tags: ['electric'] });
        await stocked('SIM-A', { price: 35, tags: ['electric'] });
        await stocked('EDGE-LO', { price: 28, tags: ['electric'] });
        await stocked('EDGE-HI', { price: 52, tags: ['electric'] });
        await stocked('OUT-HI', { price: 52.01, tags: ['electric', 'kettle'] });
        await stocked('OUT-LO', { price: 27.99, tags: ['electric', 'kettle'] });
        await stocked('OTHER-CAT', { category: 'bathroom', price: 40, tags: ['electric'] });
        await stocked('NO-TAG', { price: 40, tags: ['toaster'] });
        // Link order: SUB-A first, then REP, then SUB-B.
        assert.equal((await putLink('KET-01', 'SUB-A', 'substitute')).statusCode, 201);
        t.clock.set('2026-11-26T11:00:00.000Z');
        assert.equal((await putLink('KET-01', 'REP', 'replacement')).statusCode, 201);
        t.clock.set('2026-11-26T12:00:00.000Z');
        assert.equal((await putLink('KET-01', 'SUB-B', 'substitute')).statusCode, 201);
      };

      const FULL_ORDER = [
        'REP',
        'SUB-A',
        'SUB-B',
        'SIM-TWO',
        'SIM-NEAR',
        'SIM-A',
        'SIM-B',
        'EDGE-HI',
        'EDGE-LO',
      ];

      it('ranks links first, then same-category items by shared tags and price', async () => {
        await rankingWorld();
        const items = await alternatives('channel=web&limit=20');
        assert.deepEqual(skusOf(items), FULL_ORDER);
        assert.deepEqual(
          items.map((i) => `${i.reason}:${i.sharedTags.join('+')}`),
          [
            'replacement:',
            'substitute:',
            'substitute:electric+kettle',
            'similar:electric+kettle',
            'similar:kettle',
            'similar:electric',
            'similar:electric',
            'similar:electric',
            'similar:electric',
          ],
        );
        const rep = items[0]!;
        assert.equal(rep.name, 'Item REP');
        assert.equal(rep.category, 'appliances');
        assert.equal(rep.price, 100);
      });

      it('answers with the same availability as the availability endpoint', async () => {
        await rankingWorld();
        const items = await alternatives('channel=web&quantity=2&limit=3');
        assert.equal(items.length, 3);
        for (const item of items) {
          const direct = await t.request({
            method: 'GET',
            url: `/v1/availability/${item.sku}?channel=web&quantity=2`,
          });
          assert.equal(direct.statusCode, 200, direct.body);
          assert.deepEqual(item.availability, json(direct), item.sku);
        }
      });

      it('gives 5 by default and honours limit', async () => {
        await rankingWorld();
        assert.deepEqual(skusOf(await alternatives('channel=web')), FULL_ORDER.slice(0, 5));
        assert.deepEqual(skusOf(await alternatives('channel=web&limit=2')), ['REP', 'SUB-A']);
      });

      it('answers an empty list for an item with nothing like it', async () => {
        await stocked('LONELY', { category: 'garden', price: 5, tags: ['spade'] });
        assert.deepEqual(await alternatives('channel=web', 'LONELY'), []);
      });

      it('leaves out what cannot be bought on the channel in the quantity asked', async () => {
        await kettle();
        const similar = { price: 40, tags: ['electric'] };
        await stocked('IN-STOCK', similar);
        await stocked('NO-STOCK', similar, 0);
        await stocked('FEW', { ...similar, price: 41 }, 2);
        await stocked('DISC-SOLD-OUT', { ...similar, status: 'discontinued' }, 0);
        await stocked('DISC-SELLING', { ...similar, price: 42, status: 'discontinued' }, 3);
        await stocked('UNRELEASED', { ...similar, releaseDate: '2027-01-01' });
        await stocked('SAFETY', similar, 0);
        await putStock(t.ctx, 'SAFETY', 'W1', 2, 2);
        await stocked('STORE-ONLY', { ...similar, price: 43 }, 0);
        await putStock(t.ctx, 'STORE-ONLY', 'S1', 4);
        // Links do not rescue an item that cannot be bought.
        assert.equal((await putLink('KET-01', 'DISC-SOLD-OUT', 'replacement')).statusCode, 201);
        assert.equal((await putLink('KET-01', 'NO-STOCK', 'substitute')).statusCode, 201);

        assert.deepEqual(skusOf(await alternatives('channel=web&limit=20')), [
          'IN-STOCK',
          'FEW',
          'DISC-SELLING',
          'STORE-ONLY',
        ]);
        assert.deepEqual(skusOf(await alternatives('channel=web&quantity=3&limit=20')), [
          'IN-STOCK',
          'DISC-SELLING',
          'STORE-ONLY',
        ]);
        // pos sells from S1 only.
        assert.deepEqual(skusOf(await alternatives('channel=pos&limit=20')), ['STORE-ONLY']);
        const states = (await alternatives('channel=web&limit=20')).map(
          (i) => `${i.availability.state}:${i.availability.channel}`,
        );
        assert.ok(
          states.every((s) => /^(in_stock|low_stock):web$/.test(s)),
          JSON.stringify(states),
        );
      });

      it('lets a channel key ask for its own channel only', async () => {
        await rankingWorld();
        const webKey = await t.channelKey('web');
        assert.deepEqual(
          skusOf(await alternatives('channel=web&limit=20', 'KET-01', webKey)),
          FULL_ORDER,
        );
        const error = assertError(
          await t.request({
            method: 'GET',
            url: '/v1/items/KET-01/alternatives?channel=pos',
            key: webKey,
          }),
          403,
          'FORBIDDEN',
        );
        assert.deepEqual(error.details, { channel: 'web', requested: 'pos' });
        assertError(
          await t.request({ method: 'GET', url: '/v1/items/KET-01/alternatives', key: webKey }),
          400,
          'VALIDATION_FAILED',
        );
        assertError(
          await t.request({
            method: 'GET',
            url: '/v1/items/KET-01/alternatives?channel=web',
            key: null,
          }),
          401,
          'UNAUTHORIZED',
        );
      });

      const badQueries: [string, string, number, string][] = [
        ['an unknown SKU', '/v1/items/NOPE/alternatives?channel=web', 404, 'ITEM_NOT_FOUND'],
        [
          'an unknown channel',
          '/v1/items/KET-01/alternatives?channel=nope',
          404,
          'CHANNEL_NOT_FOUND',
        ],
        ['a missing channel', '/v1/items/KET-01/alternatives', 400, 'VALIDATION_FAILED'],
        [
          'quantity 0',
          '/v1/items/KET-01/alternatives?channel=web&quantity=0',
          400,
          'VALIDATION_FAILED',
        ],
        [
          'a fractional quantity',
          '/v1/items/KET-01/alternatives?channel=web&quantity=1.5',
          400,
          'VALIDATION_FAILED',
        ],
        ['limit 0', '/v1/items/KET-01/alternatives?channel=web&limit=0', 400, 'VALIDATION_FAILED'],
        [
          'limit above 20',
          '/v1/items/KET-01/alternatives?channel=web&limit=21',
          400,
          'VALIDATION_FAILED',
        ],
        [
          'a location instead of a channel',
          '/v1/items/KET-01/alternatives?channel=web&location=W1',
          400,
          'VALIDATION_FAILED',
        ],
      ];
      for (const [what, url, status, code] of badQueries) {
        it(`refuses ${what} with ${status} ${code} and changes nothing`, async () => {
          await rankingWorld();
          const before = await linkRows();
          assertError(await t.request({ method: 'GET', url }), status, code);
          assert.deepEqual(await linkRows(), before);
        });
      }
    });

    describe('findAlternatives', () => {
      it('runs inside another use case’s transaction and sees its writes', async () => {
        await kettle();
        await stocked('SIM', { price: 40, tags: ['kettle'] });
        const { id } = await t.ctx.db
          .selectFrom('items')
          .select('id')
          .where('sku', '=', 'KET-01')
          .executeTakeFirstOrThrow();
        const found = await t.ctx.db.transaction().execute(async (trx) => {
          const { id: linkedId } = await trx
            .selectFrom('items')
            .select('id')
            .where('sku', '=', 'SIM')
            .executeTakeFirstOrThrow();
          await trx
            .insertInto('item_links')
            .values({
              item_id: id,
              linked_item_id: linkedId,
              kind: 'replacement',
              created_at: TEST_NOW,
            })
            .execute();
          return findAlternatives(trx, t.ctx, { itemId: id, channel: 'web', quantity: 1 });
        });
        assert.deepEqual(
          found.map((a) => `${a.sku}:${a.reason}:${a.availability.state}`),
          ['SIM:replacement:in_stock'],
        );
      });

      it('raises ITEM_NOT_FOUND and CHANNEL_NOT_FOUND', async () => {
        await kettle();
        await assert.rejects(
          findAlternatives(t.ctx.db, t.ctx, { itemId: 999_999, channel: 'web', quantity: 1 }),
          { code: 'ITEM_NOT_FOUND' },
        );
        const { id } = await t.ctx.db
          .selectFrom('items')
          .select('id')
          .where('sku', '=', 'KET-01')
          .executeTakeFirstOrThrow();
        await assert.rejects(
          findAlternatives(t.ctx.db, t.ctx, { itemId: id, channel: 'nope', quantity: 1 }),
          { code: 'CHANNEL_NOT_FOUND' },
        );
      });
    });
  });
}
