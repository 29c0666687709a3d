import type { FastifyInstance } from 'fastify';
import { installBodyDrain } from './body-limit.js';
import type { EdgeOptions } from './edge-options.js';
import { installRateLimits } from './rate-limits.js';
import { installSecurityHeaders } from './security-headers.js';

/**
 * The protections at the HTTP edge, installed before authentication so CORS preflights
 * and security headers apply to every answer. Headers and the 413 drain are always on;
 * rate limits and CORS only when `stockroom serve` passes its settings.
 */
export async function installEdgeProtections(
  app: FastifyInstance,
  options: EdgeOptions | undefined,
): Promise<void> {
  installBodyDrain(app);
  await installSecurityHeaders(app, options?.corsOrigins);
  if (options) await installRateLimits(app, options);
}
