import type { ChannelScope } from '../access/channel-scope.js';
import { requireChannel } from '../catalogue/channels.service.js';
import type { Db } from '../db/schema.js';
import type { PreferredChannel } from '../db/tables/orders.js';
import type { AppContext } from '../kernel/context.js';
import {
  type IdempotentRequest,
  transactionWithAnswer,
} from '../kernel/idempotency/idempotency.service.js';
import { decodeCursor, toPage } from '../shared/cursor.js';
import { BadRequestError, NotFoundError } from '../shared/errors.js';
import type { CustomerRow } from './customers.repository.js';
import * as repo from './customers.repository.js';
import type {
  CreateCustomerBody,
  Customer,
  CustomerPage,
  ListCustomersQuery,
  UpdateCustomerBody,
} from './customers.schemas.js';

export function toCustomer(row: CustomerRow): Customer {
  return {
    id: Number(row.id),
    name: row.name,
    email: row.email,
    phone: row.phone,
    preferredChannel: row.preferred_channel,
    channel: row.channel,
    language: row.language,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

interface Contact {
  email: string | null;
  phone: string | null;
  preferredChannel: PreferredChannel;
}

/**
 * The contact of a customer given with an order, where the preferred channel may be left
 * out: then the address given decides it.
 */
export function orderContact(input: {
  email?: string | null;
  phone?: string | null;
  preferredChannel?: PreferredChannel;
}): Contact {
  const email = input.email ?? null;
  const phone = input.phone ?? null;
  const contact = {
    email,
    phone,
    preferredChannel: input.preferredChannel ?? (email ? 'email' : phone ? 'sms' : 'none'),
  };
  assertReachable(contact);
  return contact;
}

/** A preferred channel needs its address: otherwise messages would silently go elsewhere. */
function assertReachable(contact: Contact): void {
  const needed =
    contact.preferredChannel === 'email' && !contact.email
      ? { path: '/email', what: 'an email address' }
      : contact.preferredChannel === 'sms' && !contact.phone
        ? { path: '/phone', what: 'a phone number' }
        : null;
  if (!needed) return;
  const message = `is required when preferredChannel is "${contact.preferredChannel}"`;
  throw new BadRequestError(
    'VALIDATION_FAILED',
    `Invalid body: ${needed.path} ${message} (messages by ${contact.preferredChannel} need ${needed.what})`,
    { issues: [{ in: 'body', path: needed.path, message }] },
  );
}

/**
 * A customer the caller may use. Out of a channel key's scope is the same 404 as a
 * missing id (same code, message and details), so ids cannot be probed.
 */
export async function requireCustomer(
  db: Db,
  id: number,
  scope: ChannelScope = null,
): Promise<CustomerRow> {
  const row = await repo.findCustomer(db, id, scope);
  if (!row) throw new NotFoundError('CUSTOMER_NOT_FOUND', `No customer with id ${id}`, { id });
  return row;
}

/** The id of a channel staff name for a customer; null clears it. */
async function channelIdOf(db: Db, code: string | null): Promise<number | null> {
  return code === null ? null : (await requireChannel(db, code)).id;
}

export async function createCustomer(
  ctx: AppContext,
  input: CreateCustomerBody,
  idempotency?: IdempotentRequest,
): Promise<Customer> {
  const contact = {
    email: input.email ?? null,
    phone: input.phone ?? null,
    preferredChannel: input.preferredChannel,
  };
  assertReachable(contact);
  const now = ctx.clock.now().toISOString();
  return transactionWithAnswer(ctx, idempotency, async (trx) => {
    const id = await repo.insertCustomer(trx, {
      name: input.name,
      email: contact.email,
      phone: contact.phone,
      preferred_channel: contact.preferredChannel,
      // Created by staff: no channel's key may use them unless staff say which.
      channel_id: await channelIdOf(trx, input.channel ?? null),
      ...(input.language !== undefined && { language: input.language }),
      created_at: now,
      updated_at: now,
    });
    return toCustomer(await requireCustomer(trx, id));
  });
}

export async function getCustomer(ctx: AppContext, id: number): Promise<Customer> {
  return toCustomer(await requireCustomer(ctx.db, id));
}

export async function listCustomers(
  ctx: AppContext,
  query: ListCustomersQuery,
): Promise<CustomerPage> {
  const [afterId = 0] = decodeCursor(query.cursor);
  const rows = await repo.listCustomers(ctx.db, {
    afterId,
    limit: query.limit + 1,
    ...(query.email !== undefined && { email: query.email }),
  });
  return toPage(rows, query.limit, toCustomer, (row) => [Number(row.id)]);
}

/** The change is checked as a whole: the contact it leaves must still reach the customer. */
export async function updateCustomer(
  ctx: AppContext,
  id: number,
  input: UpdateCustomerBody,
): Promise<Customer> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await requireCustomer(trx, id);
    const merged = {
      name: input.name ?? row.name,
      email: input.email !== undefined ? input.email : row.email,
      phone: input.phone !== undefined ? input.phone : row.phone,
      preferredChannel: input.preferredChannel ?? row.preferred_channel,
    };
    assertReachable(merged);
    await repo.updateCustomer(trx, id, {
      name: merged.name,
      email: merged.email,
      phone: merged.phone,
      preferred_channel: merged.preferredChannel,
      ...(input.channel !== undefined && { channel_id: await channelIdOf(trx, input.channel) }),
      ...(input.language !== undefined && { language: input.language }),
      updated_at: ctx.clock.now().toISOString(),
    });
    return toCustomer(await requireCustomer(trx, id));
  });
}
