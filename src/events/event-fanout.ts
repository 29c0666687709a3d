import type { Db } from '../db/schema.js';
import { type EventFilter, matchesFilter } from '../domain/event-filter.js';
import type { StreamEvent } from './events.repository.js';
import { eventsAfter, eventsWithIds, idsAbove, newestEventId } from './events.repository.js';
import { IdGaps } from './id-gaps.js';

/** Rows per query; a wake reads at most ROUNDS of them before letting others run. */
const BATCH = 1000;
const ROUNDS = 10;
/** Ids per `id in (…)` when looking for late commits. */
const GAP_CHUNK = 500;

/** One connected client, as the hub sees it. */
export interface Subscriber {
  filter: EventFilter;
  /** Deliver the events after this id (a Last-Event-ID, or the newest id at connect). */
  after: number;
  /**
   * Writes one event. `resumable` is false for a late commit below an id already sent:
   * it must go out without an SSE id, so the client's Last-Event-ID never moves back.
   */
  send(event: StreamEvent, resumable: boolean): void;
  /** False while the client's buffer is full: catching up waits for it (then `wake`). */
  ready(): boolean;
  /** The hub is stopping: end the stream. */
  end(): void;
}

/** One connected client and how far it has been served. */
export interface Client {
  subscriber: Subscriber;
  /** Every event up to this id has been sent to the client or did not match its filter. */
  cursor: number;
  /** The highest id sent with an SSE id, i.e. the client's Last-Event-ID. */
  highest: number;
  /** Ids that catching up sent while the hub still looked for them: not to be sent twice. */
  sentEarly: Set<number>;
  gone: boolean;
}

/**
 * What one read of the event hub does: looks again for late commits, serves clients that
 * resumed behind the hub, then reads what is new and sends it to the clients caught up.
 * The hub runs one read at a time, so each client sees events in id order and each once.
 */
export class EventFanout {
  readonly clients = new Set<Client>();
  private readonly gaps: IdGaps;
  /** The id read up to. Set afresh when the first client arrives after none were connected. */
  private last = 0;
  private primed = false;

  constructor(
    private readonly db: Db,
    gapMs: number,
  ) {
    this.gaps = new IdGaps(gapMs);
  }

  /** Nobody is connected: the next read starts from the newest event again. */
  reset(): void {
    this.primed = false;
  }

  /** Reads once for the connected clients; true if more is left to read. */
  async readOnce(): Promise<boolean> {
    if (this.clients.size === 0) return false;
    if (!this.primed) await this.prime();
    await this.fillGaps();
    const behind = await this.catchUp();
    const ahead = await this.readNew();
    return behind || ahead;
  }

  private send(client: Client, event: StreamEvent): void {
    if (client.gone || !matchesFilter(event, client.subscriber.filter)) return;
    const resumable = event.id > client.highest;
    client.subscriber.send(event, resumable);
    if (resumable) client.highest = event.id;
  }

  /** Starts from the newest event, with the recent ids not (yet) visible as gaps. */
  private async prime(): Promise<void> {
    const newest = await newestEventId(this.db);
    const from = Math.max(0, newest - BATCH);
    const recent = await idsAbove(this.db, from, 2 * BATCH);
    this.gaps.clear();
    for (const client of this.clients) client.sentEarly.clear();
    this.gaps.noteRead(from, recent, Date.now());
    this.last = recent.at(-1) ?? newest;
    this.primed = true;
  }

  private async fillGaps(): Promise<void> {
    const expired = this.gaps.expire(Date.now());
    for (const client of this.clients) for (const id of expired) client.sentEarly.delete(id);
    const wanted = this.gaps.pending();
    for (let i = 0; i < wanted.length; i += GAP_CHUNK) {
      for (const event of await eventsWithIds(this.db, wanted.slice(i, i + GAP_CHUNK))) {
        this.gaps.delete(event.id);
        for (const client of this.clients) {
          if (client.sentEarly.delete(event.id)) continue;
          // Clients not yet past it will read it while catching up.
          if (client.cursor >= event.id) this.send(client, event);
        }
      }
    }
  }

  /** Serves clients that start behind the hub (a resume); returns whether any has more. */
  private async catchUp(): Promise<boolean> {
    let more = false;
    for (const client of [...this.clients]) {
      if (client.gone || client.cursor >= this.last || !client.subscriber.ready()) continue;
      const upTo = this.last;
      const events = await eventsAfter(this.db, client.cursor, {
        upTo,
        channel: client.subscriber.filter.channel,
        limit: BATCH,
      });
      let paused = false;
      for (const event of events) {
        if (client.gone) break;
        this.send(client, event);
        if (this.gaps.has(event.id)) client.sentEarly.add(event.id);
        client.cursor = event.id;
        if (!client.subscriber.ready()) {
          paused = true;
          break;
        }
      }
      if (paused || client.gone) continue;
      if (events.length < BATCH) client.cursor = Math.max(client.cursor, upTo);
      else more = true;
    }
    return more;
  }

  /** Reads what was committed since the last read and fans it out; true if more is left. */
  private async readNew(): Promise<boolean> {
    for (let round = 0; round < ROUNDS; round++) {
      const events = await eventsAfter(this.db, this.last, { limit: BATCH });
      if (events.length === 0) return false;
      const before = this.last;
      this.gaps.noteRead(
        before,
        events.map((e) => e.id),
        Date.now(),
      );
      this.last = events.at(-1)!.id;
      for (const client of this.clients) {
        // A client still catching up reads these itself.
        if (client.gone || client.cursor < before) continue;
        for (const event of events) if (event.id > client.cursor) this.send(client, event);
        client.cursor = Math.max(client.cursor, this.last);
      }
      if (events.length < BATCH) return false;
    }
    return true;
  }
}
