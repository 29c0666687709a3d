/**
 * What the HTTP edge of a served process is configured with: rate limits, CORS origins and
 * socket timeouts. `stockroom serve` fills it from the environment (src/config.ts); an app
 * built without it (tests, benchmarks) runs with limits and CORS off and Node's timeouts.
 */
export interface EdgeOptions {
  /** Requests per minute per API key; 0: off. */
  rateLimitPerKey: number;
  /** Failed authentications (401) per minute per client address before 429s; 0: off. */
  authFailureLimit: number;
  /** Origins allowed to call the API from a browser; empty: CORS off. */
  corsOrigins: string[];
  timeouts: ServerTimeouts;
}

/** Milliseconds; 0 turns one off. See docs/operations.md, "Limits and protections". */
export interface ServerTimeouts {
  /** The whole request, headers and body, must arrive within this. */
  requestMs: number;
  /** The request headers must arrive within this. */
  headersMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveMs: number;
  /** A socket with no traffic either way is closed after this. */
  connectionMs: number;
}

export const DEFAULT_TIMEOUTS: ServerTimeouts = {
  requestMs: 30_000,
  headersMs: 10_000,
  // Above the 60 s idle timeout of common load balancers, so they never reuse a socket we
  // are closing (Fastify's own default for the same reason).
  keepAliveMs: 72_000,
  // Well above the live event stream's 15 s heartbeat, which keeps its sockets busy.
  connectionMs: 120_000,
};

type ReadNumber = (name: string, fallback: number, min?: number) => number;

/** Reads the edge settings from the environment (called by loadConfig). */
export function loadEdgeOptions(env: NodeJS.ProcessEnv, num: ReadNumber): EdgeOptions {
  const timeouts: ServerTimeouts = {
    requestMs: num('STOCKROOM_REQUEST_TIMEOUT_MS', DEFAULT_TIMEOUTS.requestMs),
    headersMs: num('STOCKROOM_HEADERS_TIMEOUT_MS', DEFAULT_TIMEOUTS.headersMs),
    keepAliveMs: num('STOCKROOM_KEEP_ALIVE_TIMEOUT_MS', DEFAULT_TIMEOUTS.keepAliveMs),
    connectionMs: num('STOCKROOM_CONNECTION_TIMEOUT_MS', DEFAULT_TIMEOUTS.connectionMs),
  };
  // Node refuses a header deadline later than the whole request's one.
  if (timeouts.requestMs > 0 && timeouts.headersMs > timeouts.requestMs) {
    throw new Error(
      `STOCKROOM_HEADERS_TIMEOUT_MS (${timeouts.headersMs}) must not exceed STOCKROOM_REQUEST_TIMEOUT_MS (${timeouts.requestMs})`,
    );
  }
  return {
    rateLimitPerKey: num('STOCKROOM_RATE_LIMIT_PER_KEY', 6000),
    authFailureLimit: num('STOCKROOM_AUTH_FAILURE_LIMIT', 60),
    corsOrigins: (env.STOCKROOM_CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim().replace(/\/+$/, ''))
      .filter((origin) => origin !== ''),
    timeouts,
  };
}
