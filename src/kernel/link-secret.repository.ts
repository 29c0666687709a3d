import { randomBytes } from 'node:crypto';
import type { Db } from '../db/schema.js';

/**
 * The secret that signs links in messages. STOCKROOM_LINK_SECRET wins; without it the
 * first process to need one makes it and keeps it in server_secrets, and every process
 * after reads that one (insert-if-absent, then read: two racing first uses agree).
 */
export async function linkSecret(db: Db, configured: string | null): Promise<string> {
  if (configured) return configured;
  const found = await storedSecret(db);
  if (found !== undefined) return found;
  await db
    .insertInto('server_secrets')
    .values({
      name: 'link_secret',
      value: randomBytes(32).toString('base64url'),
      created_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const made = await storedSecret(db);
  if (made === undefined) throw new Error('The link secret could not be stored');
  return made;
}

async function storedSecret(db: Db): Promise<string | undefined> {
  const row = await db
    .selectFrom('server_secrets')
    .select('value')
    .where('name', '=', 'link_secret')
    .executeTakeFirst();
  return row?.value;
}
