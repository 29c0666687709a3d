import { type Insertable, sql, type Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { DomainEventsTable } from '../db/tables/domain-events.js';
import type {
  AllocationsTable,
  IdempotencyKeysTable,
  OrderLinesTable,
  OrdersTable,
} from '../db/tables/orders.js';
import { reserveWanted, type StockKey, wantedRows } from '../kernel/ledger/stock.repository.js';

/**
 * PostgreSQL only: a batch of placed orders reserved and written in two round trips
 * instead of six.
 *
 * On PostgreSQL every statement is a round trip that wakes a backend, and a batch's rows
 * depend on each other's ids (lines on orders, allocations on lines, the answers and events
 * on all of them). So the ids are drawn from the tables' own sequences first, in the
 * statement that reserves the batch's stock, and then orders, lines, allocations, events
 * and Idempotency-Keys go in one statement of data-modifying CTEs (pegs, rare and with
 * their own follow-up writes, keep theirs). Each row set travels as one JSON parameter,
 * so the statement's text is the same for every batch and stays prepared
 * (src/db/server-prepared.ts). The foreign keys between the sets are checked at the end of
 * the statement, when every set is in. SQLite has neither round trips nor data-modifying
 * CTEs: it writes the same rows one statement per kind (src/orders/batch-writes.ts).
 */

/**
 * The batch's reservations (reserveStockRows) and, in the same round trip, `counts` new
 * ids from the orders' and lines' identity sequences, ascending. `reserved` is how many
 * stock rows the reservations changed: fewer than given means a row moved, and the caller
 * rolls back (the ids drawn are then never used, as with any rolled-back insert).
 */
export async function reserveAndDrawIds(
  trx: Transaction<DB>,
  reservations: readonly (StockKey & { quantity: number })[],
  counts: { orders: number; lines: number },
  now: string,
): Promise<{ reserved: number; orders: number[]; lines: number[] }> {
  const { rows } = await sql<{
    reserved: number;
    orders: string[] | null;
    lines: string[] | null;
  }>`
    with
      wanted as (${wantedRows(trx, reservations)}),
      reserved as (${reserveWanted(now)})
    select
      (select count(*) from reserved)::integer as reserved,
      (select array_agg(nextval(pg_get_serial_sequence('orders', 'id')))
         from generate_series(1, ${counts.orders}::integer)) as orders,
      (select array_agg(nextval(pg_get_serial_sequence('order_lines', 'id')))
         from generate_series(1, ${counts.lines}::integer)) as lines`.execute(trx);
  const ascending = (ids: string[] | null | undefined) =>
    (ids ?? []).map(Number).sort((a, b) => a - b);
  return {
    reserved: rows[0]?.reserved ?? 0,
    orders: ascending(rows[0]?.orders),
    lines: ascending(rows[0]?.lines),
  };
}

export interface BatchRows {
  orders: (Insertable<OrdersTable> & { id: number })[];
  lines: (Insertable<OrderLinesTable> & { id: number })[];
  allocations: Insertable<AllocationsTable>[];
  /** domain_events rows, payload already JSON text; their ids come back in this order. */
  events: Omit<Insertable<DomainEventsTable>, 'id'>[];
  /** idempotency_keys rows, inserted in this order unless the key is taken. */
  answers: Insertable<IdempotencyKeysTable>[];
}

/**
 * Every row of the batch in one statement. Returns the events' ids in the order given
 * and the keys stored (`scope key`); a key another transaction holds is waited for and,
 * if it commits, skipped, as claimKeys does.
 */
export async function insertBatchRows(
  trx: Transaction<DB>,
  rows: BatchRows,
): Promise<{ eventIds: number[]; claimed: Set<string> }> {
  const json = (value: unknown) => JSON.stringify(value);
  const { rows: out } = await sql<{ event_id: string | null; scope: string; key: string }>`
    with
      o as (
        insert into orders (id, channel_id, customer_id, reference, pickup_location_id,
                            created_by, created_at, updated_at)
        select id, channel_id, customer_id, reference, pickup_location_id,
               created_by, created_at, updated_at
        from jsonb_to_recordset(${json(rows.orders)}::jsonb) as r(
          id bigint, channel_id bigint, customer_id bigint, reference text,
          pickup_location_id bigint, created_by text, created_at text, updated_at text)),
      l as (
        insert into order_lines (id, order_id, line_no, item_id, quantity, accept_backorder,
                                 preorder, quantity_allocated, quantity_backordered,
                                 quantity_fulfilled, quantity_cancelled, quantity_unpromised,
                                 promised_date, promise_confidence, created_at, updated_at)
        select id, order_id, line_no, item_id, quantity, accept_backorder, preorder,
               quantity_allocated, quantity_backordered, quantity_fulfilled,
               quantity_cancelled, quantity_unpromised, promised_date, promise_confidence,
               created_at, updated_at
        from jsonb_to_recordset(${json(rows.lines)}::jsonb) as r(
          id bigint, order_id bigint, line_no integer, item_id bigint, quantity integer,
          accept_backorder integer, preorder integer, quantity_allocated integer,
          quantity_backordered integer, quantity_fulfilled integer, quantity_cancelled integer,
          quantity_unpromised integer, promised_date text, promise_confidence text,
          created_at text, updated_at text)),
      a as (
        insert into allocations (order_line_id, location_id, item_id, quantity)
        select order_line_id, location_id, item_id, quantity
        from jsonb_to_recordset(${json(rows.allocations)}::jsonb) as r(
          order_line_id bigint, location_id bigint, item_id bigint, quantity integer)),
      e as (
        insert into domain_events (type, subject, payload, actor, created_at, channel)
        select r->>'type', r->>'subject', r->>'payload', r->>'actor', r->>'created_at',
               r->>'channel'
        from jsonb_array_elements(${json(rows.events)}::jsonb) with ordinality as x(r, n)
        order by n
        returning id),
      k as (
        insert into idempotency_keys (scope, key, request_hash, status_code, response,
                                      created_at)
        select r->>'scope', r->>'key', r->>'request_hash', (r->>'status_code')::integer,
               r->>'response', r->>'created_at'
        from jsonb_array_elements(${json(rows.answers)}::jsonb) with ordinality as x(r, n)
        order by n
        on conflict (scope, key) do nothing
        returning scope, key)
    select id::text as event_id, null as scope, null as key from e
    union all
    select null, scope, key from k`.execute(trx);
  const eventIds: number[] = [];
  const claimed = new Set<string>();
  for (const row of out) {
    if (row.event_id !== null) eventIds.push(Number(row.event_id));
    else claimed.add(`${row.scope} ${row.key}`);
  }
  // Numbered in the order given, like insertEvents; RETURNING's order is unspecified.
  return { eventIds: eventIds.sort((a, b) => a - b), claimed };
}
