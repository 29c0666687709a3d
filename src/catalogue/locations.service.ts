import type { Updateable } from 'kysely';
import { isUniqueViolation } from '../db/errors.js';
import type { Db } from '../db/schema.js';
import type { LocationsTable } from '../db/tables/locations.js';
import type { AppContext } from '../kernel/context.js';
import { decodeCursor, type Page, toPage } from '../shared/cursor.js';
import { BadRequestError, ConflictError, NotFoundError } from '../shared/errors.js';
import type { LocationRow } from './locations.repository.js';
import * as repo from './locations.repository.js';
import type {
  CreateLocationBody,
  ListLocationsQuery,
  Location,
  UpdateLocationBody,
} from './locations.schemas.js';

export function toLocation(row: LocationRow): Location {
  return {
    code: row.code,
    name: row.name,
    kind: row.kind,
    timeZone: row.time_zone,
    latitude: row.latitude,
    longitude: row.longitude,
    sellable: row.sellable === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function checkTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new BadRequestError('INVALID_TIME_ZONE', `${timeZone} is not an IANA time zone`, {
      timeZone,
    });
  }
}

/** A place needs both coordinates: one without the other is refused, not half-stored. */
function checkCoordinates(input: {
  latitude?: number | null | undefined;
  longitude?: number | null | undefined;
}): void {
  const given = [input.latitude, input.longitude].filter((v) => v !== undefined);
  const nulls = given.filter((v) => v === null).length;
  if (given.length === 1 || nulls === 1) {
    throw new BadRequestError(
      'INCOMPLETE_COORDINATES',
      'Give latitude and longitude together (both numbers, or both null to clear them)',
      { latitude: input.latitude ?? null, longitude: input.longitude ?? null },
    );
  }
}

export async function createLocation(
  ctx: AppContext,
  input: CreateLocationBody,
): Promise<Location> {
  const timeZone = input.timeZone ?? 'UTC';
  checkTimeZone(timeZone);
  checkCoordinates(input);
  const now = ctx.clock.now().toISOString();
  try {
    await repo.insertLocation(ctx.db, {
      code: input.code,
      name: input.name,
      kind: input.kind,
      time_zone: timeZone,
      latitude: input.latitude ?? null,
      longitude: input.longitude ?? null,
      sellable: input.sellable === false ? 0 : 1,
      created_at: now,
      updated_at: now,
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError(
        'DUPLICATE_LOCATION',
        `A location with code ${input.code} already exists`,
        {
          code: input.code,
        },
      );
    }
    throw error;
  }
  return getLocation(ctx, input.code);
}

export async function requireLocation(db: Db, code: string): Promise<LocationRow> {
  const row = await repo.findLocationByCode(db, code);
  if (!row)
    throw new NotFoundError('LOCATION_NOT_FOUND', `No location with code ${code}`, { code });
  return row;
}

export async function getLocation(ctx: AppContext, code: string): Promise<Location> {
  return toLocation(await requireLocation(ctx.db, code));
}

export async function updateLocation(
  ctx: AppContext,
  code: string,
  input: UpdateLocationBody,
): Promise<Location> {
  if (input.timeZone !== undefined) checkTimeZone(input.timeZone);
  checkCoordinates(input);
  const values: Updateable<LocationsTable> = { updated_at: ctx.clock.now().toISOString() };
  if (input.name !== undefined) values.name = input.name;
  if (input.kind !== undefined) values.kind = input.kind;
  if (input.timeZone !== undefined) values.time_zone = input.timeZone;
  if (input.latitude !== undefined) values.latitude = input.latitude;
  if (input.longitude !== undefined) values.longitude = input.longitude;
  if (input.sellable !== undefined) values.sellable = input.sellable ? 1 : 0;
  // Channels carry their locations' codes, places and whether they sell: the channel
  // caches must let go before the answer is sent (see updateChannel).
  const mark = ctx.accessChanges?.mark('channels');
  if ((await repo.updateLocation(ctx.db, code, values)) === 0) {
    throw new NotFoundError('LOCATION_NOT_FOUND', `No location with code ${code}`, { code });
  }
  if (mark !== undefined) await ctx.accessChanges!.settle('channels', mark);
  return getLocation(ctx, code);
}

export async function listLocations(
  ctx: AppContext,
  query: ListLocationsQuery,
): Promise<Page<Location>> {
  const [afterId = 0] = decodeCursor(query.cursor);
  const rows = await repo.listLocations(ctx.db, {
    afterId,
    limit: query.limit + 1,
    ...(query.kind !== undefined && { kind: query.kind }),
  });
  return toPage(rows, query.limit, toLocation, (row) => [row.id]);
}
