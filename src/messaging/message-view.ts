import type { Db } from '../db/schema.js';
import type { MessageKind } from '../domain/customer-messages.js';
import { linkSecret } from '../kernel/link-secret.repository.js';
import {
  DEFAULT_MESSAGING_SETTINGS,
  type MessagingSettings,
} from '../kernel/messaging-settings.js';
import { type Clock, systemClock } from '../shared/clock.js';
import { phrases } from './languages.js';
import { languageOfCustomer, orderTimeZone } from './message-context.repository.js';
import { imageUrl, LinkMaker, lineActionLinks } from './message-links.js';
import { plainSms, shortened, smsSize } from './sms-segments.js';
import { templateInForce } from './template-source.js';
import { isMessageKind, KIND_TITLES, type MessageTemplate, renderTemplate } from './templates.js';
import { loadViewFacts, MESSAGE_ALTERNATIVES, type ViewFacts } from './view-facts.js';
import {
  firstName,
  int,
  isRecord,
  price,
  readableDate,
  records,
  shortDate,
  str,
  timeOfDay,
} from './view-values.js';

/**
 * Turns an outbox row's data into the words that go out. The data holds facts as the
 * cause knew them (SKUs, line ids, ISO dates); the view adds what a reader needs: item
 * names, readable dates, links into the shop, alternatives, the shop's name.
 */

export interface RenderedMessage {
  subject: string;
  text: string;
  /** null for SMS. */
  html: string | null;
}

/** What renderOutboxMessage reads of an outbox row (the line-change preview has no row). */
export interface MessageToRender {
  template: string;
  transport: 'email' | 'sms' | 'webhook';
  data: string;
  customer_id?: number | null;
  order_id?: number | null;
  created_at?: string | null;
}

/**
 * Renders an outbox message with the kind's template in the customer's language (the
 * stored override, else the built-in one, else the shop's language). The dispatcher calls
 * it once, at the first attempt, and keeps the result. Throws for a kind with no template
 * (a webhook delivery or a typo): nothing can be sent.
 */
export async function renderOutboxMessage(
  db: Db,
  message: MessageToRender,
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
  const wanted = (await customerLanguage(db, message.customer_id)) ?? settings.defaultLanguage;
  const { template, language } = await templateInForce(db, kind, wanted, settings.defaultLanguage);
  const facts = await loadViewFacts(db, kind, data, clock);
  const orderId = int(data.orderId) ?? message.order_id ?? null;
  const context: MessageContext = {
    language,
    timeZone: (orderId !== null && (await orderTimeZone(db, orderId))) || settings.timeZone,
    linkSecret: await linkSecret(db, settings.linkSecret),
    now: clock.now(),
    createdAt: message.created_at ?? null,
  };
  const view = buildMessageView(kind, data, facts, settings, context);
  if (message.transport === 'sms') {
    return { subject: KIND_TITLES[kind], text: fitSms(template, view), html: null };
  }
  const rendered = renderTemplate(template, view);
  return { subject: rendered.subject, text: rendered.text, html: rendered.html };
}

/** The template in force for a kind in the shop's language: staff's override when there is one. */
export async function templateFor(
  db: Db,
  kind: MessageKind,
  settings: MessagingSettings = DEFAULT_MESSAGING_SETTINGS,
  language = settings.defaultLanguage,
): Promise<MessageTemplate> {
  return (await templateInForce(db, kind, language, settings.defaultLanguage)).template;
}

/**
 * An SMS in one segment where it can be: rendered as written, then with item names cut
 * shorter and shorter until it fits 160 GSM-7 characters (or there is nothing left to
 * cut). Typographic quotes and dashes become plain ones first, or the whole text would
 * go as UCS-2, where one segment holds only 70.
 */
export function fitSms(template: MessageTemplate, view: Record<string, unknown>): string {
  const render = (v: Record<string, unknown>) => plainSms(renderTemplate(template, v).sms);
  const full = render(view);
  if (smsSize(full).segments <= 1) return full;
  for (const max of [32, 24, 16, 10]) {
    const text = render(withShortNames(view, max));
    if (smsSize(text).segments <= 1) return text;
  }
  // Two segments whatever is cut: then with the names whole.
  return full;
}

function withShortNames(view: Record<string, unknown>, max: number): Record<string, unknown> {
  const cut = (value: unknown) => (typeof value === 'string' ? shortened(value, max) : value);
  const cutAll = (list: unknown) =>
    Array.isArray(list)
      ? list.map((entry) => (isRecord(entry) ? { ...entry, name: cut(entry.name) } : entry))
      : list;
  return {
    ...view,
    name: cut(view.name),
    lines: cutAll(view.lines),
    alternatives: cutAll(view.alternatives),
  };
}

/** The language, zone, link secret and moment a message is written for. */
export interface MessageContext {
  /** The language of the template: dates and prices are written the same way. */
  language: string;
  /** Instants (when a message was sent) are shown as the day and time there. */
  timeZone: string;
  /** Signs the order links; null leaves links unsigned (views built without a database). */
  linkSecret: string | null;
  /** Link expiry counts from here. */
  now: Date;
  /** When the message's cause happened (the outbox row's creation). */
  createdAt: string | null;
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
  given: Partial<MessageContext> = {},
): Record<string, unknown> {
  const context: MessageContext = {
    language: settings.defaultLanguage,
    timeZone: settings.timeZone,
    linkSecret: null,
    now: new Date(),
    createdAt: null,
    ...given,
  };
  const { language, timeZone } = context;
  const words = phrases(language);
  const shopUrl = settings.shopUrl.replace(/\/+$/, '');
  const common = commonView(data, settings, context);
  if (kind.startsWith('alert_')) return { ...common, ...alertView(data) };
  const links = new LinkMaker(shopUrl, context, settings);
  const itemExtras = (sku: string | null) => ({
    price: price(sku ? facts.prices?.get(sku) : null, language, settings.currency),
    imageUrl: sku && settings.itemImageUrl ? imageUrl(settings.itemImageUrl, sku) : null,
  });
  const view = { ...common, ...orderItemView(data, facts, links), ...itemExtras(str(data.sku)) };
  const nameOf = (sku: string | null, given: unknown) =>
    (sku ? facts.itemNames.get(sku) : undefined) ?? str(given) ?? sku ?? 'your item';
  const day = (iso: string | null) =>
    iso ? readableDate(iso, language, timeZone) : words.noDateYet;
  const dayShort = (iso: string | null) =>
    iso ? shortDate(iso, language, timeZone) : words.noDateYet;

  switch (kind) {
    case 'backorder_confirmed':
      return { ...view, ...backorderLinesView(data, nameOf, itemExtras, day, dayShort) };
    case 'promised':
    case 'delay':
    case 'earlier_date':
    case 'unpromised':
      return {
        ...view,
        ...dateChangeView(
          data,
          kind === 'delay' ? settings.delayIncentive || null : null,
          day,
          dayShort,
        ),
        ...alternativesView(data, facts, links),
      };
    case 'ready': {
      const pickup = data.channelKind === 'pos' || data.channelKind === 'store';
      return { ...view, pickup, readyPhrase: pickup ? words.readyForPickup : words.readyToShip };
    }
    case 'shipped':
      return {
        ...view,
        fulfilmentId: str(data.fulfilmentId),
        lines: shippedLines(data, nameOf, itemExtras),
      };
    case 'discontinued':
      return {
        ...view,
        hasOrder: int(data.orderId) !== null && int(data.lineId) !== null,
        unsubscribeUrl: links.unsubscribe(int(data.subscriptionId)),
        ...alternativesView(data, facts, links),
      };
    case 'back_in_stock':
      return {
        ...view,
        available: int(data.available),
        unsubscribeUrl: links.unsubscribe(int(data.subscriptionId)),
      };
    default:
      return view;
  }
}

function shippedLines(
  data: Record<string, unknown>,
  nameOf: (sku: string | null, given: unknown) => string,
  extras: (sku: string | null) => Record<string, unknown>,
) {
  return records(data.lines).map((line) => {
    const sku = str(line.sku);
    return { sku, name: nameOf(sku, line.name), quantity: int(line.quantity), ...extras(sku) };
  });
}

/** What every kind may use: the shop, the greeting, when and in which language. */
function commonView(
  data: Record<string, unknown>,
  settings: MessagingSettings,
  context: MessageContext,
): Record<string, unknown> {
  const { language, timeZone } = context;
  const customerName = str(data.customerName);
  const stamp = context.createdAt ?? context.now.toISOString();
  return {
    shopName: settings.shopName,
    shopUrl: settings.shopUrl.replace(/\/+$/, ''),
    logoUrl: settings.logoUrl,
    language,
    customerName: customerName ?? 'there',
    firstName: firstName(customerName),
    channel: str(data.channel),
    messageDate: readableDate(stamp, language, timeZone),
    sentTime: timeOfDay(stamp, language, timeZone),
    stopText: settings.smsStopText ?? phrases(language).smsStop,
  };
}

/** The customer's language, when the message has a customer. */
async function customerLanguage(db: Db, id: number | null | undefined): Promise<string | null> {
  return id === null || id === undefined ? null : ((await languageOfCustomer(db, id)) ?? null);
}

/** The order (with its links) and the item a customer message is about. */
function orderItemView(data: Record<string, unknown>, facts: ViewFacts, links: LinkMaker) {
  const orderId = int(data.orderId);
  const reference = str(data.reference) ?? (orderId === null ? null : String(orderId));
  const order =
    orderId === null || reference === null
      ? { hasOrder: false }
      : {
          hasOrder: true,
          orderId,
          reference: str(data.reference),
          orderLabel: str(data.reference) ?? `#${orderId}`,
          orderUrl: links.order(reference),
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
    itemUrl: sku ? links.item(sku) : links.item(''),
  };
  const lineLinks =
    reference !== null && lineId !== null ? lineActionLinks(links, reference, lineId) : {};
  return { ...order, ...item, lineId, ...lineLinks };
}

function backorderLinesView(
  data: Record<string, unknown>,
  nameOf: (sku: string | null, given: unknown) => string,
  extras: (sku: string | null) => Record<string, unknown>,
  day: (iso: string | null) => string,
  dayShort: (iso: string | null) => string,
) {
  const lines = records(data.lines).map((line) => {
    const lineSku = str(line.sku);
    const date = str(line.promisedDate);
    return {
      sku: lineSku,
      name: nameOf(lineSku, line.name),
      quantity: int(line.quantity),
      preorder: line.preorder === true || line.preorder === 1,
      hasDate: date !== null,
      promisedDate: day(date),
      promisedDateShort: dayShort(date),
      estimated: line.confidence === 'estimated',
      ...extras(lineSku),
    };
  });
  return {
    lines,
    anyPreorder: lines.some((l) => l.preorder),
    anyUndated: lines.some((l) => !l.hasDate),
  };
}

/** A promised date that was set, moved or taken back. */
function dateChangeView(
  data: Record<string, unknown>,
  incentive: string | null,
  day: (iso: string | null) => string,
  dayShort: (iso: string | null) => string,
) {
  const oldDate = str(data.oldDate);
  const newDate = str(data.newDate);
  return {
    hadDate: oldDate !== null,
    hasDate: newDate !== null,
    oldDate: day(oldDate),
    oldDateShort: dayShort(oldDate),
    newDate: day(newDate),
    newDateShort: dayShort(newDate),
    estimated: data.confidence === 'estimated',
    reason: str(data.reason),
    incentive,
  };
}

function alternativesView(data: Record<string, unknown>, facts: ViewFacts, links: LinkMaker) {
  const given = Array.isArray(data.alternatives)
    ? records(data.alternatives).flatMap((a) => {
        const sku = str(a.sku);
        return sku ? [{ sku, name: str(a.name) ?? sku }] : [];
      })
    : null;
  const alternatives = (given ?? facts.alternatives ?? [])
    .slice(0, MESSAGE_ALTERNATIVES)
    .map((a) => ({ ...a, url: links.item(a.sku) }));
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
