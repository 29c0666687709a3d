/**
 * "Notify me" waves and the availability transitions staff and subscribers hear about
 * (DESIGN section 7). Pure: the watcher reads what a channel showed and shows now, and
 * acts on what these rules decide.
 */
import type { AvailabilityState } from './availability.js';

/** What one item shows on one channel: the state and the units that can be sold now. */
export interface ChannelPicture {
  state: AvailabilityState;
  available: number;
}

/** The item's rules the low-stock alert depends on. */
export interface LowStockRule {
  threshold: number;
  active: boolean;
  /** Its release date has come (or it has none): before that nothing is expected on the shelf. */
  released: boolean;
}

/**
 * Units can be sold from stock now. A backorder or preorder is purchasable but is not
 * stock on the shelf, so subscribers are never told "back in stock" for it.
 */
export function isPhysicallyAvailable(picture: ChannelPicture): boolean {
  return picture.available > 0 && (picture.state === 'in_stock' || picture.state === 'low_stock');
}

/**
 * How many subscribers one wave may reach: the units back times the multiple, rounded
 * down, and at least one while anything is back (a multiple below 1 must not starve a
 * single unit).
 */
export function waveSize(available: number, multiple: number): number {
  if (available <= 0) return 0;
  const size = Math.floor(available * multiple);
  return Number.isFinite(size) && size >= 1 ? size : 1;
}

/**
 * Low stock as the alert means it: an active, released item at or below its threshold.
 * A discontinued item is never low: nobody reorders it; nor is an item before its
 * release date, whose stock is still arriving or held for preorders.
 */
export function isLowStock(picture: ChannelPicture, rule: LowStockRule): boolean {
  return (
    rule.active &&
    rule.released &&
    picture.state !== 'discontinued' &&
    picture.state !== 'preorder' &&
    picture.available <= rule.threshold
  );
}

/** What a move between two pictures means for the watcher and the "notify me" queue. */
export interface Move {
  /** State or units differ: an availability.changed event. */
  changed: boolean;
  /** Nothing could be sold from stock before and something can now: a first wave. */
  backInStock: boolean;
}

/** What the low-stock alert of an item × channel must do. */
export interface LowStockChange {
  /** Entering low stock: open the alert. */
  low: boolean;
  /** Leaving low stock (restocked, or no longer active): resolve the alert. */
  recovered: boolean;
}

export interface Transition extends Move, LowStockChange {}

/**
 * The move from `previous` to `current`. With no previous snapshot (the first time the
 * item × channel is seen) there is no change to announce.
 */
export function decideMove(previous: ChannelPicture | null, current: ChannelPicture): Move {
  if (previous === null) return { changed: false, backInStock: false };
  return {
    changed: previous.state !== current.state || previous.available !== current.available,
    backInStock: !isPhysicallyAvailable(previous) && isPhysicallyAvailable(current),
  };
}

/**
 * Whether the low-stock alert opens or resolves. Whether it was low before is read from
 * the open alert, not from the previous snapshot: a snapshot keeps no threshold or
 * status, so a threshold raised over the units on the shelf, or an item made active
 * again, would otherwise go unnoticed, and an alert staff closed by hand is raised again
 * by the next change while still low.
 */
export function decideLowStock(
  current: ChannelPicture,
  rule: LowStockRule,
  lowAlertOpen: boolean,
): LowStockChange {
  const lowNow = isLowStock(current, rule);
  return { low: lowNow && !lowAlertOpen, recovered: !lowNow && lowAlertOpen };
}

/**
 * What a move from `previous` to `current` calls for: the move (decideMove) and, even
 * on a first sighting, the low-stock alert (decideLowStock).
 */
export function decideTransition(
  previous: ChannelPicture | null,
  current: ChannelPicture,
  rule: LowStockRule,
  lowAlertOpen: boolean,
): Transition {
  return { ...decideMove(previous, current), ...decideLowStock(current, rule, lowAlertOpen) };
}

/** When the next wave is due: after the delay while people still wait, else never. */
export function nextWaveAt(
  now: string,
  delayMinutes: number,
  stillWaiting: boolean,
): string | null {
  if (!stillWaiting) return null;
  return new Date(Date.parse(now) + delayMinutes * 60_000).toISOString();
}
