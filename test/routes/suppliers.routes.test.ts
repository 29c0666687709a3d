import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type * as suppliers from '../../src/purchasing/suppliers.schemas.js';
import type { CreateSupplierBody } from '../../src/purchasing/suppliers.schemas.js';
import {
  createSupplier,
  leadTimeFor,
  unitCostFor,
} from '../../src/purchasing/suppliers.service.js';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { insertItem, insertWorld } from '../helpers/factories.js';
import type { Body, ErrorBody, Page } from '../helpers/responses.js';

type SupplierBody = Body<typeof suppliers.Supplier>;
type SupplierItemBody = Body<typeof suppliers.SupplierItem>;
type PerformanceBody = Body<typeof suppliers.SupplierPerformance>;
type Response = Awaited<ReturnType<TestApp['request']>>;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const T0 = '2026-11-26T10:00:00.000Z';
const T1 = '2026-11-27T09:00:00.000Z';

const acme = { code: 'ACME', name: 'Acme', email: 'po@acme.test', leadTimeDays: 10 };

for (const target of testDatabases()) {
  describe(`suppliers routes (${target.kind})`, () => {
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp(target);
    });
    afterEach(async () => {
      await t.close();
    });

    const addSupplier = (overrides: Partial<CreateSupplierBody> = {}) =>
      createSupplier(t.ctx, { ...acme, ...overrides });

    const expectError = (response: Response, status: number, code: string) => {
      assert.equal(response.statusCode, status, response.body);
      const body = json<ErrorBody>(response);
      assert.equal(body.error.code, code, response.body);
      return body.error;
    };
    const get = async <T>(url: string): Promise<T> => {
      const response = await t.request({ method: 'GET', url });
      assert.equal(response.statusCode, 200, response.body);
      return json<T>(response);
    };
    const readSupplier = (code: string) => get<SupplierBody>(`/v1/suppliers/${code}`);
    const supplierCodes = async (query = '') =>
      (await get<Page<SupplierBody>>(`/v1/suppliers${query}`)).items.map((s) => s.code);
    const supplierItems = async (code: string) =>
      (await get<Page<SupplierItemBody>>(`/v1/suppliers/${code}/items?limit=1000`)).items;
    const itemSuppliers = async (sku: string) =>
      (await get<{ items: SupplierItemBody[] }>(`/v1/items/${sku}/suppliers`)).items;
    const put = (code: string, sku: string, body: unknown, key?: string) =>
      t.request({
        method: 'PUT',
        url: `/v1/suppliers/${code}/items/${sku}`,
        body,
        ...(key !== undefined && { key }),
      });
    const putOk = async (code: string, sku: string, body: unknown) => {
      const response = await put(code, sku, body);
      assert.equal(response.statusCode, 200, response.body);
      return json<SupplierItemBody>(response);
    };
    /** Everything the supplier routes can change, as the API shows it. */
    const snapshot = async (skus: string[] = []) => {
      const suppliers = (await get<Page<SupplierBody>>('/v1/suppliers?limit=1000')).items;
      const links: Record<string, SupplierItemBody[]> = {};
      for (const s of suppliers) links[s.code] = await supplierItems(s.code);
      const bySku: Record<string, SupplierItemBody[]> = {};
      for (const sku of skus) bySku[sku] = await itemSuppliers(sku);
      return { suppliers, links, bySku };
    };

    describe('suppliers', () => {
      it('creates a supplier with order minimum and case pack 1 by default and reads it back', async () => {
        const created = await t.request({ method: 'POST', url: '/v1/suppliers', body: acme });
        assert.equal(created.statusCode, 201, created.body);
        const expected = {
          ...acme,
          minOrderQuantity: 1,
          casePack: 1,
          createdAt: T0,
          updatedAt: T0,
        };
        assert.deepEqual(json(created), expected, created.body);
        assert.deepEqual(await readSupplier('ACME'), expected);
      });

      it('creates a supplier with every field given', async () => {
        const body = {
          code: 'BOLT.co_2',
          name: 'Bolt & Co',
          email: 'orders@bolt.example',
          leadTimeDays: 0,
          minOrderQuantity: 24,
          casePack: 6,
        };
        const created = await t.request({ method: 'POST', url: '/v1/suppliers', body });
        assert.equal(created.statusCode, 201, created.body);
        assert.deepEqual(await readSupplier('BOLT.co_2'), {
          ...body,
          createdAt: T0,
          updatedAt: T0,
        });
      });

      it('changes only the fields sent, never resetting the others to defaults', async () => {
        await addSupplier({ minOrderQuantity: 12, casePack: 6 });
        t.clock.set(T1);
        const patched = await t.request({
          method: 'PATCH',
          url: '/v1/suppliers/ACME',
          body: { name: 'Acme Ltd', leadTimeDays: 365 },
        });
        assert.equal(patched.statusCode, 200, patched.body);
        const expected = {
          code: 'ACME',
          name: 'Acme Ltd',
          email: 'po@acme.test',
          leadTimeDays: 365,
          minOrderQuantity: 12,
          casePack: 6,
          createdAt: T0,
          updatedAt: T1,
        };
        assert.deepEqual(json(patched), expected, patched.body);
        assert.deepEqual(await readSupplier('ACME'), expected);

        const more = await t.request({
          method: 'PATCH',
          url: '/v1/suppliers/ACME',
          body: { email: 'buying@acme.test', minOrderQuantity: 1, casePack: 10 },
        });
        assert.equal(more.statusCode, 200, more.body);
        assert.deepEqual(await readSupplier('ACME'), {
          ...expected,
          email: 'buying@acme.test',
          minOrderQuantity: 1,
          casePack: 10,
        });
      });

      it('refuses a duplicate code with 409 DUPLICATE_SUPPLIER and keeps the first', async () => {
        await addSupplier();
        const before = await snapshot();
        const again = await t.request({
          method: 'POST',
          url: '/v1/suppliers',
          body: { ...acme, name: 'Other Acme', email: 'x@other.test' },
        });
        const error = expectError(again, 409, 'DUPLICATE_SUPPLIER');
        assert.deepEqual(error.details, { code: 'ACME' }, again.body);
        assert.deepEqual(await snapshot(), before);
      });

      it('answers 404 SUPPLIER_NOT_FOUND for an unknown code on read and patch', async () => {
        const read = await t.request({ method: 'GET', url: '/v1/suppliers/NOPE' });
        const error = expectError(read, 404, 'SUPPLIER_NOT_FOUND');
        assert.deepEqual(error.details, { code: 'NOPE' }, read.body);
        const patch = await t.request({
          method: 'PATCH',
          url: '/v1/suppliers/NOPE',
          body: { name: 'Ghost' },
        });
        expectError(patch, 404, 'SUPPLIER_NOT_FOUND');
        assert.deepEqual(await supplierCodes(), []);
      });

      const badBodies: [string, Record<string, unknown>, RegExp][] = [
        ['an unknown field', { ...acme, phone: '555' }, /phone/],
        ['an email that is not one', { ...acme, email: 'not-an-email' }, /email/],
        ['a negative lead time', { ...acme, leadTimeDays: -1 }, /leadTimeDays/],
        ['a lead time over a year', { ...acme, leadTimeDays: 366 }, /leadTimeDays/],
        ['a fractional lead time', { ...acme, leadTimeDays: 2.5 }, /leadTimeDays/],
        ['a lead time sent as text', { ...acme, leadTimeDays: '10' }, /leadTimeDays/],
        ['an order minimum of 0', { ...acme, minOrderQuantity: 0 }, /minOrderQuantity/],
        ['a case pack of 0', { ...acme, casePack: 0 }, /casePack/],
        ['a missing email', { code: 'ACME', name: 'Acme', leadTimeDays: 10 }, /email/],
        ['a missing lead time', { code: 'ACME', name: 'Acme', email: 'a@b.test' }, /leadTime/],
        ['a code with a space', { ...acme, code: 'AC ME' }, /code/],
        ['an empty name', { ...acme, name: '' }, /name/],
      ];
      for (const [what, body, names] of badBodies) {
        it(`refuses ${what} with 400 VALIDATION_FAILED and creates nothing`, async () => {
          const response = await t.request({ method: 'POST', url: '/v1/suppliers', body });
          const error = expectError(response, 400, 'VALIDATION_FAILED');
          assert.match(error.message, names, response.body);
          assert.deepEqual(await supplierCodes(), []);
        });
      }

      const badPatches: [string, Record<string, unknown>][] = [
        ['an empty patch', {}],
        ['an unknown field', { name: 'Renamed', code: 'ACME2' }],
        ['an email that is not one', { name: 'Renamed', email: 'acme.test' }],
        ['a negative lead time', { name: 'Renamed', leadTimeDays: -3 }],
        ['a case pack of 0', { name: 'Renamed', casePack: 0 }],
      ];
      for (const [what, body] of badPatches) {
        it(`refuses a patch with ${what} with 400 and changes nothing`, async () => {
          await addSupplier();
          const before = await readSupplier('ACME');
          t.clock.set(T1);
          const response = await t.request({ method: 'PATCH', url: '/v1/suppliers/ACME', body });
          expectError(response, 400, 'VALIDATION_FAILED');
          assert.deepEqual(await readSupplier('ACME'), before);
        });
      }

      it('lists suppliers a page at a time', async () => {
        for (const code of ['S1', 'S2', 'S3', 'S4', 'S5']) await addSupplier({ code });
        assert.deepEqual(await supplierCodes(), ['S1', 'S2', 'S3', 'S4', 'S5']);
        const first = await get<Page<SupplierBody>>('/v1/suppliers?limit=2');
        assert.deepEqual(
          first.items.map((s) => s.code),
          ['S1', 'S2'],
        );
        assert.ok(first.nextCursor, JSON.stringify(first));
        const second = await get<Page<SupplierBody>>(
          `/v1/suppliers?limit=2&cursor=${first.nextCursor}`,
        );
        assert.deepEqual(
          second.items.map((s) => s.code),
          ['S3', 'S4'],
        );
        const third = await get<Page<SupplierBody>>(
          `/v1/suppliers?limit=2&cursor=${second.nextCursor}`,
        );
        assert.deepEqual(
          third.items.map((s) => s.code),
          ['S5'],
        );
        assert.equal(third.nextCursor, null);
        const exact = await get<Page<SupplierBody>>('/v1/suppliers?limit=5');
        assert.equal(exact.items.length, 5);
        assert.equal(exact.nextCursor, null);
      });

      it('refuses an unknown list parameter and a forged cursor', async () => {
        expectError(
          await t.request({ method: 'GET', url: '/v1/suppliers?sort=code' }),
          400,
          'VALIDATION_FAILED',
        );
        expectError(
          await t.request({ method: 'GET', url: '/v1/suppliers?cursor=forged' }),
          400,
          'INVALID_CURSOR',
        );
        expectError(
          await t.request({ method: 'GET', url: '/v1/suppliers?limit=0' }),
          400,
          'VALIDATION_FAILED',
        );
      });
    });

    describe('supplier items', () => {
      beforeEach(async () => {
        await addSupplier();
        await addSupplier({ code: 'BETA', name: 'Beta', email: 'po@beta.test', leadTimeDays: 4 });
        await insertItem(t.ctx, { sku: 'KET-01', name: 'Kettle' });
        await insertItem(t.ctx, { sku: 'TOA-02', name: 'Toaster' });
      });

      it('links an item with defaults and lists it on both sides', async () => {
        const linked = await putOk('ACME', 'KET-01', { unitCost: 20 });
        const expected: SupplierItemBody = {
          supplier: 'ACME',
          sku: 'KET-01',
          supplierSku: null,
          unitCost: 20,
          leadTimeDays: null,
          effectiveLeadTimeDays: 10,
          preferred: false,
          createdAt: T0,
          updatedAt: T0,
        };
        assert.deepEqual(linked, expected);
        assert.deepEqual(await supplierItems('ACME'), [expected]);
        assert.deepEqual(await itemSuppliers('KET-01'), [expected]);
        assert.deepEqual(await supplierItems('BETA'), []);
        assert.deepEqual(await itemSuppliers('TOA-02'), []);
      });

      it('keeps cents exactly and takes the lead-time override when given', async () => {
        const linked = await putOk('ACME', 'KET-01', {
          supplierSku: 'AC-KT-1',
          unitCost: 19.99,
          leadTimeDays: 3,
          preferred: true,
        });
        assert.deepEqual(
          { ...linked, createdAt: undefined, updatedAt: undefined },
          {
            supplier: 'ACME',
            sku: 'KET-01',
            supplierSku: 'AC-KT-1',
            unitCost: 19.99,
            leadTimeDays: 3,
            effectiveLeadTimeDays: 3,
            preferred: true,
            createdAt: undefined,
            updatedAt: undefined,
          },
        );
        // 0.07 is not a multiple of 0.01 in floating point; it must still be accepted.
        const cheap = await putOk('ACME', 'TOA-02', { unitCost: 0.07 });
        assert.equal(cheap.unitCost, 0.07);
        const stored = await t.ctx.db
          .selectFrom('supplier_items')
          .select(['unit_cost_cents'])
          .orderBy('item_id')
          .execute();
        assert.deepEqual(
          stored.map((r) => r.unit_cost_cents),
          [1999, 7],
        );
      });

      it('replaces the whole link on a second PUT, keeping when it was created', async () => {
        await putOk('ACME', 'KET-01', {
          supplierSku: 'AC-KT-1',
          unitCost: 20,
          leadTimeDays: 3,
          preferred: true,
        });
        t.clock.set(T1);
        const replaced = await putOk('ACME', 'KET-01', { unitCost: 22.5 });
        const expected: SupplierItemBody = {
          supplier: 'ACME',
          sku: 'KET-01',
          supplierSku: null,
          unitCost: 22.5,
          leadTimeDays: null,
          effectiveLeadTimeDays: 10,
          preferred: false,
          createdAt: T0,
          updatedAt: T1,
        };
        assert.deepEqual(replaced, expected);
        assert.deepEqual(await supplierItems('ACME'), [expected]);

        // null clears an override explicitly, the same as leaving it out.
        await putOk('ACME', 'KET-01', { unitCost: 22.5, leadTimeDays: 2 });
        const cleared = await putOk('ACME', 'KET-01', { unitCost: 22.5, leadTimeDays: null });
        assert.equal(cleared.leadTimeDays, null);
        assert.equal(cleared.effectiveLeadTimeDays, 10);
      });

      it("follows the supplier's lead time when the item has no override", async () => {
        await putOk('ACME', 'KET-01', { unitCost: 20 });
        await putOk('ACME', 'TOA-02', { unitCost: 30, leadTimeDays: 21 });
        const patched = await t.request({
          method: 'PATCH',
          url: '/v1/suppliers/ACME',
          body: { leadTimeDays: 14 },
        });
        assert.equal(patched.statusCode, 200, patched.body);
        assert.deepEqual(
          (await supplierItems('ACME')).map((i) => [i.sku, i.effectiveLeadTimeDays]),
          [
            ['KET-01', 14],
            ['TOA-02', 21],
          ],
        );
      });

      it('keeps one preferred supplier per item, switching it in one step', async () => {
        await putOk('ACME', 'KET-01', { unitCost: 20, preferred: true });
        await putOk('BETA', 'KET-01', { unitCost: 18 });
        await putOk('BETA', 'TOA-02', { unitCost: 30, preferred: true });
        const preferredOf = async (sku: string) =>
          (await itemSuppliers(sku)).map((s) => [s.supplier, s.preferred]);
        assert.deepEqual(await preferredOf('KET-01'), [
          ['ACME', true],
          ['BETA', false],
        ]);

        t.clock.set(T1);
        const switched = await putOk('BETA', 'KET-01', { unitCost: 18, preferred: true });
        assert.equal(switched.preferred, true);
        // Preferred first, whatever the supplier order.
        assert.deepEqual(await preferredOf('KET-01'), [
          ['BETA', true],
          ['ACME', false],
        ]);
        const acmeLink = (await supplierItems('ACME'))[0]!;
        assert.equal(acmeLink.preferred, false);
        assert.equal(acmeLink.updatedAt, T1, 'un-preferring is a change to the old link');
        assert.equal(acmeLink.unitCost, 20, 'un-preferring changes nothing else');
        // Another item's preferred supplier is untouched.
        assert.deepEqual(await preferredOf('TOA-02'), [['BETA', true]]);

        // Making the preferred one preferred again changes nothing for the others.
        await putOk('BETA', 'KET-01', { unitCost: 17, preferred: true });
        assert.deepEqual(await preferredOf('KET-01'), [
          ['BETA', true],
          ['ACME', false],
        ]);

        // Replacing the preferred link without preferred leaves the item with none.
        await putOk('BETA', 'KET-01', { unitCost: 17 });
        assert.deepEqual(await preferredOf('KET-01'), [
          ['ACME', false],
          ['BETA', false],
        ]);

        const rows = await t.ctx.db
          .selectFrom('supplier_items')
          .select(['item_id', 'preferred'])
          .where('preferred', '=', 1)
          .execute();
        assert.equal(rows.length, 1, JSON.stringify(rows));
      });

      const badItemBodies: [string, Record<string, unknown>][] = [
        ['a unit cost with three decimals (1.234)', { unitCost: 1.234 }],
        ['a negative unit cost', { unitCost: -1 }],
        ['a unit cost sent as text', { unitCost: '20' }],
        ['a missing unit cost', { supplierSku: 'X' }],
        ['an unknown field', { unitCost: 20, moq: 5 }],
        ['a negative lead-time override', { unitCost: 20, leadTimeDays: -1 }],
        ['a fractional lead-time override', { unitCost: 20, leadTimeDays: 1.5 }],
        ['preferred that is not a boolean', { unitCost: 20, preferred: 'yes' }],
        ['an empty supplier SKU', { unitCost: 20, supplierSku: '' }],
      ];
      for (const [what, body] of badItemBodies) {
        it(`refuses ${what} with 400 VALIDATION_FAILED and changes nothing`, async () => {
          await putOk('ACME', 'KET-01', { unitCost: 20, supplierSku: 'AC-1', preferred: true });
          const before = await snapshot(['KET-01', 'TOA-02']);
          t.clock.set(T1);
          // Both a replacement of the existing link and a new one.
          expectError(await put('ACME', 'KET-01', body), 400, 'VALIDATION_FAILED');
          expectError(await put('BETA', 'KET-01', body), 400, 'VALIDATION_FAILED');
          expectError(await put('ACME', 'TOA-02', body), 400, 'VALIDATION_FAILED');
          assert.deepEqual(await snapshot(['KET-01', 'TOA-02']), before);
        });
      }

      it('answers 404 for an unknown supplier or SKU and links nothing', async () => {
        await putOk('ACME', 'KET-01', { unitCost: 20, preferred: true });
        const before = await snapshot(['KET-01', 'TOA-02']);
        const noSupplier = await put('NOPE', 'KET-01', { unitCost: 5, preferred: true });
        assert.deepEqual(
          expectError(noSupplier, 404, 'SUPPLIER_NOT_FOUND').details,
          { code: 'NOPE' },
          noSupplier.body,
        );
        const noItem = await put('BETA', 'NOPE-1', { unitCost: 5, preferred: true });
        assert.deepEqual(
          expectError(noItem, 404, 'ITEM_NOT_FOUND').details,
          { sku: 'NOPE-1' },
          noItem.body,
        );
        assert.deepEqual(await snapshot(['KET-01', 'TOA-02']), before);

        expectError(
          await t.request({ method: 'GET', url: '/v1/suppliers/NOPE/items' }),
          404,
          'SUPPLIER_NOT_FOUND',
        );
        expectError(
          await t.request({ method: 'GET', url: '/v1/items/NOPE-1/suppliers' }),
          404,
          'ITEM_NOT_FOUND',
        );
      });

      it("lists a supplier's items a page at a time", async () => {
        for (let i = 1; i <= 3; i++) await insertItem(t.ctx, { sku: `EXTRA-${i}` });
        for (const sku of ['KET-01', 'TOA-02', 'EXTRA-1', 'EXTRA-2', 'EXTRA-3']) {
          await putOk('ACME', sku, { unitCost: 1 });
        }
        await putOk('BETA', 'TOA-02', { unitCost: 2 });
        const first = await get<Page<SupplierItemBody>>('/v1/suppliers/ACME/items?limit=3');
        assert.deepEqual(
          first.items.map((i) => i.sku),
          ['KET-01', 'TOA-02', 'EXTRA-1'],
        );
        assert.ok(first.nextCursor, JSON.stringify(first));
        const second = await get<Page<SupplierItemBody>>(
          `/v1/suppliers/ACME/items?limit=3&cursor=${first.nextCursor}`,
        );
        assert.deepEqual(
          second.items.map((i) => i.sku),
          ['EXTRA-2', 'EXTRA-3'],
        );
        assert.equal(second.nextCursor, null);
        expectError(
          await t.request({ method: 'GET', url: '/v1/suppliers/ACME/items?cursor=forged' }),
          400,
          'INVALID_CURSOR',
        );
      });

      it('unlinks an item with 204, leaving the other links alone', async () => {
        await putOk('ACME', 'KET-01', { unitCost: 20, preferred: true });
        await putOk('ACME', 'TOA-02', { unitCost: 30 });
        await putOk('BETA', 'KET-01', { unitCost: 18 });
        const removed = await t.request({
          method: 'DELETE',
          url: '/v1/suppliers/ACME/items/KET-01',
        });
        assert.equal(removed.statusCode, 204, removed.body);
        assert.equal(removed.body, '');
        assert.deepEqual(
          (await supplierItems('ACME')).map((i) => i.sku),
          ['TOA-02'],
        );
        assert.deepEqual(
          (await itemSuppliers('KET-01')).map((i) => i.supplier),
          ['BETA'],
        );

        // The item has no preferred supplier now, so another can take the place.
        const preferred = await putOk('BETA', 'KET-01', { unitCost: 18, preferred: true });
        assert.equal(preferred.preferred, true);
        // And it can be linked again.
        await putOk('ACME', 'KET-01', { unitCost: 21 });
        assert.deepEqual(
          (await itemSuppliers('KET-01')).map((i) => [i.supplier, i.preferred]),
          [
            ['BETA', true],
            ['ACME', false],
          ],
        );
      });

      it('answers 404 when unlinking what is not linked, and changes nothing', async () => {
        await putOk('ACME', 'KET-01', { unitCost: 20 });
        const before = await snapshot(['KET-01', 'TOA-02']);
        const notLinked = await t.request({
          method: 'DELETE',
          url: '/v1/suppliers/ACME/items/TOA-02',
        });
        assert.deepEqual(
          expectError(notLinked, 404, 'SUPPLIER_ITEM_NOT_FOUND').details,
          { supplier: 'ACME', sku: 'TOA-02' },
          notLinked.body,
        );
        expectError(
          await t.request({ method: 'DELETE', url: '/v1/suppliers/NOPE/items/KET-01' }),
          404,
          'SUPPLIER_NOT_FOUND',
        );
        expectError(
          await t.request({ method: 'DELETE', url: '/v1/suppliers/ACME/items/NOPE-1' }),
          404,
          'ITEM_NOT_FOUND',
        );
        assert.deepEqual(await snapshot(['KET-01', 'TOA-02']), before);
      });

      it('gives purchase orders the lead time and unit cost that apply', async () => {
        await putOk('ACME', 'KET-01', { unitCost: 19.99, leadTimeDays: 3 });
        await putOk('ACME', 'TOA-02', { unitCost: 30 });
        const ids = async (table: 'suppliers', code: string) =>
          (
            await t.ctx.db
              .selectFrom(table)
              .select('id')
              .where('code', '=', code)
              .executeTakeFirstOrThrow()
          ).id;
        const itemId = async (sku: string) =>
          (
            await t.ctx.db
              .selectFrom('items')
              .select('id')
              .where('sku', '=', sku)
              .executeTakeFirstOrThrow()
          ).id;
        const acmeId = await ids('suppliers', 'ACME');
        const betaId = await ids('suppliers', 'BETA');
        const kettle = await itemId('KET-01');
        const toaster = await itemId('TOA-02');

        assert.equal(await leadTimeFor(t.ctx.db, acmeId, kettle), 3);
        assert.equal(await leadTimeFor(t.ctx.db, acmeId, toaster), 10);
        // Not linked: the supplier's own lead time, and no cost.
        assert.equal(await leadTimeFor(t.ctx.db, betaId, kettle), 4);
        assert.equal(await unitCostFor(t.ctx.db, acmeId, kettle), 1999);
        assert.equal(await unitCostFor(t.ctx.db, acmeId, toaster), 3000);
        assert.equal(await unitCostFor(t.ctx.db, betaId, kettle), null);
        await assert.rejects(leadTimeFor(t.ctx.db, 999_999, kettle), {
          code: 'SUPPLIER_NOT_FOUND',
        });
      });
    });

    describe('performance', () => {
      /**
       * History for ACME, today being 2026-11-26 (the test clock):
       *
       * PO 1, sent 2026-10-01 09:00
       *   L1 KET-01 10 ordered; 4 in on 10-05, 6 on 10-10 15:00; due 10-11: on time, 9.25 days
       *   L2 TOA-02 20 ordered; 12 in on 10-14 09:00, 8 closed short; due 10-11: late, 13 days
       * PO 2, sent 2026-11-01 09:00
       *   L3 KET-01 5 ordered; 6 in on 11-12 09:00 (over-receipt); due 11-10: late, 11 days
       *   L4 KET-01 10 ordered; nothing in; due 11-20: late (still open)
       *   L5 TOA-02 8 ordered; nothing in; due 12-05: not yet due
       * PO 3, a draft never sent (left out), and PO 4 for BETA (not ACME's).
       */
      async function buildHistory() {
        await insertWorld(t.ctx);
        await insertItem(t.ctx, { sku: 'KET-01' });
        await insertItem(t.ctx, { sku: 'TOA-02' });
        await addSupplier();
        await addSupplier({ code: 'BETA', email: 'po@beta.test' });
        const db = t.ctx.db;
        const idOf = async (table: 'suppliers' | 'locations', code: string) =>
          (
            await db
              .selectFrom(table)
              .select('id')
              .where('code', '=', code)
              .executeTakeFirstOrThrow()
          ).id;
        const itemOf = async (sku: string) =>
          (
            await db
              .selectFrom('items')
              .select('id')
              .where('sku', '=', sku)
              .executeTakeFirstOrThrow()
          ).id;
        const W1 = await idOf('locations', 'W1');
        const KET = await itemOf('KET-01');
        const TOA = await itemOf('TOA-02');

        const order = async (supplier: string, sentAt: string | null, state: string) =>
          (
            await db
              .insertInto('purchase_orders')
              .values({
                supplier_id: await idOf('suppliers', supplier),
                location_id: W1,
                state: state as 'sent',
                reference: null,
                created_by: 'test',
                created_at: '2026-09-30T09:00:00.000Z',
                updated_at: '2026-09-30T09:00:00.000Z',
                sent_at: sentAt,
                confirmed_at: null,
                closed_at: null,
              })
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id;
        const orderLine = async (
          po: number,
          item: number,
          quantities: { ordered: number; received?: number; cancelled?: number },
          due: string | null,
          completedAt: string | null,
        ) =>
          (
            await db
              .insertInto('purchase_order_lines')
              .values({
                purchase_order_id: po,
                item_id: item,
                quantity_ordered: quantities.ordered,
                quantity_received: quantities.received ?? 0,
                quantity_cancelled: quantities.cancelled ?? 0,
                unit_cost_cents: 1000,
                expected_date: due ?? '2026-12-31',
                first_expected_date: due,
                confidence: 'confirmed',
                completed_at: completedAt,
                created_at: '2026-09-30T09:00:00.000Z',
                updated_at: '2026-09-30T09:00:00.000Z',
              })
              .returning('id')
              .executeTakeFirstOrThrow()
          ).id;
        let receiptCount = 0;
        const receipt = async (po: number, at: string, lines: [number, number][]) => {
          const { id } = await db
            .insertInto('receipts')
            .values({
              purchase_order_id: po,
              receipt_id: `r-${++receiptCount}`,
              request: '{}',
              response: '{}',
              actor: 'test',
              created_at: at,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await db
            .insertInto('receipt_lines')
            .values(
              lines.map(([line, quantity]) => ({
                receipt_pk: id,
                line_id: line,
                quantity,
                over_received: 0,
              })),
            )
            .execute();
        };

        const po1 = await order('ACME', '2026-10-01T09:00:00.000Z', 'received');
        const l1 = await orderLine(
          po1,
          KET,
          { ordered: 10, received: 10 },
          '2026-10-11',
          '2026-10-10T15:00:00.000Z',
        );
        const l2 = await orderLine(
          po1,
          TOA,
          { ordered: 20, received: 12, cancelled: 8 },
          '2026-10-11',
          '2026-10-20T00:00:00.000Z',
        );
        // Listed latest first, so the query must take the latest, not the last inserted.
        await receipt(po1, '2026-10-14T09:00:00.000Z', [[l2, 12]]);
        await receipt(po1, '2026-10-10T15:00:00.000Z', [[l1, 6]]);
        await receipt(po1, '2026-10-05T09:00:00.000Z', [[l1, 4]]);

        const po2 = await order('ACME', '2026-11-01T09:00:00.000Z', 'partially_received');
        const l3 = await orderLine(
          po2,
          KET,
          { ordered: 5, received: 6 },
          '2026-11-10',
          '2026-11-12T09:00:00.000Z',
        );
        await orderLine(po2, KET, { ordered: 10 }, '2026-11-20', null);
        await orderLine(po2, TOA, { ordered: 8 }, '2026-12-05', null);
        await receipt(po2, '2026-11-12T09:00:00.000Z', [[l3, 6]]);

        const draft = await order('ACME', null, 'draft');
        await orderLine(draft, KET, { ordered: 100 }, null, null);

        const beta = await order('BETA', '2026-10-01T09:00:00.000Z', 'received');
        const b1 = await orderLine(
          beta,
          KET,
          { ordered: 50, received: 1, cancelled: 49 },
          '2026-10-02',
          '2026-11-01T00:00:00.000Z',
        );
        await receipt(beta, '2026-11-01T00:00:00.000Z', [[b1, 1]]);
      }

      const acmeExpected: PerformanceBody = {
        supplier: 'ACME',
        overall: {
          lines: 5,
          // 9.25, 13 and 11 days: mean 11.083, sample std dev 1.876.
          leadTimeDays: { mean: 11.1, stdDev: 1.9, samples: 3 },
          // L1 on time; L2, L3, L4 late; L5 not due.
          onTimeRate: 0.25,
          onTimeSamples: 4,
          // Finished lines: 10/10 + 12/20 + min(6, 5)/5 = 27/35.
          fillRate: 0.7714,
        },
        items: [
          {
            sku: 'KET-01',
            lines: 3,
            leadTimeDays: { mean: 10.1, stdDev: 1.2, samples: 2 },
            onTimeRate: 0.3333,
            onTimeSamples: 3,
            fillRate: 1,
          },
          {
            sku: 'TOA-02',
            lines: 2,
            leadTimeDays: { mean: 13, stdDev: 0, samples: 1 },
            onTimeRate: 0,
            onTimeSamples: 1,
            fillRate: 0.6,
          },
        ],
      };

      it('measures lead time, on-time rate and fill rate from sent orders', async () => {
        await buildHistory();
        const response = await t.request({
          method: 'GET',
          url: '/v1/suppliers/ACME/performance',
          key: t.staffKey,
        });
        assert.equal(response.statusCode, 200, response.body);
        assert.deepEqual(json(response), acmeExpected);
      });

      it('counts an open line as late only once its date has passed', async () => {
        await buildHistory();
        // On 2026-11-20 L4 is due today, not late yet.
        t.clock.set('2026-11-20T12:00:00.000Z');
        const body = await get<PerformanceBody>('/v1/suppliers/ACME/performance');
        assert.equal(body.overall.onTimeSamples, 3, JSON.stringify(body));
        assert.equal(body.overall.onTimeRate, 0.3333, JSON.stringify(body));
        // On 2026-12-06 L5 is late too.
        t.clock.set('2026-12-06T00:00:00.000Z');
        const later = await get<PerformanceBody>('/v1/suppliers/ACME/performance');
        assert.equal(later.overall.onTimeSamples, 5, JSON.stringify(later));
        assert.equal(later.overall.onTimeRate, 0.2, JSON.stringify(later));
      });

      it('leaves out an order we cancelled ourselves', async () => {
        await buildHistory();
        const before = await get<PerformanceBody>('/v1/suppliers/ACME/performance');
        const created = await t.request({
          method: 'POST',
          url: '/v1/purchase-orders',
          body: {
            supplier: 'ACME',
            location: 'W1',
            lines: [{ sku: 'KET-01', quantity: 7, unitCost: 2, expectedDate: '2026-11-01' }],
          },
        });
        assert.equal(created.statusCode, 201, created.body);
        const { id } = JSON.parse(created.body) as { id: number };
        for (const action of ['send', 'cancel']) {
          const response = await t.request({
            method: 'POST',
            url: `/v1/purchase-orders/${id}/${action}`,
          });
          assert.equal(response.statusCode, 200, response.body);
        }
        assert.deepEqual(await get('/v1/suppliers/ACME/performance'), before);
      });

      it('reports nulls for a supplier without history and 404 for an unknown one', async () => {
        await addSupplier();
        assert.deepEqual(await get('/v1/suppliers/ACME/performance'), {
          supplier: 'ACME',
          overall: {
            lines: 0,
            leadTimeDays: null,
            onTimeRate: null,
            onTimeSamples: 0,
            fillRate: null,
          },
          items: [],
        });
        const unknown = await t.request({ method: 'GET', url: '/v1/suppliers/NOPE/performance' });
        expectError(unknown, 404, 'SUPPLIER_NOT_FOUND');
      });

      it('prints the same figures from `stockroom suppliers performance`', async () => {
        await buildHistory();
        // The command runs on the system clock; ask the API as of the same day.
        t.clock.set(new Date());
        const one = await runCli(t.database.url, '--supplier', 'ACME');
        assert.deepEqual(one, await get('/v1/suppliers/ACME/performance'));
        const all = (await runCli(t.database.url)) as PerformanceBody[];
        assert.deepEqual(all, [
          await get('/v1/suppliers/ACME/performance'),
          await get('/v1/suppliers/BETA/performance'),
        ]);
        assert.equal(all[1]?.overall.fillRate, 0.02, JSON.stringify(all[1]));
      });
    });

    describe('access', () => {
      beforeEach(async () => {
        await insertWorld(t.ctx);
        await addSupplier();
        await insertItem(t.ctx, { sku: 'KET-01' });
        await putOk('ACME', 'KET-01', { unitCost: 20, preferred: true });
      });

      const routes: {
        method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
        url: string;
        body?: unknown;
      }[] = [
        { method: 'POST', url: '/v1/suppliers', body: { ...acme, code: 'NEW' } },
        { method: 'GET', url: '/v1/suppliers' },
        { method: 'GET', url: '/v1/suppliers/ACME' },
        { method: 'PATCH', url: '/v1/suppliers/ACME', body: { name: 'Hacked' } },
        { method: 'GET', url: '/v1/suppliers/ACME/items' },
        { method: 'PUT', url: '/v1/suppliers/ACME/items/KET-01', body: { unitCost: 0 } },
        { method: 'DELETE', url: '/v1/suppliers/ACME/items/KET-01' },
        { method: 'GET', url: '/v1/items/KET-01/suppliers' },
        { method: 'GET', url: '/v1/suppliers/ACME/performance' },
      ];

      it('refuses every supplier route without a key (401) and changes nothing', async () => {
        const before = await snapshot(['KET-01']);
        for (const route of routes) {
          expectError(await t.request({ ...route, key: null }), 401, 'UNAUTHORIZED');
        }
        assert.deepEqual(await snapshot(['KET-01']), before);
      });

      it('refuses every supplier route to a channel key (403) and changes nothing', async () => {
        const key = await t.channelKey('web');
        const before = await snapshot(['KET-01']);
        for (const route of routes) {
          const response = await t.request({ ...route, key });
          assert.equal(expectError(response, 403, 'FORBIDDEN').details.role, 'channel');
        }
        assert.deepEqual(await snapshot(['KET-01']), before);
      });

      it('lets staff keys use every supplier route', async () => {
        for (const route of routes) {
          const response = await t.request({ ...route, key: t.staffKey });
          assert.ok(
            [200, 201, 204].includes(response.statusCode),
            `${route.method} ${route.url}: ${response.statusCode} ${response.body}`,
          );
        }
        assert.equal((await readSupplier('ACME')).name, 'Hacked');
        assert.deepEqual(await supplierCodes(), ['ACME', 'NEW']);
        assert.deepEqual(await itemSuppliers('KET-01'), []);
      });
    });
  });
}

/** Runs `stockroom suppliers performance` on a database and parses what it prints. */
function runCli(databaseUrl: string, ...args: string[]): Promise<unknown> {
  const { NODE_TEST_CONTEXT: _ctx, ...env } = process.env;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'suppliers', 'performance', ...args],
    {
      cwd: ROOT,
      env: { ...env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Kills a hung command; not a performance assertion.
      timeout: 60_000,
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) reject(new Error(`stockroom exited ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout));
    });
  });
}
