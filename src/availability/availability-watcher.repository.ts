import { type Selectable, sql } from 'kysely';
import type { Db } from '../db/schema.js';
import type { AvailabilitySnapshotsTable } from '../db/tables/communication.js';
import {
  ITEM_RULE_COLUMNS,
  type ItemRulesRow,
  type StockQuantitiesRow,
} from './availability.repository.js';

/**
 * Reads and writes of the availability watcher: the queue of items whose availability
 * may have changed (filled by triggers), and what each item × channel last showed.
 * Items are named by id lists here, not ranges: the changed items of a batch are
 * scattered over the catalogue.
 */

export type SnapshotRow = Selectable<AvailabilitySnapshotsTable>;

export interface ClaimedChange {
  id: number;
  item_id: number;
}

/**
 * The oldest queued changes. With `lock` (PostgreSQL) the rows stay locked until the
 * caller's transaction ends and other watchers skip them, so several processes share
 * the queue instead of queueing on each other.
 */
export async function claimChanges(db: Db, limit: number, lock: boolean): Promise<ClaimedChange[]> {
  const rows = await db
    .selectFrom('availability_changes')
    .select(['id', 'item_id'])
    .orderBy('id')
    .limit(limit)
    .$if(lock, (qb) => qb.forUpdate().skipLocked())
    .execute();
  return rows.map((r) => ({ id: Number(r.id), item_id: Number(r.item_id) }));
}

/** Deletes exactly the claimed rows: changes queued since then stay for the next run. */
export async function deleteChanges(db: Db, ids: readonly number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 1000) {
    await db
      .deleteFrom('availability_changes')
      .where('id', 'in', ids.slice(i, i + 1000))
      .execute();
  }
}

export function itemRulesByIds(db: Db, ids: readonly number[]): Promise<ItemRulesRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('items')
    .select(ITEM_RULE_COLUMNS)
    .where('id', 'in', ids)
    .orderBy('id')
    .execute();
}

export function stockOfItems(
  db: Db,
  itemIds: readonly number[],
  locationIds: readonly number[],
): Promise<StockQuantitiesRow[]> {
  if (itemIds.length === 0 || locationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('stock')
    .select(['item_id', 'location_id', 'on_hand', 'reserved', 'safety_stock'])
    .where('item_id', 'in', itemIds)
    .where('location_id', 'in', locationIds)
    .execute();
}

export interface ChannelLocationRow {
  channel_id: number;
  channel: string;
  location_id: number | null;
  location: string | null;
}

/**
 * Every channel with its locations for sale (a channel with none has one row of nulls):
 * a location off sale (0018) adds nothing to any channel's availability.
 */
export function channelsWithLocations(db: Db): Promise<ChannelLocationRow[]> {
  return db
    .selectFrom('channels')
    .leftJoin('channel_locations', 'channel_locations.channel_id', 'channels.id')
    .leftJoin('locations', (join) =>
      join
        .onRef('locations.id', '=', 'channel_locations.location_id')
        .on('locations.sellable', '=', 1),
    )
    .select([
      'channels.id as channel_id',
      'channels.code as channel',
      'locations.id as location_id',
      'locations.code as location',
    ])
    .orderBy('channels.id')
    .orderBy('channel_locations.priority')
    .execute();
}

export function snapshotsOf(db: Db, itemIds: readonly number[]): Promise<SnapshotRow[]> {
  if (itemIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('availability_snapshots')
    .selectAll()
    .where('item_id', 'in', itemIds)
    .execute();
}

export interface NewSnapshot {
  item_id: number;
  channel_id: number;
  state: string;
  available: number;
}

/**
 * Records first sightings. A row another watcher recorded first is left alone; returns
 * the keys this call inserted, which are the only ones it may act on.
 */
export async function insertSnapshots(
  db: Db,
  rows: readonly NewSnapshot[],
  now: string,
): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (let i = 0; i < rows.length; i += 200) {
    const done = await db
      .insertInto('availability_snapshots')
      .values(rows.slice(i, i + 200).map((r) => ({ ...r, next_wave_at: null, updated_at: now })))
      .onConflict((oc) => oc.columns(['item_id', 'channel_id']).doNothing())
      .returning(['item_id', 'channel_id'])
      .execute();
    for (const r of done) inserted.add(snapshotKey(Number(r.item_id), Number(r.channel_id)));
  }
  return inserted;
}

export const snapshotKey = (itemId: number, channelId: number) => `${itemId}/${channelId}`;

export interface SnapshotMove {
  itemId: number;
  channelId: number;
  from: { state: string; available: number };
  to: { state: string; available: number };
  /** Clear the wave schedule (the units went, or a first wave is about to set it). */
  resetWave: boolean;
}

/**
 * Moves snapshots from what this watcher read to what it found, each only if nobody
 * moved it since: of two watchers acting on the same change, only the one whose update
 * hits acts. One statement per few hundred moves (UPDATE … FROM VALUES, on both
 * engines; VALUES columns are column1… on both). Returns the keys that moved.
 */
export async function moveSnapshots(
  db: Db,
  moves: readonly SnapshotMove[],
  now: string,
): Promise<Set<string>> {
  const moved = new Set<string>();
  for (let i = 0; i < moves.length; i += 400) {
    const values = sql.join(
      moves
        .slice(i, i + 400)
        .map(
          (m) =>
            sql`(cast(${m.itemId} as bigint), cast(${m.channelId} as bigint), cast(${m.from.state} as text), cast(${m.from.available} as integer), cast(${m.to.state} as text), cast(${m.to.available} as integer), cast(${m.resetWave ? 1 : 0} as integer))`,
        ),
    );
    const { rows } = await sql<{ item_id: number; channel_id: number }>`
      update availability_snapshots
      set state = v.column5,
          available = v.column6,
          updated_at = ${now},
          next_wave_at = case when v.column7 = 1 then null else availability_snapshots.next_wave_at end
      from (values ${values}) as v
      where availability_snapshots.item_id = v.column1
        and availability_snapshots.channel_id = v.column2
        and availability_snapshots.state = v.column3
        and availability_snapshots.available = v.column4
      returning availability_snapshots.item_id, availability_snapshots.channel_id`.execute(db);
    for (const r of rows) moved.add(snapshotKey(Number(r.item_id), Number(r.channel_id)));
  }
  return moved;
}

/**
 * PostgreSQL: one watcher (or wave runner) at a time per item, until the transaction
 * ends. Taken before anything about the items is read, so a watcher that waited reads
 * what the other committed and never writes an older picture over a newer one. Sorted,
 * so two runs never wait on each other in a cycle; transaction-scoped advisory locks,
 * in a key space per schema, block no other writer.
 */
export async function lockItems(db: Db, itemIds: readonly number[]): Promise<void> {
  if (itemIds.length === 0) return;
  await sql`
    select pg_advisory_xact_lock(hashtext(current_schema()), s.id)
    from (select cast(unnest(cast(${[...itemIds]} as bigint[])) as integer) as id order by 1) as s`.execute(
    db,
  );
}

export async function setNextWave(
  db: Db,
  key: { itemId: number; channelId: number },
  at: string | null,
): Promise<void> {
  await db
    .updateTable('availability_snapshots')
    .set({ next_wave_at: at })
    .where('item_id', '=', key.itemId)
    .where('channel_id', '=', key.channelId)
    .execute();
}

/**
 * Schedules a wave for an item × channel that shows units on the shelf while people wait
 * and none is scheduled, if the snapshot still shows that picture.
 */
export async function scheduleIdleWave(
  db: Db,
  key: { itemId: number; channelId: number },
  picture: { state: string; available: number },
  at: string,
): Promise<void> {
  await db
    .updateTable('availability_snapshots')
    .set({ next_wave_at: at })
    .where('item_id', '=', key.itemId)
    .where('channel_id', '=', key.channelId)
    .where('next_wave_at', 'is', null)
    .where('state', '=', picture.state)
    .where('available', '=', picture.available)
    .execute();
}

/** Snapshots whose next wave is due, oldest due first. */
export function dueWaves(db: Db, now: string, limit: number): Promise<SnapshotRow[]> {
  return db
    .selectFrom('availability_snapshots')
    .selectAll()
    .where('next_wave_at', 'is not', null)
    .where('next_wave_at', '<=', now)
    .orderBy('next_wave_at')
    .orderBy('item_id')
    .orderBy('channel_id')
    .limit(limit)
    .execute();
}

/**
 * Takes a due wave for this run: moves next_wave_at from the value read to `to`, only if
 * neither another run nor the watcher moved the snapshot since. Only the taker sends.
 */
export async function takeDueWave(db: Db, due: SnapshotRow, to: string | null): Promise<boolean> {
  const result = await db
    .updateTable('availability_snapshots')
    .set({ next_wave_at: to })
    .where('item_id', '=', due.item_id)
    .where('channel_id', '=', due.channel_id)
    .where('next_wave_at', '=', due.next_wave_at)
    .where('state', '=', due.state)
    .where('available', '=', due.available)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

const RELEASE_MARK = 'release_dates';

/**
 * Queues the items whose release date came since the last sweep (after `mark`, up to and
 * including `today`): a release changes what an item shows with no row changing, so no
 * trigger sees it. The mark moves by a conditional update, in the same transaction as
 * the queueing, so of several processes sweeping at once one queues each day. A database
 * never swept takes yesterday as its mark (the migration that made the queue put every
 * item on it). Returns how many items it queued, or null when the day was done already.
 */
export async function queueReleasedItems(db: Db, today: string): Promise<number | null> {
  const mark = await db
    .selectFrom('sweep_marks')
    .select('value')
    .where('name', '=', RELEASE_MARK)
    .executeTakeFirst();
  if (mark !== undefined && mark.value >= today) return null;
  const taken =
    mark === undefined ? await startMark(db, today) : await moveMark(db, mark.value, today);
  if (!taken) return null;
  const queued = await db
    .insertInto('availability_changes')
    .columns(['item_id'])
    .expression(
      db
        .selectFrom('items')
        .select('id')
        .where('release_date', '>', mark?.value ?? previousDay(today))
        .where('release_date', '<=', today)
        .orderBy('id'),
    )
    .executeTakeFirst();
  return Number(queued.numInsertedOrUpdatedRows ?? 0);
}

async function startMark(db: Db, today: string): Promise<boolean> {
  const result = await db
    .insertInto('sweep_marks')
    .values({ name: RELEASE_MARK, value: today })
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

async function moveMark(db: Db, from: string, to: string): Promise<boolean> {
  const result = await db
    .updateTable('sweep_marks')
    .set({ value: to })
    .where('name', '=', RELEASE_MARK)
    .where('value', '=', from)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

const previousDay = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
