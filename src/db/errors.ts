/**
 * Recognise constraint violations from either driver. Use cases rely on conditional
 * statements, so these surface only when two requests race to create the same thing
 * or when a CHECK constraint stops a write that slipped past the code.
 */
type DriverError = { code?: unknown; constraint?: unknown };

export function isUniqueViolation(error: unknown): boolean {
  const code = (error as DriverError | null)?.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/**
 * PostgreSQL's integer columns stop at 2^31 − 1 (SQLite's are 64-bit). Inputs are bounded
 * by their schemas and stock by its per-location limit, so this is a safety net: a sum
 * that slipped past them is the client's doing, a 4xx rather than a fault.
 */
export function isOutOfRange(error: unknown): boolean {
  return (error as DriverError | null)?.code === '22003';
}

/**
 * PostgreSQL broke a lock cycle by aborting this transaction (40P01): nothing it wrote
 * stands, so running it again is safe. SQLite has one writer and never deadlocks.
 */
export function isDeadlock(error: unknown): boolean {
  return (error as DriverError | null)?.code === '40P01';
}

export function isCheckViolation(error: unknown): boolean {
  const code = (error as DriverError | null)?.code;
  return code === '23514' || code === 'SQLITE_CONSTRAINT_CHECK';
}

/**
 * The database could not be reached or dropped the connection mid-query: pg's own
 * "Connection terminated" errors, socket errors (ECONNRESET, ECONNREFUSED, …) and the
 * server's SQLSTATEs for an administrator or crash shutdown (57P01–57P03) and for
 * connection exceptions (class 08). Nothing about the request was wrong: it may be
 * retried once PostgreSQL answers again, which the pool notices on its own.
 */
const SOCKET_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

export function isConnectionLoss(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const code = (error as DriverError).code;
  if (typeof code === 'string') {
    if (SOCKET_CODES.has(code)) return true;
    if (code === '57P01' || code === '57P02' || code === '57P03') return true;
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  const message = (error as { message?: unknown }).message;
  if (
    typeof message === 'string' &&
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly/i.test(
      message,
    )
  ) {
    return true;
  }
  // An AggregateError (connecting to every address of a name failed) carries the causes.
  const errors = (error as { errors?: unknown }).errors;
  if (Array.isArray(errors) && errors.length > 0 && errors.every(isConnectionLoss)) return true;
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && cause !== error && isConnectionLoss(cause);
}

/** SQLite's write lock stayed taken for longer than busy_timeout. */
export function isDatabaseBusy(error: unknown): boolean {
  const code = (error as DriverError | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED';
}
