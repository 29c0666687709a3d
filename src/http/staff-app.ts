import { stat } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './error-handler.js';

/** dist/web at the package root, from src/http (tsx) and dist/http (built) alike. */
export const DEFAULT_STAFF_APP_DIR = fileURLToPath(new URL('../../dist/web', import.meta.url));

/** Paths that belong to the API: never answered with the app's page. */
const API_PREFIXES = ['/v1', '/docs', '/openapi.json', '/health', '/metrics'];

/**
 * The app's own policy (the API's forbids everything, src/http/security-headers.ts): its
 * scripts from this origin only, none inline; Mantine sets styles inline, hence
 * 'unsafe-inline' for styles alone. connect-src 'self' covers the API and /v1/events.
 */
export const STAFF_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const ASSET_CACHE = 'public, max-age=31536000, immutable';

function isApiPath(path: string): boolean {
  return API_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/** The decoded path of a request URL; undefined when it does not decode (a stray %). */
function pagePath(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url, 'http://app').pathname);
  } catch {
    return undefined;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Serves the staff app (`npm run build` writes it to dist/web) at `/`: its files, and
 * index.html for any other page a browser asks for, so deep links like /items/SKU-1 load
 * the app and its router takes over. API paths and non-HTML requests keep the JSON 404.
 * Hashed /assets/* are cached for good; index.html is revalidated so a deploy shows at once.
 */
export async function installStaffApp(
  app: FastifyInstance,
  dir: string = DEFAULT_STAFF_APP_DIR,
): Promise<void> {
  const root = normalize(dir);
  const built = await isFile(join(root, 'index.html'));
  if (!built) {
    // Still the API's ROUTE_NOT_FOUND (clients may rely on it), with the way out in the message.
    app.get('/', { config: { access: 'public' }, schema: { hide: true } }, (request, reply) =>
      sendError(
        request,
        reply,
        404,
        'ROUTE_NOT_FOUND',
        `No route ${request.method} /: the staff app is not built (run \`npm run build\`, then restart)`,
        { method: request.method, url: request.url },
      ),
    );
    return;
  }
  await app.register(fastifyStatic, { root, serve: false });

  const sendIndex = (reply: FastifyReply) =>
    reply
      .header('content-security-policy', STAFF_APP_CSP)
      .header('cache-control', 'no-cache')
      .sendFile('index.html', root, { cacheControl: false });

  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = pagePath(request.url);
    if (path === undefined || isApiPath(path)) return reply.callNotFound();
    const file = normalize(join(root, path));
    if (path !== '/' && file.startsWith(root + sep) && (await isFile(file))) {
      if (path === '/index.html') return sendIndex(reply);
      const asset = path.startsWith('/assets/');
      return reply
        .header('content-security-policy', STAFF_APP_CSP)
        .header('cache-control', asset ? ASSET_CACHE : 'no-cache')
        .sendFile(path.slice(1), root, { cacheControl: false });
    }
    const accept = request.headers.accept ?? '';
    if (path === '/' || accept.includes('text/html')) return sendIndex(reply);
    return reply.callNotFound();
  };
  const options = { config: { access: 'public' as const }, schema: { hide: true } };
  app.get('/', options, page);
  app.get('/*', options, page);
}
