import type { ResolvedChannel, SellingLocation } from '../catalogue/channels.service.js';
import { BadRequestError, ConflictError } from '../shared/errors.js';

/**
 * Where an order sells from. Two optional locations, with different meanings:
 *
 * - `location`, a sale at one store's counter: stock comes from that location alone (the
 *   customer is standing there, and handing over units from another store is impossible),
 *   while a shortfall is promised from the channel's supply as usual. The location is put
 *   first so a backorder's lead-time units are expected where the customer will collect them.
 * - `pickupLocation`, where the customer will collect: stock may come from any of the
 *   channel's locations; under the closest_to_pickup strategy from this one first, then
 *   the nearest others (src/domain/allocation-order.ts).
 */
export interface SellingPoint {
  channel: ResolvedChannel;
  /** Set for a counter sale: the only location stock may be taken from. */
  stockFrom?: number;
  /** Set when the order names where it is collected. */
  pickup?: SellingLocation;
}

export function sellingPoint(
  channel: ResolvedChannel,
  location: string | undefined,
  pickupLocation?: string,
): SellingPoint {
  const pickup = pickupLocation === undefined ? undefined : onChannel(channel, pickupLocation);
  if (location === undefined) return { channel, ...(pickup && { pickup }) };
  const here = onChannel(channel, location);
  return {
    channel: { ...channel, locations: [here, ...channel.locations.filter((l) => l !== here)] },
    stockFrom: here.locationId,
    ...(pickup && { pickup }),
  };
}

/** One of the channel's locations that is for sale: else 400, or 409 when it is off sale. */
function onChannel(channel: ResolvedChannel, code: string): SellingLocation {
  const found = channel.locations.find((l) => l.code === code);
  if (found) return found;
  if (channel.offSale.includes(code)) {
    throw new ConflictError(
      'LOCATION_NOT_SELLABLE',
      `Location ${code} of channel ${channel.code} is off sale (sellable: false); it can neither sell nor be a pickup location until it is for sale again`,
      { channel: channel.code, location: code },
    );
  }
  const codes = channel.locations.map((l) => l.code);
  throw new BadRequestError(
    'LOCATION_NOT_ON_CHANNEL',
    `Channel ${channel.code} does not sell from location ${code}; it sells from ${codes.length > 0 ? codes.join(', ') : 'no location'}`,
    { channel: channel.code, location: code, locations: codes },
  );
}
