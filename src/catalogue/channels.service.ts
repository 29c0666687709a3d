import type { Updateable } from 'kysely';
import { isUniqueViolation } from '../db/errors.js';
import type { Db } from '../db/schema.js';
import type { ChannelsTable } from '../db/tables/channels.js';
import type { AllocationStrategy } from '../domain/allocation-order.js';
import type { GeoPoint } from '../domain/great-circle.js';
import type { AppContext } from '../kernel/context.js';
import { decodeCursor, type Page, toPage } from '../shared/cursor.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import type { ChannelLocation, ChannelRow } from './channels.repository.js';
import * as repo from './channels.repository.js';
import type {
  Channel,
  CreateChannelBody,
  ListChannelsQuery,
  UpdateChannelBody,
} from './channels.schemas.js';
import { findLocationsByCode } from './locations.repository.js';

/** A location a channel sells from, with its place when known (closest_to_pickup). */
export interface SellingLocation extends ChannelLocation {
  point: GeoPoint | null;
}

export interface ResolvedChannel {
  id: number;
  code: string;
  allocationStrategy: AllocationStrategy;
  /**
   * The locations it sells from, in priority order. A location taken off sale
   * (`sellable: false`) is left out, so it adds nothing to any availability answer,
   * quote or reservation made through the channel.
   */
  locations: SellingLocation[];
  /** Codes of its locations that are off sale, for errors that say so. */
  offSale: string[];
}

function toChannel(row: ChannelRow, locations: ChannelLocation[]): Channel {
  return {
    code: row.code,
    name: row.name,
    kind: row.kind,
    locations: locations.map((l) => l.code),
    allocationStrategy: row.allocation_strategy,
    maxHeldUnits: row.max_held_units,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Location codes → ids in the order given; an unknown code is a 404 naming every one. */
async function resolveLocationIds(db: Db, codes: readonly string[]): Promise<number[]> {
  const rows = await findLocationsByCode(db, codes);
  const byCode = new Map(rows.map((r) => [r.code, r.id]));
  const missing = codes.filter((c) => !byCode.has(c));
  if (missing.length > 0) {
    throw new NotFoundError('LOCATION_NOT_FOUND', `Unknown location(s): ${missing.join(', ')}`, {
      codes: missing,
    });
  }
  return codes.map((c) => byCode.get(c)!);
}

export async function createChannel(ctx: AppContext, input: CreateChannelBody): Promise<Channel> {
  const now = ctx.clock.now().toISOString();
  const mark = ctx.accessChanges?.mark('channels');
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const locationIds = await resolveLocationIds(trx, input.locations);
      const id = await repo.insertChannel(trx, {
        code: input.code,
        name: input.name,
        kind: input.kind,
        ...(input.allocationStrategy !== undefined && {
          allocation_strategy: input.allocationStrategy,
        }),
        max_held_units: input.maxHeldUnits ?? null,
        created_at: now,
        updated_at: now,
      });
      await repo.replaceChannelLocations(trx, id, locationIds);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError(
        'DUPLICATE_CHANNEL',
        `A channel with code ${input.code} already exists`,
        {
          code: input.code,
        },
      );
    }
    throw error;
  }
  if (mark !== undefined) await ctx.accessChanges!.settle('channels', mark);
  return getChannel(ctx, input.code);
}

export async function requireChannel(db: Db, code: string): Promise<ResolvedChannel> {
  const channel = await readChannel(db, code);
  if (!channel)
    throw new NotFoundError('CHANNEL_NOT_FOUND', `No channel with code ${code}`, { code });
  return channel;
}

/** A channel with its locations in priority order, or undefined if no channel has the code. */
export async function readChannel(db: Db, code: string): Promise<ResolvedChannel | undefined> {
  const rows = await repo.findChannelWithLocations(db, code);
  const first = rows[0];
  if (!first) return undefined;
  const placed = rows.filter((r) => r.location_id !== null);
  return {
    id: first.id,
    code: first.code,
    allocationStrategy: first.allocation_strategy,
    locations: placed
      .filter((r) => r.sellable === 1)
      .map((r) => ({
        locationId: r.location_id!,
        code: r.location!,
        point:
          r.latitude === null || r.longitude === null
            ? null
            : { latitude: r.latitude, longitude: r.longitude },
      })),
    offSale: placed.filter((r) => r.sellable !== 1).map((r) => r.location!),
  };
}

/**
 * requireChannel through the app's channel cache (src/catalogue/channels.cache.ts) when the
 * context has one: no statement while channels stay as they are. Outside transactions
 * only; the answer is shared and frozen, so copy before changing it.
 */
export function resolveChannel(ctx: AppContext, code: string): Promise<ResolvedChannel> {
  return ctx.channels ? ctx.channels.resolve(code) : requireChannel(ctx.db, code);
}

export async function getChannel(ctx: AppContext, code: string): Promise<Channel> {
  const row = await repo.findChannelByCode(ctx.db, code);
  if (!row) throw new NotFoundError('CHANNEL_NOT_FOUND', `No channel with code ${code}`, { code });
  const locations = await repo.channelLocations(ctx.db, [row.id]);
  return toChannel(row, locations.get(row.id) ?? []);
}

export async function updateChannel(
  ctx: AppContext,
  code: string,
  input: UpdateChannelBody,
): Promise<Channel> {
  const mark = ctx.accessChanges?.mark('channels');
  await ctx.db.transaction().execute(async (trx) => {
    const row = await repo.findChannelByCode(trx, code);
    if (!row)
      throw new NotFoundError('CHANNEL_NOT_FOUND', `No channel with code ${code}`, { code });
    const values: Updateable<ChannelsTable> = { updated_at: ctx.clock.now().toISOString() };
    if (input.name !== undefined) values.name = input.name;
    if (input.kind !== undefined) values.kind = input.kind;
    if (input.allocationStrategy !== undefined)
      values.allocation_strategy = input.allocationStrategy;
    if (input.maxHeldUnits !== undefined) values.max_held_units = input.maxHeldUnits;
    await repo.updateChannel(trx, row.id, values);
    if (input.locations !== undefined) {
      await repo.replaceChannelLocations(
        trx,
        row.id,
        await resolveLocationIds(trx, input.locations),
      );
    }
  });
  if (mark !== undefined) await ctx.accessChanges!.settle('channels', mark);
  return getChannel(ctx, code);
}

export async function listChannels(
  ctx: AppContext,
  query: ListChannelsQuery,
): Promise<Page<Channel>> {
  const [afterId = 0] = decodeCursor(query.cursor);
  const rows = await repo.listChannels(ctx.db, {
    afterId,
    limit: query.limit + 1,
    ...(query.kind !== undefined && { kind: query.kind }),
  });
  const locations = await repo.channelLocations(
    ctx.db,
    rows.map((r) => r.id),
  );
  return toPage(
    rows,
    query.limit,
    (row) => toChannel(row, locations.get(row.id) ?? []),
    (row) => [row.id],
  );
}
