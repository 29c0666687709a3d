import { sql } from 'kysely';
import type { Db } from './schema.js';

/** The cheapest statement that proves the database answers (for readiness checks). */
export async function pingDatabase(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
