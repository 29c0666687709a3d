import { createPgListen, type ListenLog, type PgListen } from '../db/pg-listen.js';

/** Where the notifications come from: migration 0004's statement trigger on domain_events. */
export const EVENTS_CHANNEL = 'stockroom_events';

export type ListenerLog = ListenLog;
/** `listening` false: the hub polls quickly until the connection is back. */
export type PgListener = PgListen;

/** Listens for committed events; `onNotify` also runs after each (re)connect. */
export function createPgListener(options: {
  url: string;
  onNotify: () => void;
  log: ListenerLog;
}): PgListener {
  return createPgListen({
    url: options.url,
    channels: [EVENTS_CHANNEL],
    applicationName: 'stockroom-events',
    onNotify: () => options.onNotify(),
    onConnected: () => options.onNotify(),
    lostMessage: 'live events: LISTEN connection lost; polling until it is back',
    firstRetryMs: 1_000,
    maxRetryMs: 30_000,
    log: options.log,
  });
}
