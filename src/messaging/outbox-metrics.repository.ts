import type { Db } from '../db/schema.js';

/** The outbox as GET /metrics reports it: SQL only, read at scrape time. */

/** Pending messages per transport and kind, with the creation time of the oldest. */
export async function pendingByKind(db: Db) {
  const rows = await db
    .selectFrom('outbox_messages')
    .select([
      'transport',
      'template',
      (eb) => eb.fn.countAll<number>().as('count'),
      (eb) => eb.fn.min('created_at').as('oldest'),
    ])
    .where('state', '=', 'pending')
    .groupBy(['transport', 'template'])
    .execute();
  return rows.map((row) => ({
    transport: row.transport,
    kind: row.template,
    count: Number(row.count),
    oldest: row.oldest,
  }));
}

/** Dead letters (messages that used up their attempts) per transport and kind. */
export async function deadByKind(db: Db) {
  const rows = await db
    .selectFrom('outbox_messages')
    .select(['transport', 'template', (eb) => eb.fn.countAll<number>().as('count')])
    .where('state', '=', 'dead')
    .groupBy(['transport', 'template'])
    .execute();
  return rows.map((row) => ({
    transport: row.transport,
    kind: row.template,
    count: Number(row.count),
  }));
}

/** Failed delivery attempts, by every dispatcher process, per route they took (smtp, webhook...). */
export async function failedAttemptsByVia(db: Db) {
  const rows = await db
    .selectFrom('message_attempts')
    .select(['via', (eb) => eb.fn.countAll<number>().as('count')])
    .where('outcome', '=', 'failed')
    .groupBy('via')
    .execute();
  return rows.map((row) => ({ via: row.via, count: Number(row.count) }));
}
