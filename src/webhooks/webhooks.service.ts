import type { Actor, AppContext } from '../kernel/context.js';
import { WEBHOOK_EVENT_TYPES } from '../kernel/events/event-types.js';
import { decodeCursor, type Page, toPage } from '../shared/cursor.js';
import { BadRequestError, NotFoundError } from '../shared/errors.js';
import { newWebhookSecret } from './signature.js';
import { resolveTarget, WebhookTargetForbiddenError } from './target-resolver.js';
import type { WebhookRow } from './webhooks.repository.js';
import * as repo from './webhooks.repository.js';
import type {
  CreateWebhookBody,
  ListDeliveriesQuery,
  ListWebhooksQuery,
  UpdateWebhookBody,
  Webhook,
  WebhookDelivery,
  WebhookWithSecret,
} from './webhooks.schemas.js';

const ALL_EVENTS = '*';
/** How long registration waits for DNS before leaving the check to delivery time. */
const RESOLVE_TIMEOUT_MS = 3000;

function toWebhook(row: WebhookRow): Webhook {
  return {
    id: Number(row.id),
    url: row.url,
    events: row.events,
    description: row.description,
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The schema checks the URL's form; this checks what a URL parser makes of it, since a
 * delivery is POSTed to exactly that.
 */
function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BadRequestError('INVALID_URL', `${url} is not a URL`, { url });
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.hostname === '') {
    throw new BadRequestError('INVALID_URL', `Webhooks are delivered over http or https: ${url}`, {
      url,
    });
  }
  // fetch refuses URLs with credentials; receivers check the signature instead.
  if (parsed.username !== '' || parsed.password !== '') {
    throw new BadRequestError(
      'INVALID_URL',
      'A webhook URL may not carry a user name or password',
      {
        url,
      },
    );
  }
  return url;
}

/**
 * Refuses a URL whose host is or resolves to a loopback, private, link-local or other
 * non-public address (src/webhooks/target-policy.ts), unless the operator allows them.
 * A name that does not resolve now (or not quickly) is accepted: DNS can change either
 * way, so every delivery resolves and checks again (src/messaging/transports/webhook.ts).
 */
async function checkTarget(ctx: AppContext, url: string): Promise<void> {
  if (ctx.webhooks?.allowPrivateTargets) return;
  const { hostname } = new URL(url);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      resolveTarget(hostname),
      new Promise((resolve) => {
        timer = setTimeout(resolve, RESOLVE_TIMEOUT_MS);
      }),
    ]);
  } catch (error) {
    if (!(error instanceof WebhookTargetForbiddenError)) return;
    throw new BadRequestError('WEBHOOK_TARGET_FORBIDDEN', error.message, {
      url,
      host: error.host,
      address: error.address,
      range: error.range,
    });
  } finally {
    clearTimeout(timer);
  }
}

/** The event types as stored: known public names, or '*' alone; sorted. */
function checkEvents(events: readonly string[]): string[] {
  const allowed: readonly string[] = WEBHOOK_EVENT_TYPES;
  const unknown = events.filter((e) => e !== ALL_EVENTS && !allowed.includes(e));
  if (unknown.length > 0) {
    throw new BadRequestError(
      'UNKNOWN_EVENT_TYPE',
      `Unknown event ${unknown.length === 1 ? 'type' : 'types'}: ${unknown.join(', ')}`,
      { unknown, allowed: [...allowed, ALL_EVENTS] },
    );
  }
  if (events.includes(ALL_EVENTS) && events.length > 1) {
    throw new BadRequestError(
      'ALL_EVENTS_ALONE',
      '"*" already takes every event type: send it alone',
      { events },
    );
  }
  return [...events].sort();
}

async function requireWebhook(ctx: AppContext, id: number): Promise<WebhookRow> {
  const row = await repo.findWebhook(ctx.db, id);
  if (!row) throw new NotFoundError('WEBHOOK_NOT_FOUND', `No webhook with id ${id}`, { id });
  return row;
}

export async function createWebhook(
  ctx: AppContext,
  input: CreateWebhookBody,
  actor: Actor,
): Promise<WebhookWithSecret> {
  const url = checkUrl(input.url);
  const events = checkEvents(input.events);
  await checkTarget(ctx, url);
  const secret = newWebhookSecret();
  const now = ctx.clock.now().toISOString();
  const id = await ctx.db.transaction().execute(async (trx) => {
    const id = await repo.insertWebhook(trx, {
      url,
      secret,
      description: input.description ?? null,
      active: 1,
      created_by: actor,
      created_at: now,
      updated_at: now,
    });
    await repo.replaceEvents(trx, id, events);
    return id;
  });
  return { ...toWebhook(await requireWebhook(ctx, id)), secret };
}

export async function listWebhooks(
  ctx: AppContext,
  query: ListWebhooksQuery,
): Promise<Page<Webhook>> {
  const [afterId = 0] = decodeCursor(query.cursor);
  const rows = await repo.listWebhooks(ctx.db, { afterId, limit: query.limit + 1 });
  return toPage(rows, query.limit, toWebhook, (row) => [Number(row.id)]);
}

export async function getWebhook(ctx: AppContext, id: number): Promise<Webhook> {
  return toWebhook(await requireWebhook(ctx, id));
}

/** Changes what is sent; events, when given, replace the set. */
export async function updateWebhook(
  ctx: AppContext,
  id: number,
  input: UpdateWebhookBody,
): Promise<Webhook> {
  const url = input.url === undefined ? undefined : checkUrl(input.url);
  const events = input.events === undefined ? undefined : checkEvents(input.events);
  if (url !== undefined) await checkTarget(ctx, url);
  await ctx.db.transaction().execute(async (trx) => {
    const updated = await repo.updateWebhook(trx, id, {
      updated_at: ctx.clock.now().toISOString(),
      ...(url !== undefined && { url }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.active !== undefined && { active: input.active ? 1 : 0 }),
    });
    if (updated === 0) {
      throw new NotFoundError('WEBHOOK_NOT_FOUND', `No webhook with id ${id}`, { id });
    }
    if (events !== undefined) await repo.replaceEvents(trx, id, events);
  });
  return getWebhook(ctx, id);
}

export async function deleteWebhook(ctx: AppContext, id: number): Promise<void> {
  const now = ctx.clock.now().toISOString();
  const deleted = await ctx.db.transaction().execute((trx) => repo.deleteWebhook(trx, id, now));
  if (deleted === 0) {
    throw new NotFoundError('WEBHOOK_NOT_FOUND', `No webhook with id ${id}`, { id });
  }
}

/**
 * A new secret, at once: deliveries made from now on are signed with it (the receiver
 * should accept either secret while it switches over).
 */
export async function rotateSecret(ctx: AppContext, id: number): Promise<WebhookWithSecret> {
  const secret = newWebhookSecret();
  const updated = await repo.updateWebhook(ctx.db, id, {
    secret,
    updated_at: ctx.clock.now().toISOString(),
  });
  if (updated === 0) {
    throw new NotFoundError('WEBHOOK_NOT_FOUND', `No webhook with id ${id}`, { id });
  }
  return { ...toWebhook(await requireWebhook(ctx, id)), secret };
}

export async function listDeliveries(
  ctx: AppContext,
  id: number,
  query: ListDeliveriesQuery,
): Promise<Page<WebhookDelivery>> {
  const [beforeId = 0] = decodeCursor(query.cursor);
  await requireWebhook(ctx, id);
  const rows = await repo.listDeliveries(ctx.db, {
    webhookId: id,
    limit: query.limit + 1,
    ...(beforeId > 0 && { beforeId }),
  });
  return toPage(
    rows,
    query.limit,
    (row) => ({
      id: Number(row.id),
      eventId: eventIdOf(row.data),
      eventType: row.template,
      state: row.state,
      attempts: row.attempts,
      lastError: row.last_error,
      createdAt: row.created_at,
      sentAt: row.sent_at,
    }),
    (row) => [Number(row.id)],
  );
}

function eventIdOf(data: string): number | null {
  const id = (JSON.parse(data) as { id?: unknown }).id;
  return typeof id === 'number' ? id : null;
}
