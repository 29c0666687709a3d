import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.js';
import { insertEvents, orderChannels } from './events.repository.js';

export interface NewDomainEvent {
  type: string;
  /** What it is about, e.g. "order:12" or "purchase_order:3". */
  subject: string;
  payload: unknown;
  actor: string;
  now: string;
  /** The channel it concerns; found from the order for order events when not given. */
  channel?: string | null;
}

/** An event as written: with its id (also its SSE id) and the channel it concerns. */
export interface RecordedEvent extends NewDomainEvent {
  id: number;
  channel: string | null;
}

/**
 * What an event causes elsewhere (customer messages, webhook deliveries), run inside the
 * transaction that records it, so the consequences commit with the fact or not at all.
 */
export type EventReaction = (
  trx: Transaction<DB>,
  events: readonly RecordedEvent[],
) => Promise<void>;

// Capabilities register their reactions once at start (src/app/event-reactions.ts), so the
// kernel that records events depends on none of them.
const reactions = new Map<string, EventReaction>();

/** Registers (or replaces, so starting twice is harmless) the reaction called `name`. */
export function registerEventReaction(name: string, reaction: EventReaction): void {
  reactions.set(name, reaction);
}

/**
 * Records a fact in the same transaction as the change that caused it, so that it exists
 * exactly when the change does, and with it the outbox rows its reactions write.
 */
export async function recordEvent(trx: Transaction<DB>, event: NewDomainEvent): Promise<void> {
  await recordEvents(trx, [event]);
}

/** Several facts in one statement, in the given order. */
export async function recordEvents(
  trx: Transaction<DB>,
  events: readonly NewDomainEvent[],
): Promise<void> {
  if (events.length === 0) return;
  const withChannels = await eventsWithChannels(trx, events);
  const ids = await insertEvents(trx, withChannels);
  await reactTo(
    trx,
    withChannels.map((event, i) => ({ ...event, id: ids[i]! })),
  );
}

/**
 * The events with the channel each concerns, found from its order when the event does not
 * name it: what recordEvents writes, for a caller that writes them in a statement of its own
 * (src/orders/batch-rows.repository.ts) and then calls reactTo.
 */
export async function eventsWithChannels(
  trx: Transaction<DB>,
  events: readonly NewDomainEvent[],
): Promise<(NewDomainEvent & { channel: string | null })[]> {
  const channels = await orderChannels(
    trx,
    events
      .filter((e) => channelOf(e) === undefined)
      .map(orderIdOf)
      .filter((id): id is number => id !== undefined),
  );
  return events.map((event) => ({
    ...event,
    channel: channelOf(event) ?? channels.get(orderIdOf(event) ?? -1) ?? null,
  }));
}

/** Runs every registered reaction on events just written, in the same transaction. */
export async function reactTo(
  trx: Transaction<DB>,
  recorded: readonly RecordedEvent[],
): Promise<void> {
  for (const reaction of reactions.values()) await reaction(trx, recorded);
}

/** The order an event is about, from its subject ("order:12"). */
export function orderIdOf(event: NewDomainEvent): number | undefined {
  const match = /^order:(\d+)$/.exec(event.subject);
  return match ? Number(match[1]) : undefined;
}

function channelOf(event: NewDomainEvent): string | undefined {
  if (event.channel) return event.channel;
  const channel = (event.payload as { channel?: unknown } | null)?.channel;
  return typeof channel === 'string' ? channel : undefined;
}
