import type { FastifyRequest, FastifyServerOptions } from 'fastify';

/** Query parameters whose values are customer data (GET /v1/customers?email=…). */
const PRIVATE_PARAMETERS = new Set(['email', 'phone', 'recipient', 'to']);
/** Any other value that looks like an email address or a phone number. */
const LOOKS_PRIVATE = /@|^\+?[\d\s().-]{7,}$/;

/**
 * Logger options for a served process. Request lines keep method, path and status but
 * never an API key or a customer's address: the authorization and cookie headers are
 * censored wherever they would appear, and query values that are (or look like) email
 * addresses or phone numbers are replaced in the logged URL.
 */
export function requestLoggerOptions(
  level: string,
  stream?: NodeJS.WritableStream,
): NonNullable<FastifyServerOptions['logger']> {
  return {
    level,
    ...(stream && { stream }),
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        'request.headers.authorization',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: redactUrl(request.url),
        remoteAddress: request.ip,
      }),
    },
  };
}

export function redactUrl(url: string): string {
  const queryAt = url.indexOf('?');
  if (queryAt === -1) return url;
  const params = new URLSearchParams(url.slice(queryAt + 1));
  for (const [name, value] of [...params]) {
    if (PRIVATE_PARAMETERS.has(name.toLowerCase()) || LOOKS_PRIVATE.test(value)) {
      params.set(name, '[redacted]');
    }
  }
  return `${url.slice(0, queryAt)}?${params.toString().replaceAll('%5Bredacted%5D', '[redacted]')}`;
}
