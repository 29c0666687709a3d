/**
 * Errors the use cases raise. Each carries a stable machine-readable code and the kind of
 * failure in the use case's own words; src/http/error-status.ts is the one table that
 * turns kinds into HTTP statuses, so services never know about HTTP.
 */
export type ErrorDetails = Record<string, unknown>;

export type ErrorKind =
  /** The request itself is malformed or names something impossible. */
  | 'invalid'
  /** No valid credentials. */
  | 'unauthenticated'
  /** Credentials valid, but not for this. */
  | 'forbidden'
  | 'not_found'
  /** Well-formed, but the current state refuses it (stock, lifecycle, a taken id). */
  | 'conflict'
  /** Well-formed, but cannot be acted on as sent (an idempotency key reused for another request). */
  | 'unprocessable'
  | 'unsupported_media_type'
  /** Too many requests from this client: retry after the given time. */
  | 'rate_limited'
  /** Temporarily unable: retry later. */
  | 'unavailable'
  /** Our fault: a check that should never fail did. */
  | 'internal';

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor(code: string, message: string, details?: ErrorDetails) {
    super('not_found', code, message, details);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, details?: ErrorDetails) {
    super('conflict', code, message, details);
  }
}

export class BadRequestError extends AppError {
  constructor(code: string, message: string, details?: ErrorDetails) {
    super('invalid', code, message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'A valid API key is required: Authorization: Bearer <key>') {
    super('unauthenticated', 'UNAUTHORIZED', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string, details?: ErrorDetails) {
    super('forbidden', 'FORBIDDEN', message, details);
  }
}

export class InsufficientStockError extends ConflictError {
  constructor(message: string, details: ErrorDetails) {
    super('INSUFFICIENT_STOCK', message, details);
  }
}
