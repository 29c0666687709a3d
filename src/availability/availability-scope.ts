import { requireChannel } from '../catalogue/channels.service.js';
import { listAllLocations } from '../catalogue/locations.repository.js';
import { requireLocation } from '../catalogue/locations.service.js';
import type { Db } from '../db/schema.js';
import type { ChannelResolver } from '../kernel/context.js';
import { BadRequestError } from '../shared/errors.js';

/** Where an answer is for: a channel's locations, one location, or every location. */
export interface Scope {
  channel: string | null;
  location: string | null;
  locations: { id: number; code: string }[];
  /** Location id → code, built once per answer rather than once per item. */
  codeOf: ReadonlyMap<number, string>;
}

function scopeOf(
  channel: string | null,
  location: string | null,
  locations: Scope['locations'],
): Scope {
  return { channel, location, locations, codeOf: new Map(locations.map((l) => [l.id, l.code])) };
}

/**
 * Scopes of channels from the app's channel cache, built once per cached channel: the
 * cache hands out the same frozen object until the channel changes.
 */
const channelScopes = new WeakMap<object, Scope>();

function channelScope(channel: Awaited<ReturnType<ChannelResolver['resolve']>>): Scope {
  let scope = channelScopes.get(channel);
  if (!scope) {
    scope = scopeOf(
      channel.code,
      null,
      channel.locations.map((l) => ({ id: l.locationId, code: l.code })),
    );
    if (Object.isFrozen(channel)) channelScopes.set(channel, scope);
  }
  return scope;
}

export async function resolveScope(
  db: Db,
  wanted: { channel?: string | undefined; location?: string | undefined },
  /** The app's channel cache (ctx.channels); without it the channel is read. */
  channels?: ChannelResolver,
): Promise<Scope> {
  if (wanted.channel !== undefined && wanted.location !== undefined) {
    throw new BadRequestError(
      'AMBIGUOUS_SCOPE',
      'Ask for a channel or a location, not both',
      wanted,
    );
  }
  if (wanted.channel !== undefined) {
    return channelScope(
      channels ? await channels.resolve(wanted.channel) : await requireChannel(db, wanted.channel),
    );
  }
  if (wanted.location !== undefined) {
    const location = await requireLocation(db, wanted.location);
    return scopeOf(null, location.code, [{ id: location.id, code: location.code }]);
  }
  const all = await listAllLocations(db);
  return scopeOf(
    null,
    null,
    all.map((l) => ({ id: l.id, code: l.code })),
  );
}
