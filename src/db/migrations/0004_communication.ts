import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../dialect.js';
import { idRef, withId } from './helpers.js';

/**
 * Customer and staff communication: the outbox of messages and webhook deliveries with
 * their attempts, editable templates, webhook endpoints, "notify me" subscriptions, staff
 * alerts, the availability each channel last showed, and the queue of items whose
 * availability may have changed (filled by triggers, so no path that moves stock or
 * supply can forget to mark it).
 *
 * Long because a migration is one list of DDL statements, read top to bottom; once
 * released it is never edited, only followed by new migrations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const ref = idRef(db);
  const pg = isPostgres(db);

  // The channel an event concerns, so the live stream can honour channel-scoped keys.
  await db.schema.alterTable('domain_events').addColumn('channel', 'text').execute();

  await withId(db, db.schema.createTable('outbox_messages'))
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('audience', 'text', (c) =>
      c.notNull().check(sql`audience in ('customer', 'staff', 'integrator')`),
    )
    .addColumn('transport', 'text', (c) =>
      c.notNull().check(sql`transport in ('email', 'sms', 'webhook')`),
    )
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('customer_id', ref, (c) => c.references('customers.id'))
    .addColumn('order_id', ref, (c) => c.references('orders.id'))
    .addColumn('subscription_id', ref)
    .addColumn('webhook_id', ref)
    .addColumn('alert_id', ref)
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('body_text', 'text')
    .addColumn('body_html', 'text')
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'sent', 'dead')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0).check(sql`attempts >= 0`))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .addColumn('locked_by', 'text')
    .addColumn('delivered_via', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .execute();
  // The dispatcher's claim walks only what is still to send.
  await db.schema
    .createIndex('outbox_pending_idx')
    .on('outbox_messages')
    .columns(['next_attempt_at', 'id'])
    .where(sql.ref('state'), '=', 'pending')
    .execute();
  await db.schema
    .createIndex('outbox_customer_idx')
    .on('outbox_messages')
    .columns(['customer_id', 'id'])
    .execute();
  await db.schema
    .createIndex('outbox_webhook_idx')
    .on('outbox_messages')
    .columns(['webhook_id', 'id'])
    .execute();
  await db.schema
    .createIndex('outbox_order_idx')
    .on('outbox_messages')
    .columns(['order_id', 'id'])
    .execute();

  await withId(db, db.schema.createTable('message_attempts'))
    .addColumn('message_id', ref, (c) => c.notNull().references('outbox_messages.id'))
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('delivered', 'failed')`))
    .addColumn('detail', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('worker', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('message_attempts_message_idx')
    .on('message_attempts')
    .columns(['message_id', 'id'])
    .execute();

  // Overrides of the built-in templates; a kind with no row uses the default.
  await db.schema
    .createTable('message_templates')
    .addColumn('kind', 'text', (c) => c.primaryKey())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text', (c) => c.notNull())
    .addColumn('sms_body', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('webhooks'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1).check(sql`active in (0, 1)`))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('webhook_events')
    .addColumn('webhook_id', ref, (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('webhook_events_pk', ['webhook_id', 'event_type'])
    .execute();
  await db.schema
    .createIndex('webhook_events_type_idx')
    .on('webhook_events')
    .columns(['event_type', 'webhook_id'])
    .execute();

  await withId(db, db.schema.createTable('subscriptions'))
    .addColumn('item_id', ref, (c) => c.notNull().references('items.id'))
    .addColumn('channel_id', ref, (c) => c.notNull().references('channels.id'))
    .addColumn('name', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('preferred_channel', 'text', (c) =>
      c.notNull().check(sql`preferred_channel in ('email', 'sms')`),
    )
    /** The address used, normalised: one waiting subscription per item, channel and contact. */
    .addColumn('contact', 'text', (c) => c.notNull())
    .addColumn('customer_id', ref, (c) => c.references('customers.id'))
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('waiting', 'notified', 'unsubscribed')`),
    )
    .addColumn('wave', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('notified_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('subscriptions_waiting_idx')
    .on('subscriptions')
    .columns(['item_id', 'channel_id', 'id'])
    .where(sql.ref('state'), '=', 'waiting')
    .execute();
  await db.schema
    .createIndex('subscriptions_one_waiting_idx')
    .on('subscriptions')
    .columns(['item_id', 'channel_id', 'contact'])
    .unique()
    .where(sql.ref('state'), '=', 'waiting')
    .execute();

  await withId(db, db.schema.createTable('staff_alerts'))
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('low_stock', 'shortage_ahead', 'po_overdue')`),
    )
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('item_id', ref, (c) => c.references('items.id'))
    .addColumn('channel_id', ref, (c) => c.references('channels.id'))
    .addColumn('purchase_order_id', ref, (c) => c.references('purchase_orders.id'))
    /** kind:subject while the alert is open, null once resolved: one open alert per cause. */
    .addColumn('open_key', 'text', (c) => c.unique())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('resolved_at', 'text')
    .execute();
  await db.schema
    .createIndex('staff_alerts_open_idx')
    .on('staff_alerts')
    .columns(['kind', 'id'])
    .where(sql.ref('resolved_at'), 'is', null)
    .execute();

  // The shortage sweep and "item discontinued" read only the lines still waiting.
  await db.schema
    .createIndex('order_lines_waiting_idx')
    .on('order_lines')
    .columns(['item_id', 'id'])
    .where(sql.ref('quantity_backordered'), '>', 0)
    .execute();

  // What each item × channel last showed, so a change is noticed once and acted on once.
  await db.schema
    .createTable('availability_snapshots')
    .addColumn('item_id', ref, (c) => c.notNull().references('items.id'))
    .addColumn('channel_id', ref, (c) => c.notNull().references('channels.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('available', 'integer', (c) => c.notNull())
    /** When the next "notify me" wave is due while subscribers still wait; null: none. */
    .addColumn('next_wave_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('availability_snapshots_pk', ['item_id', 'channel_id'])
    .execute();
  await db.schema
    .createIndex('availability_snapshots_wave_idx')
    .on('availability_snapshots')
    .columns(['next_wave_at'])
    .where(sql.ref('next_wave_at'), 'is not', null)
    .execute();

  // Items whose availability may have changed, appended by triggers and consumed by the
  // availability watcher. Append-only inserts take no locks writers could contend on.
  await withId(db, db.schema.createTable('availability_changes'))
    .addColumn('item_id', ref, (c) => c.notNull())
    .execute();

  if (pg) await postgresTriggers(db);
  else await sqliteTriggers(db);
  // An upgraded database: the watcher's first pass records what every item shows now
  // (and opens the alerts that are already due), so later changes have a baseline.
  await sql`insert into availability_changes (item_id) select id from items order by id`.execute(
    db,
  );
}

/** Columns whose change can change what an item shows as available or promisable. */
const ITEM_COLUMNS =
  'status, low_stock_threshold, backorder_policy, backorder_cap, release_date, preorders_enabled, handling_days';

async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  const mark = (table: string, when: string, itemExpr: string) =>
    sql
      .raw(
        `create trigger ${table}_${when.split(' ')[0]!.toLowerCase()}_marks_availability
         after ${when} on ${table}
         begin insert into availability_changes (item_id) ${itemExpr}; end`,
      )
      .execute(db);
  await mark('stock', 'INSERT', 'values (new.item_id)');
  await mark('stock', 'UPDATE OF on_hand, reserved, safety_stock', 'values (new.item_id)');
  await mark('items', `UPDATE OF ${ITEM_COLUMNS}`, 'values (new.id)');
  await mark('purchase_order_lines', 'INSERT', 'values (new.item_id)');
  await mark(
    'purchase_order_lines',
    'UPDATE OF quantity_ordered, quantity_received, quantity_cancelled, quantity_promised, expected_date, confidence',
    'values (new.item_id)',
  );
  await mark(
    'purchase_orders',
    'UPDATE OF state',
    'select item_id from purchase_order_lines where purchase_order_id = new.id',
  );
  await mark('supplier_items', 'INSERT', 'values (new.item_id)');
  await mark('supplier_items', 'UPDATE', 'values (new.item_id)');
  await mark('transfers', 'INSERT', 'values (new.item_id)');
  await mark(
    'transfers',
    'UPDATE OF quantity_received, quantity_promised, state, expected_date',
    'values (new.item_id)',
  );
}

async function postgresTriggers(db: Kysely<unknown>): Promise<void> {
  // Functions pin the schema they were created in: tests run one schema per database.
  await sql`
    create function stockroom_mark_item_row() returns trigger language plpgsql
    set search_path from current as $$
    begin
      insert into availability_changes (item_id) values (new.item_id);
      return null;
    end $$`.execute(db);
  await sql`
    create function stockroom_mark_item() returns trigger language plpgsql
    set search_path from current as $$
    begin
      insert into availability_changes (item_id) values (new.id);
      return null;
    end $$`.execute(db);
  await sql`
    create function stockroom_mark_purchase_order() returns trigger language plpgsql
    set search_path from current as $$
    begin
      insert into availability_changes (item_id)
        select item_id from purchase_order_lines where purchase_order_id = new.id;
      return null;
    end $$`.execute(db);
  // Live events: every committed batch of domain events wakes the listeners of all
  // processes (NOTIFY is delivered at commit, and not at all on rollback).
  await sql`
    create function stockroom_notify_events() returns trigger language plpgsql
    set search_path from current as $$
    begin
      perform pg_notify('stockroom_events', current_schema());
      return null;
    end $$`.execute(db);

  const triggers = [
    ['stock', 'insert', 'stockroom_mark_item_row'],
    ['stock', 'update of on_hand, reserved, safety_stock', 'stockroom_mark_item_row'],
    ['items', `update of ${ITEM_COLUMNS}`, 'stockroom_mark_item'],
    ['purchase_order_lines', 'insert', 'stockroom_mark_item_row'],
    [
      'purchase_order_lines',
      'update of quantity_ordered, quantity_received, quantity_cancelled, quantity_promised, expected_date, confidence',
      'stockroom_mark_item_row',
    ],
    ['purchase_orders', 'update of state', 'stockroom_mark_purchase_order'],
    // Lead times decide promises under the lead_time policy.
    ['supplier_items', 'insert', 'stockroom_mark_item_row'],
    ['supplier_items', 'update', 'stockroom_mark_item_row'],
    ['transfers', 'insert', 'stockroom_mark_item_row'],
    [
      'transfers',
      'update of quantity_received, quantity_promised, state, expected_date',
      'stockroom_mark_item_row',
    ],
  ] as const;
  for (const [table, when, fn] of triggers) {
    const name = `${table}_${when.split(' ')[0]}_marks_availability`;
    await sql
      .raw(`create trigger ${name} after ${when} on ${table} for each row execute function ${fn}()`)
      .execute(db);
  }
  await sql`
    create trigger domain_events_notify after insert on domain_events
    for each statement execute function stockroom_notify_events()`.execute(db);
}
