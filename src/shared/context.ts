import type { Kysely } from 'kysely';
import type { DatabaseKind } from '../db/database.js';
import type { DB } from '../db/schema.js';
import type { Clock } from './clock.js';

/**
 * What every use case needs, passed explicitly instead of resolved from a container.
 * Ports for mail, SMS and webhooks join here as their capabilities arrive.
 */
export interface AppContext {
  db: Kysely<DB>;
  dbKind: DatabaseKind;
  clock: Clock;
}

/** Who did it, as written to the ledger: an API key (`key:3/ops`) or the CLI (`cli:alice`). */
export type Actor = string;
