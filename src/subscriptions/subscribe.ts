import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { ChannelScope } from '../access/channel-scope.js';
import { insertSnapshots } from '../availability/availability-watcher.repository.js';
import { availabilityOnChannels } from '../availability/channel-availability.js';
import { requireChannel } from '../catalogue/channels.service.js';
import { requireItem } from '../catalogue/items.service.js';
import type { DB } from '../db/schema.js';
import { isPhysicallyAvailable } from '../domain/notify-waves.js';
import type { AppContext } from '../kernel/context.js';
import {
  type IdempotentRequest,
  transactionWithAnswer,
} from '../kernel/idempotency/idempotency.service.js';
import { BadRequestError, ConflictError, NotFoundError } from '../shared/errors.js';
import { toNewSubscription } from './subscription-view.js';
import * as repo from './subscriptions.repository.js';
import type { CreateSubscriptionBody, NewSubscription } from './subscriptions.schemas.js';

type Item = Awaited<ReturnType<typeof requireItem>>;
type Channel = Awaited<ReturnType<typeof requireChannel>>;

/**
 * Joins the queue for an item on a channel (a channel key's scope limits `customerId`).
 * A contact already waiting gets its place back (created: false) rather than a second
 * one. Refused for an item that will never come back (discontinued) and for one that can
 * be bought from stock now (IN_STOCK: nothing to wait for).
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
  const name = await subscriberName(ctx, input, scope);
  if (item.status === 'discontinued') {
    throw new ConflictError(
      'ITEM_DISCONTINUED',
      `${item.sku} is discontinued and will not come back; ask for its alternatives`,
      { sku: item.sku },
    );
  }
  const now = ctx.clock.now().toISOString();
  return transactionWithAnswer(
    ctx,
    idempotency,
    (trx) => joinQueue(trx, { input, item, channel, contact, name }, now),
    (result) => ({ status: result.created ? 201 : 200, body: result.subscription }),
  );
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

/** The name given, else the linked customer's; a customer must exist (within the scope). */
async function subscriberName(
  ctx: AppContext,
  input: CreateSubscriptionBody,
  scope: ChannelScope,
): Promise<string | null> {
  const name = input.name ?? null;
  if (input.customerId === undefined) return name;
  // A channel key links only its own channel's customers; any other is "no customer".
  const customer = await repo.findCustomer(ctx.db, input.customerId, scope);
  if (!customer) {
    throw new NotFoundError('CUSTOMER_NOT_FOUND', `No customer with id ${input.customerId}`, {
      customerId: input.customerId,
    });
  }
  return name ?? customer.name;
}

async function joinQueue(
  trx: Transaction<DB>,
  join: {
    input: CreateSubscriptionBody;
    item: Item;
    channel: Channel;
    contact: string;
    name: string | null;
  },
  now: string,
): Promise<{ created: boolean; subscription: NewSubscription }> {
  const { input, item, channel, contact } = join;
  const key = { itemId: item.id, channelId: channel.id, contact };
  const existing = await repo.findWaiting(trx, key);
  if (existing) return { created: false, subscription: toNewSubscription(existing) };
  const picture = await pictureNow(trx, item, channel, now);
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
    name: join.name,
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
  const row = id === null ? await repo.findWaiting(trx, key) : await repo.findSubscription(trx, id);
  return { created: id !== null, subscription: toNewSubscription(row!) };
}

/** What the item shows on the channel now, worked out as the watcher does. */
async function pictureNow(trx: Transaction<DB>, item: Item, channel: Channel, now: string) {
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
  return { state: answer.state, available: answer.quantities.available };
}
