import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.js';
import type { ChannelPicture, Move } from '../domain/notify-waves.js';
import type { MessagingSettings } from '../kernel/messaging-settings.js';
import type { ItemRulesRow } from './availability.repository.js';
import type { SnapshotRow } from './availability-watcher.repository.js';
import type { WatchedChannel } from './channel-availability.js';

/**
 * What the availability watcher's findings cause in other capabilities ("notify me"
 * waves, low-stock alerts). Availability is a foundation others look things up in, so it
 * knows none of them: they register a reaction at start (src/app/availability-reactions.ts)
 * and the watcher calls each one inside the transaction that records the snapshots, so
 * the consequences commit with the sighting or not at all.
 */

/** A chunk of items the watcher is about to examine, inside its transaction. */
export interface WatchedChunk {
  items: readonly ItemRulesRow[];
  channels: readonly WatchedChannel[];
  /** ISO instant of this round, and its day. */
  now: string;
  today: string;
  settings: MessagingSettings;
}

/** One item × channel this watcher recorded (only it acts on it). */
export interface Sighting {
  item: ItemRulesRow;
  channel: WatchedChannel;
  /** What the snapshot held before; null the first time the item × channel is seen. */
  previous: SnapshotRow | null;
  current: ChannelPicture;
  move: Move;
}

/**
 * Called for each sighting of the chunk, in item then channel order. Returns how many
 * subscribers it notified (the item.back_in_stock event carries the sum).
 */
export type SightingReaction = (trx: Transaction<DB>, sighting: Sighting) => Promise<number>;

/**
 * Reads what the reaction needs about a whole chunk (a statement or two, not one per
 * item), before the watcher writes anything, and returns the reaction to each sighting.
 */
export type AvailabilityReaction = (
  trx: Transaction<DB>,
  chunk: WatchedChunk,
) => Promise<SightingReaction>;

const reactions = new Map<string, AvailabilityReaction>();

/**
 * Registers (or replaces, so starting twice is harmless) the reaction called `name`.
 * Reactions run in the order first registered.
 */
export function registerAvailabilityReaction(name: string, reaction: AvailabilityReaction): void {
  reactions.set(name, reaction);
}

/** The registered reactions, prepared for one chunk, in registration order. */
export async function prepareReactions(
  trx: Transaction<DB>,
  chunk: WatchedChunk,
): Promise<SightingReaction[]> {
  const prepared: SightingReaction[] = [];
  for (const reaction of reactions.values()) prepared.push(await reaction(trx, chunk));
  return prepared;
}
