import Mustache from 'mustache';
import {
  CUSTOMER_MESSAGE_KINDS,
  MESSAGE_KINDS,
  type MessageKind,
} from '../domain/customer-messages.js';

/**
 * The words of every customer and staff message, as Mustache templates: a subject, a
 * plain-text and an HTML body for email, and a short body for SMS. These are the
 * defaults (default-templates.ts); staff may override any kind (message_templates,
 * /v1/message-templates). The view each template sees is built by message-view.ts;
 * SAMPLE_DATA (template-samples.ts) shows, per kind, the outbox data that view is built from.
 *
 * Names a template may use (dates are "Friday 11 December 2026"; `xShort` "11 Dec 2026",
 * in the template's language; URLs carry no &, see email-layout.ts):
 * - every kind: shopName, shopUrl, logoUrl, language, customerName ("there" when unknown),
 *   firstName (null when unknown), channel, messageDate and sentTime (when the message's
 *   cause happened, in the order's location's time zone), stopText (SMS opt-out wording),
 *   subjectLine (html only: the rendered subject)
 * - one item, and each entry of `lines`: price (formatted, null when unknown), imageUrl
 * - with an order: orderId, orderLabel (reference or #id), orderUrl; with a line also
 *   lineId, choicesUrl, keepWaitingUrl, alternativesUrl, cancelUrl
 * - one item: sku, name, quantity, itemUrl
 * - backorder_confirmed: lines[{sku, name, quantity, preorder, hasDate, promisedDate,
 *   promisedDateShort, estimated}], anyPreorder, anyUndated
 * - promised, delay, earlier_date, unpromised: oldDate, newDate (+Short), hadDate, hasDate,
 *   estimated, reason, incentive (delay only), alternatives[{sku, name, url}], hasAlternatives
 * - ready: pickup, readyPhrase; shipped: lines[{sku, name, quantity}], fulfilmentId
 * - discontinued: hasOrder, alternatives, hasAlternatives, unsubscribeUrl (subscribers);
 *   back_in_stock: available, unsubscribeUrl (this server's one-click page)
 * - alert_*: alertId, kind, message, details[{key, value}], hasDetails
 */
export interface MessageTemplate {
  subject: string;
  text: string;
  html: string;
  sms: string;
}

export interface RenderedTemplate {
  subject: string;
  text: string;
  html: string;
  sms: string;
}

export type TemplatePart = keyof MessageTemplate;
export const TEMPLATE_PARTS: readonly TemplatePart[] = ['subject', 'text', 'html', 'sms'];

export function isMessageKind(kind: string): kind is MessageKind {
  return (MESSAGE_KINDS as readonly string[]).includes(kind);
}

export function audienceOf(kind: MessageKind): 'customer' | 'staff' {
  return (CUSTOMER_MESSAGE_KINDS as readonly string[]).includes(kind) ? 'customer' : 'staff';
}

/** What each kind is called where no rendered subject fits: an SMS has none of its own. */
export const KIND_TITLES: Record<MessageKind, string> = {
  backorder_confirmed: 'Backorder confirmed',
  promised: 'Delivery date found',
  delay: 'Delay notice',
  earlier_date: 'Earlier delivery date',
  unpromised: 'No delivery date',
  ready: 'Ready',
  shipped: 'Shipped',
  discontinued: 'Item discontinued',
  back_in_stock: 'Back in stock',
  alert_low_stock: 'Low stock alert',
  alert_shortage_ahead: 'Shortage ahead alert',
  alert_po_overdue: 'Purchase order overdue alert',
};

/** Plain text and SMS go out as written; only HTML needs its values escaped. */
const noEscape = { escape: (value: unknown) => String(value) };

/**
 * HTML escaping of what HTML needs, in text and in quoted attributes: & < > " '. Mustache's
 * own escaper also turns / = and ` into entities, which writes every URL in an href as
 * "https:&#x2F;&#x2F;…": valid, but unreadable in the source and mangled by some mail
 * tools. Our links carry no &, so their hrefs are the URLs as written.
 */
const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const htmlEscape = {
  escape: (value: unknown) => String(value).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!),
};

export function renderTemplate(
  template: MessageTemplate,
  view: Record<string, unknown>,
): RenderedTemplate {
  const subject = collapse(Mustache.render(template.subject, view, {}, noEscape));
  return {
    subject,
    text: Mustache.render(template.text, view, {}, noEscape),
    html: Mustache.render(template.html, { ...view, subjectLine: subject }, {}, htmlEscape),
    sms: collapse(Mustache.render(template.sms, view, {}, noEscape)),
  };
}

/** A subject or SMS is one line, however the sections of its template fell. */
function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export interface TemplateIssue {
  in: 'body';
  path: string;
  message: string;
}

/** Why each part does not parse as Mustache (an unclosed section or tag, say); [] when all do. */
export function templateIssues(template: MessageTemplate): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  for (const part of TEMPLATE_PARTS) {
    try {
      Mustache.parse(template[part]);
    } catch (error) {
      issues.push({ in: 'body', path: `/${part}`, message: (error as Error).message });
    }
  }
  return issues;
}
