/**
 * Errors the use cases raise. Each carries a stable machine-readable code and the HTTP
 * status it maps to; src/http/error-handler.ts is the one place that turns them into
 * responses, so services never know about HTTP.
 */
export type ErrorDetails = Record<string, unknown>;

export class AppError extends Error {
  constructor(
    readonly status: number,
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
    super(404, code, message, details);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, details?: ErrorDetails) {
    super(409, code, message, details);
  }
}

export class BadRequestError extends AppError {
  constructor(code: string, message: string, details?: ErrorDetails) {
    super(400, code, message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'A valid API key is required: Authorization: Bearer <key>') {
    super(401, 'UNAUTHORIZED', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string, details?: ErrorDetails) {
    super(403, 'FORBIDDEN', message, details);
  }
}

export class InsufficientStockError extends ConflictError {
  constructor(message: string, details: ErrorDetails) {
    super('INSUFFICIENT_STOCK', message, details);
  }
}
