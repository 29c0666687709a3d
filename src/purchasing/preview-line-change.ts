import type { Transaction } from 'kysely';
import type { DB, Db } from '../db/schema.js';
import type { Actor, AppContext } from '../kernel/context.js';
import { NotFoundError } from '../shared/errors.js';
import * as repo from './line-change-preview.repository.js';
import type {
  LineChangePreview,
  PreviewMessage,
  RepromisedLine,
} from './line-change-preview.schemas.js';
import { loadOrder, lockForChange } from './purchase-order-lookup.js';
import type { PurchaseOrderLine, UpdateLineBody } from './purchase-orders.schemas.js';
import { applyLineChange } from './update-purchase-order-line.js';

/**
 * Renders a queued message as it would go out. Messaging owns templates, and purchasing
 * may not import it (docs/ARCHITECTURE.md), so the app passes this in.
 */
export type RenderQueuedMessage = (
  db: Db,
  message: { template: string; transport: 'email' | 'sms' | 'webhook'; data: string },
) => Promise<{ subject: string; text: string }>;

const FIRST_LINES = 4;

/** Thrown to roll the preview's transaction back once it has read what the change did. */
class RollBack extends Error {
  constructor(readonly preview: LineChangePreview) {
    super('preview rolled back');
  }
}

/**
 * What changing a line would do, without doing it: the very change PATCH makes
 * (applyLineChange: re-planning the item's queue, promise events and the customer
 * messages their reactions queue) runs in a transaction that is then rolled back. So the
 * preview and the change cannot disagree, and refuses what the change refuses.
 */
export async function previewLineChange(
  ctx: AppContext,
  id: number,
  lineId: number,
  input: UpdateLineBody,
  actor: Actor,
  render: RenderQueuedMessage,
): Promise<LineChangePreview> {
  const now = ctx.clock.now().toISOString();
  try {
    await ctx.db.transaction().execute(async (trx) => {
      // Locks first: with the order and its items locked, no other transaction can move
      // these promises, so every repromise event after the mark is this change's.
      await lockForChange(trx, id);
      const before = lineOf(await loadOrder(trx, id), id, lineId);
      const mark = await repo.lastEventId(trx);
      await applyLineChange(trx, id, lineId, input, actor, now);
      const after = lineOf(await loadOrder(trx, id), id, lineId);
      const repromised = await repromisedLines(trx, mark, before.sku, render);
      throw new RollBack({ purchaseOrderId: id, before, after, repromised });
    });
  } catch (error) {
    if (error instanceof RollBack) return error.preview;
    throw error;
  }
  throw new Error('unreachable: the preview transaction always rolls back');
}

function lineOf(
  order: { lines: PurchaseOrderLine[] },
  id: number,
  lineId: number,
): PurchaseOrderLine {
  const line = order.lines.find((l) => l.id === lineId);
  if (!line) {
    throw new NotFoundError('LINE_NOT_FOUND', `Purchase order ${id} has no line ${lineId}`, {
      id,
      lines: [lineId],
    });
  }
  return line;
}

interface RepromisedPayload {
  orderId: number;
  lineId: number;
  promiseChangeId: number;
  sku: string;
  waiting: number;
  oldDate: string | null;
  newDate: string | null;
  oldConfidence: 'confirmed' | 'estimated' | null;
  newConfidence: 'confirmed' | 'estimated' | null;
  direction: RepromisedLine['direction'];
}

async function repromisedLines(
  trx: Transaction<DB>,
  mark: number,
  sku: string,
  render: RenderQueuedMessage,
): Promise<RepromisedLine[]> {
  const events = (await repo.repromisedSince(trx, mark))
    .map((e) => JSON.parse(e.payload) as RepromisedPayload)
    .filter((p) => p.sku === sku);
  const orders = await repo.orderCustomers(
    trx,
    events.map((p) => p.orderId),
  );
  const keys = events.flatMap((p) =>
    ['email', 'sms'].map((t) => `promise_change:${p.promiseChangeId}:${t}`),
  );
  const messages = new Map(
    (await repo.messagesByKey(trx, keys)).map((m) => [
      m.dedupe_key.slice(0, m.dedupe_key.lastIndexOf(':')),
      m,
    ]),
  );
  const out: RepromisedLine[] = [];
  for (const p of events) {
    const order = orders.get(p.orderId);
    const queued = messages.get(`promise_change:${p.promiseChangeId}`);
    out.push({
      order: { id: p.orderId, reference: order?.reference ?? null, channel: order?.channel ?? '' },
      line: p.lineId,
      sku: p.sku,
      waiting: p.waiting,
      customer: customerOf(order),
      oldDate: p.oldDate,
      newDate: p.newDate,
      oldConfidence: p.oldConfidence,
      newConfidence: p.newConfidence,
      direction: p.direction,
      message: queued ? await previewMessage(trx, queued, render) : null,
    });
  }
  return out;
}

function customerOf(order: repo.OrderCustomerRow | undefined): RepromisedLine['customer'] {
  if (!order || order.customerId === null) return null;
  const preferred = order.preferredChannel ?? 'none';
  const contact = preferred === 'sms' ? (order.phone ?? order.email) : (order.email ?? order.phone);
  return {
    id: order.customerId,
    name: order.name ?? '',
    contact: contact === null ? null : maskContact(contact),
    preferredChannel: preferred,
  };
}

async function previewMessage(
  trx: Transaction<DB>,
  queued: repo.QueuedMessageRow,
  render: RenderQueuedMessage,
): Promise<PreviewMessage> {
  const rendered = await render(trx, queued);
  return {
    kind: queued.template,
    transport: queued.transport === 'sms' ? 'sms' : 'email',
    recipient: maskContact(queued.recipient),
    subject: rendered.subject,
    firstLines: rendered.text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length > 0)
      .slice(0, FIRST_LINES),
  };
}

/**
 * Enough of an address for staff to recognise it, not enough to copy it off a screen
 * shared at the counter: "ann@example.test" → "a••@example.test", a phone → "•••• 4567".
 */
export function maskContact(contact: string): string {
  const at = contact.indexOf('@');
  if (at > 0) {
    const local = contact.slice(0, at);
    return `${local[0]}${'•'.repeat(Math.min(Math.max(local.length - 1, 2), 6))}${contact.slice(at)}`;
  }
  const digits = contact.replace(/\D/g, '');
  return `•••• ${digits.slice(-4)}`;
}
