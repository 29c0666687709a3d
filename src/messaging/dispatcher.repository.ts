import type { Insertable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../db/schema.js';
import type { MessageAttemptsTable, OutboxMessagesTable } from '../db/tables/communication.js';
import type { OutboxRow } from '../kernel/outbox/outbox.repository.js';

/** The dispatcher's side of the outbox: claiming due messages and recording attempts. SQL only. */

export interface Claim {
  /** ISO instant: messages due by then whose lease has passed are claimed. */
  now: string;
  /** ISO instant the lease runs to. */
  until: string;
  worker: string;
  batchSize: number;
  postgres: boolean;
}

/**
 * Claims up to a batch of due messages for this worker, oldest due first, by id. A
 * customer message waits while an earlier one for the same order is still pending (due
 * later, retrying, or in another dispatcher's hands): the customer reads "delayed" after
 * "confirmed", never before. An earlier message that ends dead no longer holds the rest.
 */
export async function claimDueMessages(db: Db, claim: Claim): Promise<OutboxRow[]> {
  const { now, until, worker, batchSize, postgres } = claim;
  const due = (q: Db) =>
    q
      .selectFrom('outbox_messages')
      .select('id')
      .where('state', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<=', now)]))
      .where((w) =>
        w.or([
          w('order_id', 'is', null),
          w('audience', '!=', 'customer'),
          w.not(
            w.exists(
              w
                .selectFrom('outbox_messages as earlier')
                .select('earlier.id')
                .whereRef('earlier.order_id', '=', 'outbox_messages.order_id')
                .whereRef('earlier.id', '<', 'outbox_messages.id')
                .where('earlier.state', '=', 'pending')
                .where('earlier.audience', '=', 'customer'),
            ),
          ),
        ]),
      )
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(batchSize);
  const rows = await db
    // Several dispatchers claim disjoint batches instead of queueing on each other's
    // rows. MATERIALIZED makes PostgreSQL run the locking SELECT once: as a plain
    // `IN (subquery)` the planner may re-run it and claim more than a batch.
    .with(
      (wb) => wb('due').materialized(),
      (q) =>
        postgres
          ? due(q as Db)
              .forUpdate()
              .skipLocked()
          : due(q as Db),
    )
    .updateTable('outbox_messages')
    .set({ locked_by: worker, locked_until: until })
    .where('id', 'in', (eb) => eb.selectFrom('due').select('due.id'))
    // Re-checked on the rows themselves: under READ COMMITTED a row another claim just
    // took is re-evaluated here and dropped rather than claimed twice.
    .where('state', '=', 'pending')
    .where((w) => w.or([w('locked_until', 'is', null), w('locked_until', '<=', now)]))
    .returningAll()
    .execute();
  return rows.sort((a, b) => Number(a.id) - Number(b.id));
}

/**
 * Records an attempt's outcome on a message still pending. `worker`, when given, must
 * still hold it (a failure must not overwrite what a later claim did).
 */
export async function recordOutcome(
  db: Db,
  id: number,
  values: Updateable<OutboxMessagesTable>,
  worker?: string,
): Promise<void> {
  let query = db
    .updateTable('outbox_messages')
    .set(values)
    .where('id', '=', id)
    .where('state', '=', 'pending');
  if (worker !== undefined) query = query.where('locked_by', '=', worker);
  await query.execute();
}

export async function insertAttempt(
  db: Db,
  attempt: Insertable<MessageAttemptsTable>,
): Promise<void> {
  await db.insertInto('message_attempts').values(attempt).execute();
}

/** The secret a webhook signs with; undefined once the webhook is deleted. */
export async function webhookSecret(db: Db, id: number): Promise<string | undefined> {
  const hook = await db
    .selectFrom('webhooks')
    .select('secret')
    .where('id', '=', id)
    .executeTakeFirst();
  return hook?.secret;
}

/** Messages waiting to go (for health and tests): due now or later, not yet dead. */
export async function pendingCount(db: Db): Promise<number> {
  const row = await db
    .selectFrom('outbox_messages')
    .select(sql<number>`count(*)`.as('n'))
    .where('state', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
