import { requireChannel } from '../catalogue/channels.service.js';
import { requireItem } from '../catalogue/items.service.js';
import type { AppContext } from '../kernel/context.js';
import { linkSecret } from '../kernel/link-secret.repository.js';
import { DEFAULT_MESSAGING_SETTINGS } from '../kernel/messaging-settings.js';
import { decodeCursor, type Page, toPage } from '../shared/cursor.js';
import { NotFoundError } from '../shared/errors.js';
import { subscriptionOfToken } from '../shared/link-tokens.js';
import { toSubscription } from './subscription-view.js';
import * as repo from './subscriptions.repository.js';
import type { ListSubscriptionsQuery, Subscription } from './subscriptions.schemas.js';

/**
 * "Notify me" (DESIGN section 7): a queue per item × channel, served first come first
 * served by waves when units are back (src/subscriptions/wave-reaction.ts, due-waves.ts);
 * joining is src/subscriptions/subscribe.ts.
 */

export async function getSubscription(ctx: AppContext, id: number): Promise<Subscription> {
  const row = await repo.findSubscription(ctx.db, id);
  if (!row) {
    throw new NotFoundError('SUBSCRIPTION_NOT_FOUND', `No subscription with id ${id}`, { id });
  }
  return toSubscription(row);
}

export async function listSubscriptions(
  ctx: AppContext,
  query: ListSubscriptionsQuery,
): Promise<Page<Subscription>> {
  const [afterId = 0] = decodeCursor(query.cursor);
  const item = query.sku === undefined ? undefined : await requireItem(ctx.db, query.sku);
  const channel =
    query.channel === undefined ? undefined : await requireChannel(ctx.db, query.channel);
  const rows = await repo.listSubscriptions(ctx.db, {
    afterId,
    limit: query.limit + 1,
    ...(item && { itemId: item.id }),
    ...(channel && { channelId: channel.id }),
    ...(query.state !== undefined && { state: query.state }),
  });
  return toPage(rows, query.limit, toSubscription, (row) => [row.id]);
}

/**
 * Leaves the queue, or stops any later message: the token is the credential. Ending an
 * ended subscription is not an error (a second click on the same link).
 */
export async function unsubscribeByToken(ctx: AppContext, token: string): Promise<void> {
  const now = ctx.clock.now().toISOString();
  if (await repo.unsubscribe(ctx.db, token, now)) return;
  if (!(await repo.findSubscriptionByToken(ctx.db, token))) {
    // The token is a secret: not echoed back.
    throw new NotFoundError('SUBSCRIPTION_NOT_FOUND', 'No subscription has this token');
  }
}

/** The subscription a signed unsubscribe link names, with its item's name for the page. */
export async function subscriptionForLink(
  ctx: AppContext,
  token: string,
): Promise<{ id: number; itemName: string }> {
  const secret = await linkSecret(ctx.db, (ctx.messaging ?? DEFAULT_MESSAGING_SETTINGS).linkSecret);
  const id = subscriptionOfToken(secret, token);
  const found = id === null ? undefined : await repo.subscriptionItemName(ctx.db, id);
  if (id === null || found === undefined) {
    throw new NotFoundError(
      'UNSUBSCRIBE_LINK_INVALID',
      'This unsubscribe link is not one we sent, or its subscription is gone',
    );
  }
  return { id, itemName: found };
}

/** One-click unsubscribe: ends the subscription the signed link names; again is fine. */
export async function unsubscribeByLink(
  ctx: AppContext,
  token: string,
): Promise<{ id: number; itemName: string }> {
  const found = await subscriptionForLink(ctx, token);
  await repo.unsubscribeById(ctx.db, found.id, ctx.clock.now().toISOString());
  return found;
}
