import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../db/schema.js';
import type { LocationsTable } from '../db/tables/locations.js';

export type LocationRow = Selectable<LocationsTable>;

export function findLocationByCode(db: Db, code: string): Promise<LocationRow | undefined> {
  return db.selectFrom('locations').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function findLocationsByCode(
  db: Db,
  codes: readonly string[],
): Promise<LocationRow[]> {
  if (codes.length === 0) return [];
  return db.selectFrom('locations').selectAll().where('code', 'in', codes).execute();
}

export function listLocations(
  db: Db,
  filter: { afterId: number; limit: number; kind?: LocationRow['kind'] },
): Promise<LocationRow[]> {
  let query = db
    .selectFrom('locations')
    .selectAll()
    .where('id', '>', filter.afterId)
    .orderBy('id')
    .limit(filter.limit);
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  return query.execute();
}

export function listAllLocations(db: Db): Promise<LocationRow[]> {
  return db.selectFrom('locations').selectAll().orderBy('id').execute();
}

export async function insertLocation(db: Db, values: Insertable<LocationsTable>): Promise<void> {
  await db.insertInto('locations').values(values).execute();
}

export async function updateLocation(
  db: Db,
  code: string,
  values: Updateable<LocationsTable>,
): Promise<number> {
  const result = await db
    .updateTable('locations')
    .set(values)
    .where('code', '=', code)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
