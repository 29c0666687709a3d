import type { ChangeWatch } from '../db/change-watch.js';
import type { Db } from '../db/schema.js';
import type { ChannelResolver } from '../kernel/context.js';
import { NotFoundError } from '../shared/errors.js';
import { VersionedCache } from '../shared/versioned-cache.js';
import { type ResolvedChannel, readChannel } from './channels.service.js';

const CAPACITY = 1_000;

/**
 * Channels with their fulfilling locations by code, for the look-ups every availability
 * answer and order starts with. Emptied when channels, their locations or locations
 * change, in every process (ChangeWatch, topic `channels`). Unknown codes are not kept.
 * The answers are frozen: callers share them.
 */
export function createChannelCache(db: Db, watch: ChangeWatch): ChannelResolver {
  const cache = new VersionedCache<string, ResolvedChannel>(CAPACITY);
  const generation = () => watch.generation('channels');
  const load = async (code: string) => {
    const channel = await readChannel(db, code);
    if (!channel) return null;
    for (const location of channel.locations) Object.freeze(location);
    Object.freeze(channel.locations);
    Object.freeze(channel.offSale);
    return Object.freeze(channel);
  };
  return {
    async resolve(code) {
      const channel = await cache.get(code, generation, () => load(code));
      if (!channel) throw channelNotFound(code);
      return channel;
    },
  };
}

export function channelNotFound(code: string): NotFoundError {
  return new NotFoundError('CHANNEL_NOT_FOUND', `No channel with code ${code}`, { code });
}
