import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../db/schema.js';
import type { ApiKeysTable } from '../db/tables/api-keys.js';

export type ApiKeyRow = Selectable<ApiKeysTable> & { channel_code: string | null };

function selectKeys(db: Db) {
  return db
    .selectFrom('api_keys')
    .leftJoin('channels', 'channels.id', 'api_keys.channel_id')
    .selectAll('api_keys')
    .select('channels.code as channel_code');
}

export function findActiveKeyByHash(db: Db, keyHash: string): Promise<ApiKeyRow | undefined> {
  return selectKeys(db)
    .where('api_keys.key_hash', '=', keyHash)
    .where('api_keys.revoked_at', 'is', null)
    .executeTakeFirst();
}

export function findKeyById(db: Db, id: number): Promise<ApiKeyRow | undefined> {
  return selectKeys(db).where('api_keys.id', '=', id).executeTakeFirst();
}

export function listKeys(
  db: Db,
  filter: { afterId: number; limit: number; includeRevoked: boolean },
) {
  let query = selectKeys(db)
    .where('api_keys.id', '>', filter.afterId)
    .orderBy('api_keys.id')
    .limit(filter.limit);
  if (!filter.includeRevoked) query = query.where('api_keys.revoked_at', 'is', null);
  return query.execute();
}

export async function insertKey(db: Db, values: Insertable<ApiKeysTable>): Promise<number> {
  const { id } = await db
    .insertInto('api_keys')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function revokeKey(db: Db, id: number, now: string): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function countKeys(db: Db): Promise<number> {
  const { n } = await db
    .selectFrom('api_keys')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}
