import { type Kysely, sql } from 'kysely';

/**
 * Messages fit for real customers (issue 15): each customer has a language their messages
 * are written in ('en' for everyone so far), staff may translate any template into
 * another language, and the secret that signs links in messages is kept here when the
 * environment does not give one, so links stay valid across restarts and processes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('customers')
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('en'))
    .execute();
  await db.schema
    .createTable('message_template_translations')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text', (c) => c.notNull())
    .addColumn('sms_body', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('message_template_translations_pk', ['kind', 'language'])
    .execute();
  await db.schema
    .createTable('server_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull().check(sql`length(value) >= 32`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // The dispatcher holds back a customer message while an earlier one for the same order
  // is still pending; this finds those earlier ones without reading the order's history.
  await db.schema
    .createIndex('outbox_order_pending_idx')
    .on('outbox_messages')
    .columns(['order_id', 'id'])
    .where(sql.ref('state'), '=', 'pending')
    .execute();
}
