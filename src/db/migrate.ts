import { type Kysely, type Migration, type MigrationResultSet, Migrator } from 'kysely';
import * as inventoryCore from './migrations/0001_inventory_core.js';

/**
 * Numbered, forward-only migrations, listed statically so that the built CLI needs no
 * directory scanning. Add new ones at the end; never edit one that has shipped.
 */
const migrations: Record<string, Migration> = {
  '0001_inventory_core': inventoryCore,
};

// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed`, {
      cause: result.error,
    });
  }
  return (result.results ?? []).map((r) => r.migrationName);
}
