import { WEBHOOK_EVENT_TYPES } from '../../../src/kernel/events/event-types';

/** The public event types the stream carries (the server's own list). */
export type LiveEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export const LIVE_EVENT_TYPES: readonly LiveEventType[] = WEBHOOK_EVENT_TYPES;

/** One event as GET /v1/events sends it in `data:` (docs/api.md, the live stream). */
export interface LiveEvent<TData = unknown> {
  id: number;
  type: LiveEventType;
  channel: string | null;
  subject: string;
  createdAt: string;
  data: TData;
}

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';
type Handler = (event: LiveEvent) => void;

/** After the browser gives up (a 401 or 5xx answer), reopen after this, doubling to the max. */
const REOPEN_MIN_MS = 2_000;
const REOPEN_MAX_MS = 30_000;

/**
 * The one EventSource of the app. EventSource reconnects by itself with Last-Event-ID after
 * a dropped connection; it gives up (readyState CLOSED) when the server answers with an
 * error status, as on a restart or an expired session. Then it is reopened here after a
 * delay with `?after=` the last id seen, so nothing committed meanwhile is missed.
 */
export class LiveEventStream {
  private source: EventSource | undefined;
  private lastId: number | undefined;
  private reopenTimer: ReturnType<typeof setTimeout> | undefined;
  private reopenDelay = REOPEN_MIN_MS;
  private readonly handlers = new Set<Handler>();
  private readonly statusListeners = new Set<() => void>();
  private currentStatus: LiveStatus = 'connecting';

  constructor(private readonly url = '/v1/events') {}

  start(): void {
    if (this.source || this.reopenTimer) return;
    this.open();
  }

  stop(): void {
    clearTimeout(this.reopenTimer);
    this.reopenTimer = undefined;
    this.source?.close();
    this.source = undefined;
    this.setStatus('connecting');
  }

  get status(): LiveStatus {
    return this.currentStatus;
  }

  subscribe(handler: Handler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  onStatus(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private open(): void {
    this.reopenTimer = undefined;
    const url = this.lastId === undefined ? this.url : `${this.url}?after=${this.lastId}`;
    const source = new EventSource(url, { withCredentials: true });
    this.source = source;
    source.onopen = () => {
      this.reopenDelay = REOPEN_MIN_MS;
      this.setStatus('live');
    };
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        this.source = undefined;
        this.reopenTimer = setTimeout(() => this.open(), this.reopenDelay);
        this.reopenDelay = Math.min(this.reopenDelay * 2, REOPEN_MAX_MS);
      }
      this.setStatus('reconnecting');
    };
    // Events are named by type, so onmessage never sees them: listen to each type.
    for (const type of LIVE_EVENT_TYPES) {
      source.addEventListener(type, (message) => this.dispatch(message));
    }
  }

  private dispatch(message: MessageEvent<string>): void {
    let event: LiveEvent;
    try {
      event = JSON.parse(message.data) as LiveEvent;
    } catch {
      return;
    }
    // Late events come without an id line (docs/api.md): keep the highest id seen.
    if (message.lastEventId !== '' && (this.lastId === undefined || event.id > this.lastId)) {
      this.lastId = event.id;
    }
    for (const handler of this.handlers) {
      try {
        handler(event);
      } catch (error) {
        console.error('live event handler failed', error);
      }
    }
  }

  private setStatus(status: LiveStatus): void {
    if (status === this.currentStatus) return;
    this.currentStatus = status;
    for (const listener of this.statusListeners) listener();
  }
}
