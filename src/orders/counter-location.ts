import type { ResolvedChannel } from '../catalogue/channels.service.js';
import { BadRequestError } from '../shared/errors.js';

/**
 * A sale at one store's counter: stock comes from that location alone (the customer is
 * standing there, and handing over units from another store is impossible), while a
 * shortfall is promised from the channel's supply as usual. The location is put first so
 * a backorder's lead-time units are expected where the customer will collect them.
 */
export interface SellingPoint {
  channel: ResolvedChannel;
  /** Set for a counter sale: the only location stock may be taken from. */
  stockFrom?: number;
}

export function sellingPoint(channel: ResolvedChannel, location: string | undefined): SellingPoint {
  if (location === undefined) return { channel };
  const here = channel.locations.find((l) => l.code === location);
  if (!here) {
    const codes = channel.locations.map((l) => l.code);
    throw new BadRequestError(
      'LOCATION_NOT_ON_CHANNEL',
      `Channel ${channel.code} does not sell from location ${location}; it sells from ${codes.length > 0 ? codes.join(', ') : 'no location'}`,
      { channel: channel.code, location, locations: codes },
    );
  }
  return {
    channel: { ...channel, locations: [here, ...channel.locations.filter((l) => l !== here)] },
    stockFrom: here.locationId,
  };
}
