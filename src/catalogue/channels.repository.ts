import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../db/schema.js';
import type { ChannelsTable } from '../db/tables/channels.js';

export type ChannelRow = Selectable<ChannelsTable>;
export interface ChannelLocation {
  locationId: number;
  code: string;
}

export function findChannelByCode(db: Db, code: string): Promise<ChannelRow | undefined> {
  return db.selectFrom('channels').selectAll().where('code', '=', code).executeTakeFirst();
}

/**
 * A channel with its fulfilling locations in priority order, one row per location (one
 * with null location when it has none), with where each is and whether it sells; [] when
 * no channel has the code. One statement: every order and availability answer starts here.
 */
export function findChannelWithLocations(db: Db, code: string) {
  return db
    .selectFrom('channels')
    .leftJoin('channel_locations', 'channel_locations.channel_id', 'channels.id')
    .leftJoin('locations', 'locations.id', 'channel_locations.location_id')
    .select([
      'channels.id',
      'channels.code',
      'channels.allocation_strategy',
      'locations.id as location_id',
      'locations.code as location',
      'locations.latitude',
      'locations.longitude',
      'locations.sellable',
    ])
    .where('channels.code', '=', code)
    .orderBy('channel_locations.priority')
    .execute();
}

export function listChannels(
  db: Db,
  filter: { afterId: number; limit: number; kind?: ChannelRow['kind'] },
): Promise<ChannelRow[]> {
  let query = db
    .selectFrom('channels')
    .selectAll()
    .where('id', '>', filter.afterId)
    .orderBy('id')
    .limit(filter.limit);
  if (filter.kind !== undefined) query = query.where('kind', '=', filter.kind);
  return query.execute();
}

/** The fulfilling locations of each channel, in priority order. */
export async function channelLocations(
  db: Db,
  channelIds: readonly number[],
): Promise<Map<number, ChannelLocation[]>> {
  const result = new Map<number, ChannelLocation[]>(channelIds.map((id) => [id, []]));
  if (channelIds.length === 0) return result;
  const rows = await db
    .selectFrom('channel_locations')
    .innerJoin('locations', 'locations.id', 'channel_locations.location_id')
    .select(['channel_locations.channel_id', 'locations.id', 'locations.code'])
    .where('channel_locations.channel_id', 'in', channelIds)
    .orderBy('channel_locations.channel_id')
    .orderBy('channel_locations.priority')
    .execute();
  for (const row of rows) result.get(row.channel_id)?.push({ locationId: row.id, code: row.code });
  return result;
}

export async function insertChannel(db: Db, values: Insertable<ChannelsTable>): Promise<number> {
  const { id } = await db
    .insertInto('channels')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function updateChannel(db: Db, id: number, values: Updateable<ChannelsTable>) {
  await db.updateTable('channels').set(values).where('id', '=', id).execute();
}

export async function replaceChannelLocations(
  db: Db,
  channelId: number,
  locationIds: readonly number[],
): Promise<void> {
  await db.deleteFrom('channel_locations').where('channel_id', '=', channelId).execute();
  await db
    .insertInto('channel_locations')
    .values(
      locationIds.map((locationId, priority) => ({
        channel_id: channelId,
        location_id: locationId,
        priority,
      })),
    )
    .execute();
}
