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

/**
 * Numbered, forward-only migrations, listed statically so that the built CLI needs no
 * directory scanning. Add new ones at the end; never edit one that has shipped.
 */
const migrations: Record<string, Migration> = {
  '0001_inventory_core': inventoryCore,
  '0002_supply': supply,
  '0003_orders': orders,
  '0004_communication': communication,
};

// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
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
