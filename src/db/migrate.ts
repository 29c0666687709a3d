import {
  type Kysely,
  type Migration,
  type MigrationResultSet,
  Migrator,
  PostgresAdapter,
  sql,
} from 'kysely';
import * as inventoryCore from './migrations/0001_inventory_core.js';
import * as supply from './migrations/0002_supply.js';
import * as orders from './migrations/0003_orders.js';
import * as communication from './migrations/0004_communication.js';
import * as watchCoverage from './migrations/0005_watch_coverage.js';
import * as customerChannels from './migrations/0006_customer_channels.js';
import * as standardWebhookSecrets from './migrations/0007_standard_webhook_secrets.js';
import * as idempotencyKeys from './migrations/0008_idempotency_keys.js';
import * as replenishment from './migrations/0009_replenishment.js';
import * as staffUsers from './migrations/0010_staff_users.js';
import * as waitingDecisions from './migrations/0011_waiting_decisions.js';
import * as itemPromises from './migrations/0012_item_promises.js';
import * as messageLanguage from './migrations/0013_message_language.js';
import * as syncIndexes from './migrations/0014_sync_indexes.js';
import * as returns from './migrations/0015_returns.js';
import * as accessCache from './migrations/0016_access_cache.js';
import * as holds from './migrations/0017_holds.js';
import * as allocationStrategies from './migrations/0018_allocation_strategies.js';
import * as linePriority from './migrations/0019_line_priority.js';

/**
 * Numbered, forward-only migrations, listed statically so that the built CLI needs no
 * directory scanning. Add new ones at the end; never edit one that has shipped.
 */
const migrations: Record<string, Migration> = {
  '0001_inventory_core': inventoryCore,
  '0002_supply': supply,
  '0003_orders': orders,
  '0004_communication': communication,
  '0005_watch_coverage': watchCoverage,
  '0006_customer_channels': customerChannels,
  '0007_standard_webhook_secrets': standardWebhookSecrets,
  '0008_idempotency_keys': idempotencyKeys,
  '0009_replenishment': replenishment,
  '0010_staff_users': staffUsers,
  '0011_waiting_decisions': waitingDecisions,
  '0012_item_promises': itemPromises,
  '0013_message_language': messageLanguage,
  '0014_sync_indexes': syncIndexes,
  '0015_returns': returns,
  '0016_access_cache': accessCache,
  '0017_holds': holds,
  '0018_allocation_strategies': allocationStrategies,
  '0019_line_priority': linePriority,
};

/** Every migration this code knows, in order: what a migrated database has applied. */
export function migrationNames(): string[] {
  return Object.keys(migrations).sort();
}

// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  if (await isUpToDate(db)) return [];
  // Unless told a schema, Kysely takes a migration table in *any* schema of the database
  // as its own; with several schemas in one database (one per test) it then finds another
  // schema's and skips creating this one's. Pin it to the schema being migrated.
  const migrationTableSchema =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]
          ?.schema
      : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(migrationTableSchema !== undefined && { migrationTableSchema }),
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`Migration ${failed?.migrationName ?? '(set-up)'} failed: ${reason}`, {
      cause: result.error,
    });
  }
  return (result.results ?? []).map((r) => r.migrationName);
}

/**
 * Every process migrates as it starts, and usually there is nothing to do. The migrator
 * would still read the whole catalogue (every schema's tables and columns) before finding
 * that out, which is slow on a big database and fails if another schema's table is
 * dropped mid-read. One look at this schema's own migration table answers it.
 */
// biome-ignore lint/suspicious/noExplicitAny: reads the migrator's own table
async function isUpToDate(db: Kysely<any>): Promise<boolean> {
  const tableQuery =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? sql<{ found: string | null }>`
          select to_regclass(quote_ident(current_schema()) || '.kysely_migration')::text as found`
      : sql<{ found: string | null }>`
          select name as found from sqlite_master where type = 'table' and name = 'kysely_migration'`;
  if (!(await tableQuery.execute(db)).rows[0]?.found) return false;
  const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  const names = new Set(applied.rows.map((row) => row.name));
  const known = Object.keys(migrations);
  return names.size === known.length && known.every((name) => names.has(name));
}
