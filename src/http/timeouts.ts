import type { Server } from 'node:http';
import type { FastifyHttpOptions } from 'fastify';
import type { ServerTimeouts } from './edge-options.js';

/**
 * Fastify/Node server options for the socket timeouts. Node checks the request and header
 * deadlines only every `connectionsCheckingInterval` (30 s by default), which would let a
 * trickled body live up to 30 s past its deadline; checking every second at most costs one
 * walk over the open connections.
 */
export function timeoutServerOptions(
  timeouts: ServerTimeouts | undefined,
): Partial<FastifyHttpOptions<Server>> {
  if (!timeouts) return {};
  const deadlines = [timeouts.requestMs, timeouts.headersMs].filter((ms) => ms > 0);
  const checkEvery = Math.max(100, Math.min(1000, ...deadlines.map((ms) => ms / 2)));
  return {
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    connectionTimeout: timeouts.connectionMs,
    http: {
      // 0 leaves Node's default (60 s) rather than turning the header deadline off.
      ...(timeouts.headersMs > 0 && { headersTimeout: timeouts.headersMs }),
      connectionsCheckingInterval: checkEvery,
    },
  };
}
