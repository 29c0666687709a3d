import { randomBytes } from 'node:crypto';
import type { ChannelScope } from '../access/channel-scope.js';
import { insertSnapshots } from '../availability/availability-watcher.repository.js';
import { availabilityOnChannels } from '../availability/channel-availability.js';
import { requireChannel } from '../catalogue/channels.service.js';
import { requireItem } from '../catalogue/items.service.js';
import { isPhysicallyAvailable } from '../domain/notify-waves.js';
import type { AppContext } from '../kernel/context.js';
import {
  type IdempotentRequest,
  transactionWithAnswer,
} from '../kernel/idempotency/idempotency.service.js';
import { decodeCursor, type Page, toPage } from '../shared/cursor.js';
import { BadRequestError, ConflictError, NotFoundError } from '../shared/errors.js';
import type { SubscriptionRow } from './subscriptions.repository.js';
import * as repo from './subscriptions.repository.js';
import type {
  CreateSubscriptionBody,
  ListSubscriptionsQuery,
  NewSubscription,
  Subscription,
} from './subscriptions.schemas.js';

/**
 * "Notify me" (DESIGN section 7): a queue per item × channel, served first come first
 * served by the availability watcher's waves (src/availability/availability-watcher.ts).
 */

function positionOf(row: SubscriptionRow): number | null {
  return row.state === 'waiting' ? Number(row.waiting_up_to) : null;
}

function toNewSubscription(row: SubscriptionRow): NewSubscription {
  return {
    id: row.id,
    sku: row.sku,
    channel: row.channel,
    state: row.state,
    position: positionOf(row),
    token: row.token,
    createdAt: row.created_at,
  };
}

function toSubscription(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    sku: row.sku,
    channel: row.channel,
    state: row.state,
    position: positionOf(row),
    name: row.name,
    email: row.email,
    phone: row.phone,
    preferredChannel: row.preferred_channel,
    contact: row.contact,
    customerId: row.customer_id,
    wave: row.wave,
    createdAt: row.created_at,
    notifiedAt: row.notified_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The address the preferred channel needs, normalised so the same person is one entry
 * in a queue however they typed it: lower-case email, a phone number's digits (and
 * leading +).
 */
function contactFor(input: CreateSubscriptionBody): string {
  const given = input.preferredChannel === 'email' ? input.email : input.phone;
  if (given === undefined) {
    const field = input.preferredChannel === 'email' ? 'email' : 'phone';
    throw new BadRequestError(
      'CONTACT_REQUIRED',
      `preferredChannel ${input.preferredChannel} needs ${field === 'email' ? 'an email address' : 'a phone number'}`,
      { preferredChannel: input.preferredChannel, missing: field },
    );
  }
  return input.preferredChannel === 'email'
    ? given.trim().toLowerCase()
    : given.trim().replace(/(?!^\+)[^0-9]/g, '');
}

/**
 * Joins the queue for an item on a channel (a channel key's scope limits `customerId`). A contact already waiting gets its place
 * back (created: false) rather than a second one. Refused for an item that will never
 * come back (discontinued) and for one that can be bought from stock now (IN_STOCK:
 * nothing to wait for).
 */
export async function subscribe(
  ctx: AppContext,
  input: CreateSubscriptionBody,
  scope: ChannelScope = null,
  idempotency?: IdempotentRequest,
): Promise<{ created: boolean; subscription: NewSubscription }> {
  const contact = contactFor(input);
  const item = await requireItem(ctx.db, input.sku);
  const channel = await requireChannel(ctx.db, input.channel);
  let name = input.name ?? null;
  if (input.customerId !== undefined) {
    // A channel key links only its own channel's customers; any other is "no customer".
    const customer = await repo.findCustomer(ctx.db, input.customerId, scope);
    if (!customer) {
      throw new NotFoundError('CUSTOMER_NOT_FOUND', `No customer with id ${input.customerId}`, {
        customerId: input.customerId,
      });
    }
    name ??= customer.name;
  }
  if (item.status === 'discontinued') {
    throw new ConflictError(
      'ITEM_DISCONTINUED',
      `${item.sku} is discontinued and will not come back; ask for its alternatives`,
      { sku: item.sku },
    );
  }
  const now = ctx.clock.now().toISOString();
  const key = { itemId: item.id, channelId: channel.id, contact };
  return transactionWithAnswer(
    ctx,
    idempotency,
    async (trx) => {
      const existing = await repo.findWaiting(trx, key);
      if (existing) return { created: false, subscription: toNewSubscription(existing) };

      const answers = await availabilityOnChannels(
        trx,
        [item.id],
        [
          {
            id: channel.id,
            code: channel.code,
            locations: channel.locations.map((l) => ({ id: l.locationId, code: l.code })),
          },
        ],
        now.slice(0, 10),
      );
      const answer = answers.get(item.id)!.byChannel.get(channel.id)!;
      const picture = { state: answer.state, available: answer.quantities.available };
      if (isPhysicallyAvailable(picture)) {
        throw new ConflictError(
          'IN_STOCK',
          `${item.sku} can be bought on ${channel.code} now: there is nothing to wait for`,
          { sku: item.sku, channel: channel.code, ...picture },
        );
      }
      // The watcher announces a return only against what the channel showed before; make
      // sure there is a "before" for this item, or its first return would pass unnoticed.
      await insertSnapshots(trx, [{ item_id: item.id, channel_id: channel.id, ...picture }], now);

      const id = await repo.insertSubscription(trx, {
        item_id: item.id,
        channel_id: channel.id,
        name,
        email: input.email ?? null,
        phone: input.phone ?? null,
        preferred_channel: input.preferredChannel,
        contact,
        customer_id: input.customerId ?? null,
        // The only credential for unsubscribing: unguessable, URL-safe.
        token: randomBytes(24).toString('base64url'),
        state: 'waiting',
        wave: null,
        created_at: now,
        notified_at: null,
        updated_at: now,
      });
      // null: the same contact joined a moment ago, in another request.
      const row =
        id === null ? await repo.findWaiting(trx, key) : await repo.findSubscription(trx, id);
      return { created: id !== null, subscription: toNewSubscription(row!) };
    },
    (result) => ({ status: result.created ? 201 : 200, body: result.subscription }),
  );
}

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
