/**
 * Which reservations a partial cancel gives back (issue 15, item 4): the ones that keep
 * the order's shipment in the fewest places. Line by line, in the order asked:
 *
 * 1. allocations at a location no other line of the order still draws on come first,
 *    since emptying one takes a stop off the shipment; a location other lines keep
 *    stays a stop whatever happens, so its units are released last;
 * 2. among those, the smallest allocation first: emptying the small ones removes the
 *    most stops for the units cancelled;
 * 3. a tie goes to the higher location id (the location created later), so the
 *    choice never depends on the order rows were read in.
 */

export interface HeldUnits {
  lineId: number;
  locationId: number;
  quantity: number;
}

export interface Released {
  lineId: number;
  locationId: number;
  quantity: number;
}

/**
 * `held`: every allocation of the order (all its lines), as they stand. `cancels`: the
 * reserved units to release per line, in the order they are processed. Returns what to
 * release, per line and location; throws if a line holds fewer units than asked.
 */
export function chooseReleases(
  held: readonly HeldUnits[],
  cancels: readonly { lineId: number; quantity: number }[],
): Released[] {
  const left = held.map((h) => ({ ...h }));
  const released: Released[] = [];
  for (const cancel of cancels) {
    const stopsElsewhere = (locationId: number) =>
      left.some((h) => h.lineId !== cancel.lineId && h.locationId === locationId && h.quantity > 0);
    const own = left
      .filter((h) => h.lineId === cancel.lineId && h.quantity > 0)
      .map((h) => ({ h, shared: stopsElsewhere(h.locationId) }))
      .sort(
        (a, b) =>
          Number(a.shared) - Number(b.shared) ||
          a.h.quantity - b.h.quantity ||
          b.h.locationId - a.h.locationId,
      );
    let wanted = cancel.quantity;
    for (const { h } of own) {
      if (wanted === 0) break;
      const take = Math.min(h.quantity, wanted);
      h.quantity -= take;
      wanted -= take;
      released.push({ lineId: h.lineId, locationId: h.locationId, quantity: take });
    }
    if (wanted > 0) {
      throw new Error(
        `Line ${cancel.lineId} holds ${cancel.quantity - wanted} reserved units, not ${cancel.quantity}`,
      );
    }
  }
  return released;
}

/** How many places the held units ship from. */
export function stopsOf(held: readonly HeldUnits[]): number {
  return new Set(held.filter((h) => h.quantity > 0).map((h) => h.locationId)).size;
}
