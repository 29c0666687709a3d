import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import type * as orders from '../../src/orders/orders.schemas.js';
import type * as waitingLines from '../../src/orders/waiting-lines.schemas.js';
import { json, type TestApp, type TestRequest } from './app.js';
import type { AnyOf, Body, ErrorBody, Page } from './responses.js';
import {
  insertPurchaseOrder,
  insertSupplier,
  type PurchaseOrderLineSpec,
} from './supply-factories.js';

/** Shared by the order route tests (test/routes/orders*.routes.test.ts). */

export type { ErrorBody, Page } from './responses.js';

type Order = Body<typeof orders.Order>;
type LinePromise = NonNullable<Order['lines'][number]['promise']>;

/** What a promise rests on, whatever its kind (tests read lineId, location... directly). */
export type Basis = AnyOf<LinePromise['restsOn'][number]>;

export type OrderLine = Omit<Order['lines'][number], 'promise'> & {
  promise: (Omit<LinePromise, 'restsOn'> & { restsOn: Basis[] }) | null;
};

export type OrderDoc = Omit<Order, 'lines'> & { lines: OrderLine[] };

export interface RefusedLine {
  line: number;
  sku: string;
  quantity: number;
  state: string;
  reason: string;
  available: number;
  incoming: number;
  backorder?: { quantity: number; date: string };
  alternatives: { sku: string; reason: string }[];
  subscribe: { method: string; path: string; body: { sku: string; channel: string } };
}

export type PromiseChange = Body<typeof orders.PromiseChangeList>['items'][number];

export type WaitingLine = Body<typeof waitingLines.WaitingLinePage>['items'][number];

export function assertError(response: LightMyRequestResponse, status: number, code: string) {
  assert.equal(response.statusCode, status, response.body);
  const body = json<ErrorBody>(response);
  assert.equal(body.error.code, code, response.body);
  return body.error;
}

/** The quantities of a line, for compact assertions. */
export const counts = (l: OrderLine) => ({
  state: l.state,
  allocated: l.allocated,
  backordered: l.backordered,
  fulfilled: l.fulfilled,
  cancelled: l.cancelled,
  unpromised: l.unpromised,
});

let keyCounter = 0;
export const freshKey = () => `order-key-${++keyCounter}`;

type Counted =
  | 'orders'
  | 'order_lines'
  | 'domain_events'
  | 'stock_ledger'
  | 'customers'
  | 'fulfilments';

/**
 * Requests and database reads for order tests. `app` is read on each call, since each
 * test starts its own app.
 */
export function orderKit(app: () => TestApp) {
  const place = (
    body: unknown,
    options: { key?: string | null; idempotencyKey?: string | null } = {},
  ) => {
    const idempotencyKey =
      options.idempotencyKey === undefined ? freshKey() : options.idempotencyKey;
    return app().request({
      method: 'POST',
      url: '/v1/orders',
      body,
      ...(options.key !== undefined && { key: options.key }),
      headers: idempotencyKey === null ? {} : { 'idempotency-key': idempotencyKey },
    });
  };

  async function placed(body: unknown, options: { key?: string } = {}): Promise<OrderDoc> {
    const response = await place(body, options);
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.headers['idempotent-replayed'], 'false');
    return json<OrderDoc>(response);
  }

  async function ok<T>(request: TestRequest, status = 200): Promise<T> {
    const response = await app().request(request);
    assert.equal(response.statusCode, status, response.body);
    return json<T>(response);
  }

  const getOrder = (id: number) => ok<OrderDoc>({ method: 'GET', url: `/v1/orders/${id}` });

  const cancel = (id: number, body: unknown = {}, key?: string) =>
    app().request({
      method: 'POST',
      url: `/v1/orders/${id}/cancel`,
      body,
      ...(key !== undefined && { key }),
    });

  const fulfil = (id: number, body: unknown) =>
    app().request({
      method: 'POST',
      url: `/v1/orders/${id}/fulfilments`,
      body,
      key: app().staffKey,
    });

  async function stockOf(sku: string, location: string) {
    const level = await ok<{ onHand: number; reserved: number; available: number }>({
      method: 'GET',
      url: `/v1/stock/${sku}/${location}`,
    });
    return { onHand: level.onHand, reserved: level.reserved, available: level.available };
  }

  async function promisedOn(lineId: number) {
    const row = await app()
      .ctx.db.selectFrom('purchase_order_lines')
      .select('quantity_promised')
      .where('id', '=', lineId)
      .executeTakeFirstOrThrow();
    return row.quantity_promised;
  }

  async function promisedOnTransfer(id: number) {
    const row = await app()
      .ctx.db.selectFrom('transfers')
      .select('quantity_promised')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return row.quantity_promised;
  }

  async function promiseChanges(id: number) {
    return (
      await ok<{ items: PromiseChange[] }>({
        method: 'GET',
        url: `/v1/orders/${id}/promise-changes`,
      })
    ).items;
  }

  const waiting = (query = '') =>
    ok<Page<WaitingLine>>({
      method: 'GET',
      url: `/v1/order-lines/waiting${query}`,
      key: app().staffKey,
    });

  async function events(type: string) {
    const rows = await app()
      .ctx.db.selectFrom('domain_events')
      .select(['type', 'subject', 'payload'])
      .where('type', '=', type)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as Record<string, unknown> }));
  }

  async function lostDemandRows() {
    return app()
      .ctx.db.selectFrom('lost_demand')
      .innerJoin('items', 'items.id', 'lost_demand.item_id')
      .innerJoin('channels', 'channels.id', 'lost_demand.channel_id')
      .select([
        'items.sku',
        'channels.code as channel',
        'lost_demand.quantity',
        'lost_demand.state',
      ])
      .orderBy('lost_demand.id')
      .execute();
  }

  async function count(table: Counted) {
    const { n } = await app()
      .ctx.db.selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  /** Every row an order request could touch. */
  async function snapshot() {
    const db = app().ctx.db;
    return {
      stock: await db
        .selectFrom('stock')
        .selectAll()
        .orderBy('item_id')
        .orderBy('location_id')
        .execute(),
      orders: await db.selectFrom('orders').selectAll().orderBy('id').execute(),
      lines: await db.selectFrom('order_lines').selectAll().orderBy('id').execute(),
      allocations: await db
        .selectFrom('allocations')
        .selectAll()
        .orderBy('order_line_id')
        .orderBy('location_id')
        .execute(),
      pegs: await db.selectFrom('backorder_pegs').selectAll().orderBy('id').execute(),
      promisedPo: await db
        .selectFrom('purchase_order_lines')
        .select(['id', 'quantity_promised'])
        .orderBy('id')
        .execute(),
      promisedTransfers: await db
        .selectFrom('transfers')
        .select(['id', 'quantity_promised'])
        .orderBy('id')
        .execute(),
      changes: await db.selectFrom('promise_changes').selectAll().orderBy('id').execute(),
      customers: await count('customers'),
      ledger: await count('stock_ledger'),
      events: await count('domain_events'),
      fulfilments: await count('fulfilments'),
      lostDemand: await db.selectFrom('lost_demand').selectAll().orderBy('id').execute(),
      keys: await db
        .selectFrom('idempotency_keys')
        .selectAll()
        .orderBy('scope')
        .orderBy('key')
        .execute(),
    };
  }

  /** A request that must fail and change nothing at all. */
  async function rejected(
    request: () => Promise<LightMyRequestResponse>,
    status: number,
    code: string,
  ) {
    const before = await snapshot();
    const response = await request();
    const error = assertError(response, status, code);
    assert.deepEqual(await snapshot(), before, `changed something: ${response.body}`);
    return error;
  }

  /** A request that succeeds but must change nothing (a replay). */
  async function unchanged(request: () => Promise<LightMyRequestResponse>) {
    const before = await snapshot();
    const response = await request();
    assert.deepEqual(await snapshot(), before, `a replay changed something: ${response.body}`);
    return response;
  }

  /**
   * An order refused with 409 ORDER_REFUSED: nothing reserved or promised; only the lost
   * demand (one row per refused line) and the key's recorded answer are written.
   */
  async function refusedOrder(body: unknown, idempotencyKey = freshKey()) {
    const before = await snapshot();
    const response = await place(body, { idempotencyKey });
    const error = assertError(response, 409, 'ORDER_REFUSED');
    const after = await snapshot();
    const { lostDemand: _l1, keys: _k1, ...restBefore } = before;
    const { lostDemand: _l2, keys: _k2, ...restAfter } = after;
    assert.deepEqual(restAfter, restBefore, `a refusal changed something: ${response.body}`);
    assert.equal(after.keys.length, before.keys.length + 1, 'the refusal is the key answer');
    const lines = (error.details as { lines: RefusedLine[] }).lines;
    return { error, lines, newLostDemand: after.lostDemand.slice(before.lostDemand.length) };
  }

  /** A purchase order in state sent, from a new supplier. */
  async function supplierPo(location: string, lines: PurchaseOrderLineSpec[]) {
    const supplier = await insertSupplier(app().ctx);
    return insertPurchaseOrder(app().ctx, { supplier, location, state: 'sent', lines });
  }

  async function link(sku: string, linked: string, kind = 'replacement') {
    const response = await app().request({
      method: 'PUT',
      url: `/v1/items/${sku}/links/${linked}`,
      body: { kind },
    });
    assert.ok([200, 201].includes(response.statusCode), response.body);
  }

  /** Links an item to a supplier with a lead time (the supplier must exist). */
  async function supplies(supplier: string, sku: string, leadTimeDays: number) {
    const response = await app().request({
      method: 'PUT',
      url: `/v1/suppliers/${supplier}/items/${sku}`,
      body: { unitCost: 4, leadTimeDays },
    });
    assert.ok([200, 201].includes(response.statusCode), response.body);
  }

  return {
    place,
    placed,
    ok,
    getOrder,
    cancel,
    fulfil,
    stockOf,
    promisedOn,
    promisedOnTransfer,
    promiseChanges,
    waiting,
    events,
    lostDemandRows,
    count,
    snapshot,
    rejected,
    unchanged,
    refusedOrder,
    supplierPo,
    link,
    supplies,
  };
}
