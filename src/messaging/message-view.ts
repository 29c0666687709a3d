import type { Db } from '../db/schema.js';
import type { MessageKind } from '../domain/customer-messages.js';
import type { MessagingSettings } from '../kernel/messaging-settings.js';
import { type Clock, systemClock } from '../shared/clock.js';
import { DEFAULT_TEMPLATES } from './default-templates.js';
import { isMessageKind, KIND_TITLES, type MessageTemplate, renderTemplate } from './templates.js';
import { findTemplateRow } from './templates.repository.js';
import { loadViewFacts, MESSAGE_ALTERNATIVES, type ViewFacts } from './view-facts.js';
import { int, isRecord, readableDate, records, shortDate, str } from './view-values.js';

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
  const common: Record<string, unknown> = {
    shopName: settings.shopName,
    shopUrl,
    customerName: str(data.customerName) ?? 'there',
    channel: str(data.channel),
  };
  if (kind.startsWith('alert_')) return { ...common, ...alertView(data) };
  const view = { ...common, ...orderItemView(data, facts, shopUrl) };
  const nameOf = (sku: string | null, given: unknown) =>
    (sku ? facts.itemNames.get(sku) : undefined) ?? str(given) ?? sku ?? 'your item';

  switch (kind) {
    case 'backorder_confirmed':
      return { ...view, ...backorderLinesView(data, nameOf) };
    case 'promised':
    case 'delay':
    case 'earlier_date':
    case 'unpromised':
      return {
        ...view,
        ...dateChangeView(data, kind === 'delay' ? settings.delayIncentive || null : null),
        ...alternativesView(data, facts, shopUrl),
      };
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
        hasOrder: int(data.orderId) !== null && int(data.lineId) !== null,
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

/** The order (with its links) and the item a customer message is about. */
function orderItemView(data: Record<string, unknown>, facts: ViewFacts, shopUrl: string) {
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
  return { ...order, ...item, lineId, ...lineLinks };
}

function backorderLinesView(
  data: Record<string, unknown>,
  nameOf: (sku: string | null, given: unknown) => string,
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
      promisedDate: readableDate(date),
      promisedDateShort: shortDate(date),
      estimated: line.confidence === 'estimated',
    };
  });
  return {
    lines,
    anyPreorder: lines.some((l) => l.preorder),
    anyUndated: lines.some((l) => !l.hasDate),
  };
}

/** A promised date that was set, moved or taken back. */
function dateChangeView(data: Record<string, unknown>, incentive: string | null) {
  const oldDate = str(data.oldDate);
  const newDate = str(data.newDate);
  return {
    hadDate: oldDate !== null,
    hasDate: newDate !== null,
    oldDate: readableDate(oldDate),
    oldDateShort: shortDate(oldDate),
    newDate: readableDate(newDate),
    newDateShort: shortDate(newDate),
    estimated: data.confidence === 'estimated',
    reason: str(data.reason),
    incentive,
  };
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
