import type { Kysely } from 'kysely';
import { findAlternatives } from '../availability/alternatives.service.js';
import { isPostgres } from '../db/dialect.js';
import type { Db } from '../db/schema.js';
import type { MessageKind } from '../domain/customer-messages.js';
import type { AppContext } from '../kernel/context.js';
import type { MessagingSettings } from '../kernel/messaging-settings.js';
import { type Clock, systemClock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import {
  DEFAULT_TEMPLATES,
  isMessageKind,
  KIND_TITLES,
  type MessageTemplate,
  renderTemplate,
} from './templates.js';
import { findTemplateRow } from './templates.repository.js';

/**
 * Turns an outbox row's data into the words that go out. The data holds facts as the
 * cause knew them (SKUs, line ids, ISO dates); the view adds what a reader needs: item
 * names, readable dates, links into the shop, alternatives, the shop's name.
 */

/** How many alternatives a message offers at most. */
export const MESSAGE_ALTERNATIVES = 3;

export interface NamedItem {
  sku: string;
  name: string;
}

/** What the database adds to a message's data. */
export interface ViewFacts {
  /** SKU → item name, for the SKUs the data names. */
  itemNames: ReadonlyMap<string, string>;
  /** Order line id → its item. */
  lineItems: ReadonlyMap<number, NamedItem>;
  /** Items to offer instead, best first; null when none were looked up. */
  alternatives: readonly NamedItem[] | null;
}

export const NO_FACTS: ViewFacts = {
  itemNames: new Map(),
  lineItems: new Map(),
  alternatives: null,
};

export interface RenderedMessage {
  subject: string;
  text: string;
  /** null for SMS. */
  html: string | null;
}

/**
 * Renders an outbox message with the kind's template (the stored override, else the
 * default). The dispatcher calls it once, at the first attempt, and keeps the result.
 * Throws for a kind with no template (a webhook delivery or a typo): nothing can be sent.
 */
export async function renderOutboxMessage(
  db: Db,
  message: { template: string; transport: 'email' | 'sms' | 'webhook'; data: string },
  settings: MessagingSettings,
  clock: Clock = systemClock,
): Promise<RenderedMessage> {
  const kind = message.template;
  if (!isMessageKind(kind)) throw new Error(`No template for message kind "${kind}"`);
  if (message.transport === 'webhook') {
    throw new Error(`A ${kind} message goes by email or SMS, not webhook`);
  }
  const data: unknown = JSON.parse(message.data);
  if (!isRecord(data)) throw new Error(`The data of a ${kind} message is not a JSON object`);
  const template = await templateFor(db, kind);
  const facts = await loadViewFacts(db, kind, data, clock);
  const rendered = renderTemplate(template, buildMessageView(kind, data, facts, settings));
  return message.transport === 'sms'
    ? { subject: KIND_TITLES[kind], text: rendered.sms, html: null }
    : { subject: rendered.subject, text: rendered.text, html: rendered.html };
}

/** The template in force for a kind: staff's override when there is one. */
export async function templateFor(db: Db, kind: MessageKind): Promise<MessageTemplate> {
  const row = await findTemplateRow(db, kind);
  return row
    ? { subject: row.subject, text: row.text_body, html: row.html_body, sms: row.sms_body }
    : DEFAULT_TEMPLATES[kind];
}

/** Reads the item names and alternatives a message's data refers to. */
export async function loadViewFacts(
  db: Db,
  kind: MessageKind,
  data: Record<string, unknown>,
  clock: Clock = systemClock,
): Promise<ViewFacts> {
  const skus = new Set<string>();
  const sku = str(data.sku);
  if (sku) skus.add(sku);
  for (const line of records(data.lines)) {
    const lineSku = str(line.sku);
    if (lineSku) skus.add(lineSku);
  }
  const items =
    skus.size === 0
      ? []
      : await db
          .selectFrom('items')
          .select(['id', 'sku', 'name'])
          .where('sku', 'in', [...skus])
          .execute();
  const lineId = int(data.lineId);
  const line =
    lineId === null
      ? undefined
      : await db
          .selectFrom('order_lines as l')
          .innerJoin('items as i', 'i.id', 'l.item_id')
          .select(['i.id', 'i.sku', 'i.name'])
          .where('l.id', '=', lineId)
          .executeTakeFirst();

  let alternatives: NamedItem[] | null = null;
  const channel = str(data.channel);
  const itemId = line?.id ?? items.find((i) => i.sku === sku)?.id;
  if (
    (kind === 'unpromised' || kind === 'discontinued') &&
    !Array.isArray(data.alternatives) &&
    itemId !== undefined &&
    channel
  ) {
    alternatives = await alternativesFor(db, clock, {
      itemId: Number(itemId),
      channel,
      quantity: int(data.quantity) ?? 1,
    });
  }
  return {
    itemNames: new Map(items.map((i) => [i.sku, i.name])),
    lineItems:
      line && lineId !== null ? new Map([[lineId, { sku: line.sku, name: line.name }]]) : new Map(),
    alternatives,
  };
}

/**
 * The alternatives service answers for a context; a message has only its database, so
 * it gets one around it (the service reads only through the db it is handed, and the
 * clock only to tell what is released yet). An unknown channel or item offers nothing
 * rather than stopping the message.
 */
async function alternativesFor(
  db: Db,
  clock: Clock,
  input: { itemId: number; channel: string; quantity: number },
): Promise<NamedItem[]> {
  const kind = isPostgres(db as unknown as Kysely<unknown>) ? 'postgres' : 'sqlite';
  const ctx: AppContext = { db, dbKind: kind, clock };
  try {
    const found = await findAlternatives(db, ctx, {
      ...input,
      quantity: Math.max(1, input.quantity),
      limit: MESSAGE_ALTERNATIVES,
    });
    return found.map((a) => ({ sku: a.sku, name: a.name }));
  } catch (error) {
    if (error instanceof AppError) return [];
    throw error;
  }
}

/**
 * The view a template renders: the data's facts in words. Pure, so previews and tests
 * build it from data alone (NO_FACTS: names fall back to the data's `name`, then the SKU).
 */
export function buildMessageView(
  kind: MessageKind,
  data: Record<string, unknown>,
  facts: ViewFacts,
  settings: MessagingSettings,
): Record<string, unknown> {
  const shopUrl = settings.shopUrl.replace(/\/+$/, '');
  const nameOf = (sku: string | null, given: unknown) =>
    (sku ? facts.itemNames.get(sku) : undefined) ?? str(given) ?? sku ?? 'your item';

  const common: Record<string, unknown> = {
    shopName: settings.shopName,
    shopUrl,
    customerName: str(data.customerName) ?? 'there',
    channel: str(data.channel),
  };

  if (kind.startsWith('alert_')) return { ...common, ...alertView(data) };

  const orderId = int(data.orderId);
  const order =
    orderId === null
      ? { hasOrder: false }
      : {
          hasOrder: true,
          orderId,
          reference: str(data.reference),
          orderLabel: str(data.reference) ?? `#${orderId}`,
          orderUrl: `${shopUrl}/orders/${orderId}`,
        };

  const lineId = int(data.lineId);
  const lineItem = lineId === null ? undefined : facts.lineItems.get(lineId);
  const sku = str(data.sku) ?? lineItem?.sku ?? null;
  const item = {
    sku,
    name:
      (sku ? facts.itemNames.get(sku) : undefined) ??
      lineItem?.name ??
      str(data.name) ??
      sku ??
      'your item',
    quantity: int(data.quantity),
    itemUrl: sku ? `${shopUrl}/items/${encodeURIComponent(sku)}` : shopUrl,
  };
  const lineLinks =
    orderId !== null && lineId !== null
      ? lineActionLinks(`${shopUrl}/orders/${orderId}`, lineId)
      : {};
  const view: Record<string, unknown> = { ...common, ...order, ...item, lineId, ...lineLinks };

  switch (kind) {
    case 'backorder_confirmed': {
      const lines = records(data.lines).map((line) => {
        const lineSku = str(line.sku);
        const date = str(line.promisedDate);
        return {
          sku: lineSku,
          name: nameOf(lineSku, line.name),
          quantity: int(line.quantity),
          preorder: line.preorder === true || line.preorder === 1,
          hasDate: date !== null,
          promisedDate: readableDate(date),
          promisedDateShort: shortDate(date),
          estimated: line.confidence === 'estimated',
        };
      });
      return {
        ...view,
        lines,
        anyPreorder: lines.some((l) => l.preorder),
        anyUndated: lines.some((l) => !l.hasDate),
      };
    }
    case 'promised':
    case 'delay':
    case 'earlier_date':
    case 'unpromised': {
      const oldDate = str(data.oldDate);
      const newDate = str(data.newDate);
      return {
        ...view,
        hadDate: oldDate !== null,
        hasDate: newDate !== null,
        oldDate: readableDate(oldDate),
        oldDateShort: shortDate(oldDate),
        newDate: readableDate(newDate),
        newDateShort: shortDate(newDate),
        estimated: data.confidence === 'estimated',
        reason: str(data.reason),
        incentive: kind === 'delay' ? settings.delayIncentive || null : null,
        ...alternativesView(data, facts, shopUrl),
      };
    }
    case 'ready': {
      const pickup = data.channelKind === 'pos' || data.channelKind === 'store';
      return { ...view, pickup, readyPhrase: pickup ? 'ready for pickup' : 'ready to ship' };
    }
    case 'shipped':
      return {
        ...view,
        fulfilmentId: str(data.fulfilmentId),
        lines: records(data.lines).map((line) => {
          const lineSku = str(line.sku);
          return { sku: lineSku, name: nameOf(lineSku, line.name), quantity: int(line.quantity) };
        }),
      };
    case 'discontinued':
      return {
        ...view,
        hasOrder: orderId !== null && lineId !== null,
        ...alternativesView(data, facts, shopUrl),
      };
    case 'back_in_stock': {
      const token = str(data.token);
      return {
        ...view,
        available: int(data.available),
        unsubscribeUrl: token ? `${shopUrl}/unsubscribe?token=${encodeURIComponent(token)}` : null,
      };
    }
    default:
      return view;
  }
}

function lineActionLinks(orderUrl: string, lineId: number) {
  const base = `${orderUrl}?line=${lineId}`;
  return {
    choicesUrl: base,
    keepWaitingUrl: `${base}&action=keep-waiting`,
    alternativesUrl: `${base}&action=alternatives`,
    cancelUrl: `${base}&action=cancel`,
  };
}

function alternativesView(data: Record<string, unknown>, facts: ViewFacts, shopUrl: string) {
  const given = Array.isArray(data.alternatives)
    ? records(data.alternatives).flatMap((a) => {
        const sku = str(a.sku);
        return sku ? [{ sku, name: str(a.name) ?? sku }] : [];
      })
    : null;
  const alternatives = (given ?? facts.alternatives ?? [])
    .slice(0, MESSAGE_ALTERNATIVES)
    .map((a) => ({ ...a, url: `${shopUrl}/items/${encodeURIComponent(a.sku)}` }));
  return { alternatives, hasAlternatives: alternatives.length > 0 };
}

/** An alert's message and the rest of its facts, as key: value lines. */
function alertView(data: Record<string, unknown>) {
  const { alertId, kind, message, details, ...rest } = data;
  const all = { ...(isRecord(details) ? details : {}), ...rest };
  const list = Object.entries(all)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => ({
      key,
      value: typeof value === 'string' ? value : JSON.stringify(value),
    }));
  return {
    alertId: int(alertId),
    kind: str(kind),
    message: str(message) ?? '',
    details: list,
    hasDetails: list.length > 0,
  };
}

const LONG_DATE = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const SHORT_DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/**
 * "Friday 11 December 2026". Built from parts: ICU versions differ on the comma after
 * the weekday, and a message should read the same wherever the server runs.
 */
export function readableDate(iso: string | null): string {
  const date = parseDate(iso);
  if (!date) return iso ?? 'no date yet';
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    LONG_DATE.formatToParts(date).find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}`;
}

/** "11 Dec 2026", for SMS. */
export function shortDate(iso: string | null): string {
  const date = parseDate(iso);
  if (!date) return iso ?? 'no date yet';
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    SHORT_DATE.formatToParts(date).find((p) => p.type === type)?.value ?? '';
  return `${part('day')} ${part('month')} ${part('year')}`;
}

function parseDate(iso: string | null): Date | null {
  if (!iso) return null;
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function str(value: unknown): string | null {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return null;
}

function int(value: unknown): number | null {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : null;
}
