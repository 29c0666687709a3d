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

export async function createLocation(
  ctx: AppContext,
  input: CreateLocationBody,
): Promise<Location> {
  const timeZone = input.timeZone ?? 'UTC';
  checkTimeZone(timeZone);
  const now = ctx.clock.now().toISOString();
  try {
    await repo.insertLocation(ctx.db, {
      code: input.code,
      name: input.name,
      kind: input.kind,
      time_zone: timeZone,
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
  const values: Updateable<LocationsTable> = { updated_at: ctx.clock.now().toISOString() };
  if (input.name !== undefined) values.name = input.name;
  if (input.kind !== undefined) values.kind = input.kind;
  if (input.timeZone !== undefined) values.time_zone = input.timeZone;
  if ((await repo.updateLocation(ctx.db, code, values)) === 0) {
    throw new NotFoundError('LOCATION_NOT_FOUND', `No location with code ${code}`, { code });
  }
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
