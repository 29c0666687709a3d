import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  isCheckViolation,
  isConnectionLoss,
  isDatabaseBusy,
  isOutOfRange,
  isUniqueViolation,
} from '../db/errors.js';
import { ReplayedRefusal } from '../kernel/idempotency/idempotency.service.js';
import { AppError, type ErrorDetails } from '../shared/errors.js';
import { STATUS_OF_KIND } from './error-status.js';

/**
 * The one place where failures become HTTP responses, all in one shape:
 * `{ error: { code, message, details, requestId } }`.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const mapped = mapError(error);
    if (mapped.retryAfterSeconds !== undefined) {
      // An outage, not a bug: one line without the stack, and the client is told when to retry.
      request.log.warn({ code: mapped.code, reason: error.message }, 'database unavailable');
      reply.header('retry-after', String(mapped.retryAfterSeconds));
    } else if (mapped.status >= 500) {
      request.log.error({ err: error }, 'request failed');
    }
    return sendError(request, reply, mapped.status, mapped.code, mapped.message, mapped.details);
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, 404, 'ROUTE_NOT_FOUND', `No route ${request.method} ${request.url}`, {
      method: request.method,
      url: request.url,
    }),
  );
}

export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  details: ErrorDetails = {},
) {
  return reply
    .status(status)
    .header('x-request-id', request.id)
    .type('application/json')
    .send({ error: { code, message, details, requestId: request.id } });
}

interface Mapped {
  status: number;
  code: string;
  message: string;
  details: ErrorDetails;
  /** Set for a temporary database outage: sent as Retry-After. */
  retryAfterSeconds?: number;
}

/** Long enough for the pool to reconnect or the writer to finish; short enough to matter. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;
const BUSY_RETRY_AFTER_SECONDS = 1;

function mapError(error: FastifyError): Mapped {
  if (error instanceof AppError) {
    return {
      status: error instanceof ReplayedRefusal ? error.storedStatus : STATUS_OF_KIND[error.kind],
      code: error.code,
      message: error.message,
      details: error.details,
    };
  }
  if (error.validation) return validationFailure(error);
  const framework = error.code ? FRAMEWORK_ERRORS[error.code] : undefined;
  if (framework) return { ...framework, message: framework.message ?? error.message, details: {} };
  const database = DATABASE_ERRORS.find(({ matches }) => matches(error));
  if (database) return { ...database.mapped, details: {} };
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return { status, code: error.code ?? 'BAD_REQUEST', message: error.message, details: {} };
  }
  return {
    status: 500,
    code: 'INTERNAL_ERROR',
    message: 'Something went wrong on our side',
    details: {},
  };
}

function validationFailure(error: FastifyError): Mapped {
  const issues = (error.validation ?? []).map((issue) => ({
    in: error.validationContext ?? 'request',
    path: issue.instancePath || '/',
    message: describeIssue(issue),
  }));
  return {
    status: 400,
    code: 'VALIDATION_FAILED',
    message: `Invalid ${error.validationContext ?? 'request'}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
    details: { issues },
  };
}

/** Fastify's own errors about the request body; a missing message keeps Fastify's. */
const FRAMEWORK_ERRORS: Record<string, { status: number; code: string; message?: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    status: 400,
    code: 'MALFORMED_JSON',
    message: 'The request body is not valid JSON',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: 'MALFORMED_JSON',
    message: 'The JSON request body is empty',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Send request bodies as application/json',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'BODY_TOO_LARGE' },
};

/**
 * The database's refusals that reach here despite the use cases' own checks: constraints
 * are the last line of defence, outages are temporary. In order: the first match wins.
 */
const DATABASE_ERRORS: { matches: (error: unknown) => boolean; mapped: Omit<Mapped, 'details'> }[] =
  [
    {
      matches: isUniqueViolation,
      mapped: {
        status: 409,
        code: 'ALREADY_EXISTS',
        message: 'A record with that identifier already exists',
      },
    },
    {
      matches: isOutOfRange,
      mapped: {
        status: 409,
        code: 'QUANTITY_OUT_OF_RANGE',
        message:
          'The change would take a quantity beyond what the database can store (2,147,483,647)',
      },
    },
    {
      matches: isCheckViolation,
      mapped: {
        status: 409,
        code: 'CONSTRAINT_VIOLATION',
        message: 'The change would break a stock invariant',
      },
    },
    {
      matches: isConnectionLoss,
      mapped: {
        status: 503,
        code: 'DATABASE_UNAVAILABLE',
        message: 'The database cannot be reached right now; retry shortly',
        retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS,
      },
    },
    {
      matches: isDatabaseBusy,
      mapped: {
        status: 503,
        code: 'DATABASE_BUSY',
        message: 'The database stayed locked by another writer; retry shortly',
        retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS,
      },
    },
  ];

function describeIssue(issue: {
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}) {
  if (issue.keyword === 'additionalProperties') {
    return `has an unknown property "${String(issue.params.additionalProperty)}"`;
  }
  if (issue.keyword === 'required') {
    return `is missing the property "${String(issue.params.missingProperty)}"`;
  }
  return issue.message ?? issue.keyword;
}
