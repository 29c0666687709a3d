import Mustache from 'mustache';
import {
  CUSTOMER_MESSAGE_KINDS,
  MESSAGE_KINDS,
  type MessageKind,
} from '../domain/customer-messages.js';

/**
 * The words of every customer and staff message, as Mustache templates: a subject, a
 * plain-text and an HTML body for email, and a short body for SMS. These are the
 * defaults; staff may override any kind (message_templates, /v1/message-templates).
 * The view each template sees is built by message-view.ts; SAMPLE_DATA shows, per kind,
 * the outbox data that view is built from.
 *
 * Names a template may use (dates are "Friday 11 December 2026"; `xShort` "11 Dec 2026"):
 * - every kind: shopName, shopUrl, customerName ("there" when unknown), channel
 * - with an order: orderId, orderLabel (reference or #id), orderUrl; with a line also
 *   lineId, choicesUrl, keepWaitingUrl, alternativesUrl, cancelUrl
 * - one item: sku, name, quantity, itemUrl
 * - backorder_confirmed: lines[{sku, name, quantity, preorder, hasDate, promisedDate,
 *   promisedDateShort, estimated}], anyPreorder, anyUndated
 * - promised, delay, earlier_date, unpromised: oldDate, newDate (+Short), hadDate, hasDate,
 *   estimated, reason, incentive (delay only), alternatives[{sku, name, url}], hasAlternatives
 * - ready: pickup, readyPhrase; shipped: lines[{sku, name, quantity}], fulfilmentId
 * - discontinued: hasOrder, alternatives, hasAlternatives; back_in_stock: available,
 *   unsubscribeUrl
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

export function renderTemplate(
  template: MessageTemplate,
  view: Record<string, unknown>,
): RenderedTemplate {
  return {
    subject: collapse(Mustache.render(template.subject, view, {}, noEscape)),
    text: Mustache.render(template.text, view, {}, noEscape),
    html: Mustache.render(template.html, view),
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

/** A minimal email page; mail clients ignore most of anything richer. */
function page(body: string): string {
  return [
    '<!doctype html>',
    '<html><body style="font-family: Arial, sans-serif; line-height: 1.5; color: #222;">',
    body.trim(),
    '<p>{{shopName}}</p>',
    '</body></html>',
    '',
  ].join('\n');
}

const hello = 'Hello {{customerName}},';
const htmlHello = '<p>Hello {{customerName}},</p>';
const dated =
  '{{#hasDate}}{{#estimated}}estimated for{{/estimated}}{{^estimated}}expected by{{/estimated}} {{promisedDate}}{{/hasDate}}{{^hasDate}}no date yet{{/hasDate}}';
const datedShort =
  '{{#hasDate}}{{#estimated}}about{{/estimated}}{{^estimated}}by{{/estimated}} {{promisedDateShort}}{{/hasDate}}{{^hasDate}}no date yet{{/hasDate}}';

export const DEFAULT_TEMPLATES: Record<MessageKind, MessageTemplate> = {
  backorder_confirmed: {
    subject: 'Your order {{orderLabel}}: when your items will arrive',
    text: `${hello}

Thank you for your order {{orderLabel}}. These items are not in stock yet; we will send them as soon as they arrive:

{{#lines}}
- {{quantity}} x {{name}}{{#preorder}} (pre-order){{/preorder}}: ${dated}
{{/lines}}

{{#anyPreorder}}
Pre-ordered items are sent as soon as they are released.
{{/anyPreorder}}
{{#anyUndated}}
Where there is no date yet, we will write to you as soon as we have one.
{{/anyUndated}}
If a date changes, we will tell you. Your order: {{orderUrl}}

{{shopName}}
`,
    html: page(`
${htmlHello}
<p>Thank you for your order {{orderLabel}}. These items are not in stock yet; we will send them as soon as they arrive:</p>
<ul>
{{#lines}}
<li>{{quantity}} x {{name}}{{#preorder}} (pre-order){{/preorder}}: ${dated}</li>
{{/lines}}
</ul>
{{#anyPreorder}}
<p>Pre-ordered items are sent as soon as they are released.</p>
{{/anyPreorder}}
{{#anyUndated}}
<p>Where there is no date yet, we will write to you as soon as we have one.</p>
{{/anyUndated}}
<p>If a date changes, we will tell you. <a href="{{orderUrl}}">See your order</a></p>
`),
    sms: `{{shopName}}: order {{orderLabel}} confirmed. Still to come: {{#lines}}{{quantity}} x {{name}}{{#preorder}} (pre-order){{/preorder}} ${datedShort}; {{/lines}}{{orderUrl}}`,
  },

  promised: {
    subject: 'Your order {{orderLabel}}: we have a date for {{name}}',
    text: `${hello}

We now have a date for {{quantity}} x {{name}} from your order {{orderLabel}}: {{#estimated}}estimated for{{/estimated}}{{^estimated}}expected by{{/estimated}} {{newDate}}.

We will tell you if it changes. Your order: {{orderUrl}}

{{shopName}}
`,
    html: page(`
${htmlHello}
<p>We now have a date for {{quantity}} x {{name}} from your order {{orderLabel}}: {{#estimated}}estimated for{{/estimated}}{{^estimated}}expected by{{/estimated}} <strong>{{newDate}}</strong>.</p>
<p>We will tell you if it changes. <a href="{{orderUrl}}">See your order</a></p>
`),
    sms: '{{shopName}}: {{name}} (order {{orderLabel}}) is now {{#estimated}}estimated for{{/estimated}}{{^estimated}}expected by{{/estimated}} {{newDateShort}}. {{orderUrl}}',
  },

  delay: {
    subject: 'Your order {{orderLabel}}: {{name}} is delayed',
    text: `${hello}

We are sorry: {{quantity}} x {{name}} from your order {{orderLabel}} will arrive later than we told you.

We said: {{oldDate}}
Now expected: {{newDate}}{{#estimated}} (estimated){{/estimated}}

{{#incentive}}
To make up for the wait: {{incentive}}

{{/incentive}}
If you would rather not wait, you can change your order: {{orderUrl}}

{{shopName}}
`,
    html: page(`
${htmlHello}
<p>We are sorry: {{quantity}} x {{name}} from your order {{orderLabel}} will arrive later than we told you.</p>
<p>We said: <s>{{oldDate}}</s><br>Now expected: <strong>{{newDate}}</strong>{{#estimated}} (estimated){{/estimated}}</p>
{{#incentive}}
<p>To make up for the wait: <strong>{{incentive}}</strong></p>
{{/incentive}}
<p>If you would rather not wait, <a href="{{orderUrl}}">you can change your order</a>.</p>
`),
    sms: '{{shopName}}: sorry, {{name}} (order {{orderLabel}}) is delayed from {{oldDateShort}} to {{newDateShort}}.{{#incentive}} To make up for it: {{incentive}}.{{/incentive}} {{orderUrl}}',
  },

  earlier_date: {
    subject: 'Good news: {{name}} is coming sooner',
    text: `${hello}

Good news: {{quantity}} x {{name}} from your order {{orderLabel}} will arrive earlier than we told you.

We said: {{oldDate}}
Now expected: {{newDate}}{{#estimated}} (estimated){{/estimated}}

Your order: {{orderUrl}}

{{shopName}}
`,
    html: page(`
${htmlHello}
<p>Good news: {{quantity}} x {{name}} from your order {{orderLabel}} will arrive earlier than we told you.</p>
<p>We said: <s>{{oldDate}}</s><br>Now expected: <strong>{{newDate}}</strong>{{#estimated}} (estimated){{/estimated}}</p>
<p><a href="{{orderUrl}}">See your order</a></p>
`),
    sms: '{{shopName}}: good news, {{name}} (order {{orderLabel}}) is now expected {{newDateShort}} instead of {{oldDateShort}}. {{orderUrl}}',
  },

  unpromised: {
    subject: 'Your order {{orderLabel}}: we cannot give a date for {{name}}',
    text: `${hello}

We are sorry: we cannot promise a date for {{quantity}} x {{name}} from your order {{orderLabel}} at the moment{{#hadDate}} (we had said {{oldDate}}){{/hadDate}}. We do not yet know when more will reach us.

What would you like to do?

- Keep waiting, and we will write as soon as we have a date: {{keepWaitingUrl}}
- See alternatives you could take instead: {{alternativesUrl}}
- Cancel this item: {{cancelUrl}}
{{#hasAlternatives}}

Items you could take instead:
{{#alternatives}}
- {{name}}: {{url}}
{{/alternatives}}
{{/hasAlternatives}}

{{shopName}}
`,
    html: page(`
${htmlHello}
<p>We are sorry: we cannot promise a date for {{quantity}} x {{name}} from your order {{orderLabel}} at the moment{{#hadDate}} (we had said {{oldDate}}){{/hadDate}}. We do not yet know when more will reach us.</p>
<p>What would you like to do?</p>
<ul>
<li><a href="{{keepWaitingUrl}}">Keep waiting</a>, and we will write as soon as we have a date</li>
<li><a href="{{alternativesUrl}}">See alternatives</a> you could take instead</li>
<li><a href="{{cancelUrl}}">Cancel this item</a></li>
</ul>
{{#hasAlternatives}}
<p>Items you could take instead:</p>
<ul>
{{#alternatives}}
<li><a href="{{url}}">{{name}}</a></li>
{{/alternatives}}
</ul>
{{/hasAlternatives}}
`),
    sms: "{{shopName}}: sorry, we can't give a date for {{name}} (order {{orderLabel}}) yet. Keep waiting, take an alternative or cancel: {{choicesUrl}}",
  },

  ready: {
    subject: 'Your order {{orderLabel}}: {{name}} is {{readyPhrase}}',
    text: `${hello}

Good news: {{quantity}} x {{name}} from your order {{orderLabel}} is {{readyPhrase}}.
{{#pickup}}
Please bring your order number, {{orderLabel}}, when you come to collect it.
{{/pickup}}
{{^pickup}}
We will let you know when it is on its way.
{{/pickup}}

Your order: {{orderUrl}}

{{shopName}}
`,
    html: page(`
${htmlHello}
<p>Good news: {{quantity}} x {{name}} from your order {{orderLabel}} is <strong>{{readyPhrase}}</strong>.</p>
{{#pickup}}
<p>Please bring your order number, {{orderLabel}}, when you come to collect it.</p>
{{/pickup}}
{{^pickup}}
<p>We will let you know when it is on its way.</p>
{{/pickup}}
<p><a href="{{orderUrl}}">See your order</a></p>
`),
    sms: '{{shopName}}: {{quantity}} x {{name}} (order {{orderLabel}}) is {{readyPhrase}}. {{orderUrl}}',
  },

  shipped: {
    subject: 'Your order {{orderLabel}} is on its way',
    text: `${hello}

Your order {{orderLabel}} is on its way:

{{#lines}}
- {{quantity}} x {{name}}
{{/lines}}

Your order: {{orderUrl}}

{{shopName}}
`,
    html: page(`
${htmlHello}
<p>Your order {{orderLabel}} is on its way:</p>
<ul>
{{#lines}}
<li>{{quantity}} x {{name}}</li>
{{/lines}}
</ul>
<p><a href="{{orderUrl}}">See your order</a></p>
`),
    sms: '{{shopName}}: order {{orderLabel}} is on its way: {{#lines}}{{quantity}} x {{name}}; {{/lines}}{{orderUrl}}',
  },

  discontinued: {
    subject: '{{name}} is no longer available',
    text: `${hello}

We are sorry: {{name}} has been discontinued and will not come back into stock.
{{#hasOrder}}

Your order {{orderLabel}} was waiting for {{quantity}} of it. You can take an alternative ({{alternativesUrl}}) or cancel this item ({{cancelUrl}}).
{{/hasOrder}}
{{^hasOrder}}

You asked us to tell you when it was back in stock, so we wanted you to know.
{{/hasOrder}}
{{#hasAlternatives}}

You might like instead:
{{#alternatives}}
- {{name}}: {{url}}
{{/alternatives}}
{{/hasAlternatives}}

{{shopName}}
`,
    html: page(`
${htmlHello}
<p>We are sorry: {{name}} has been discontinued and will not come back into stock.</p>
{{#hasOrder}}
<p>Your order {{orderLabel}} was waiting for {{quantity}} of it. You can <a href="{{alternativesUrl}}">take an alternative</a> or <a href="{{cancelUrl}}">cancel this item</a>.</p>
{{/hasOrder}}
{{^hasOrder}}
<p>You asked us to tell you when it was back in stock, so we wanted you to know.</p>
{{/hasOrder}}
{{#hasAlternatives}}
<p>You might like instead:</p>
<ul>
{{#alternatives}}
<li><a href="{{url}}">{{name}}</a></li>
{{/alternatives}}
</ul>
{{/hasAlternatives}}
`),
    sms: '{{shopName}}: sorry, {{name}} has been discontinued.{{#hasOrder}} Order {{orderLabel}}: {{choicesUrl}}{{/hasOrder}}{{^hasOrder}}{{#hasAlternatives}} Instead: {{#alternatives}}{{name}}; {{/alternatives}}{{/hasAlternatives}}{{/hasOrder}}',
  },

  back_in_stock: {
    subject: '{{name}} is back in stock',
    text: `${hello}

Good news: {{name}} is back in stock. Units are limited and go to whoever orders first:
{{itemUrl}}

You are receiving this because you asked us to tell you. To stop these messages: {{unsubscribeUrl}}

{{shopName}}
`,
    html: page(`
${htmlHello}
<p>Good news: <strong>{{name}}</strong> is back in stock. Units are limited and go to whoever orders first.</p>
<p><a href="{{itemUrl}}">Order it now</a></p>
<p style="font-size: small; color: #666;">You are receiving this because you asked us to tell you. <a href="{{unsubscribeUrl}}">Stop these messages</a></p>
`),
    sms: '{{shopName}}: {{name}} is back in stock, limited units: {{itemUrl}} Stop: {{unsubscribeUrl}}',
  },

  alert_low_stock: staffAlert('Low stock'),
  alert_shortage_ahead: staffAlert('Shortage ahead'),
  alert_po_overdue: staffAlert('Purchase order overdue'),
};

function staffAlert(title: string): MessageTemplate {
  return {
    subject: `[{{shopName}}] ${title}: {{message}}`,
    text: `${title}

{{message}}

{{#details}}
{{key}}: {{value}}
{{/details}}

Alert {{alertId}}. Open alerts are listed at GET /v1/alerts.
`,
    html: page(`
<p><strong>${title}</strong></p>
<p>{{message}}</p>
{{#hasDetails}}
<table>
{{#details}}
<tr><th style="text-align: left; padding-right: 1em;">{{key}}</th><td>{{value}}</td></tr>
{{/details}}
</table>
{{/hasDetails}}
<p>Alert {{alertId}}. Open alerts are listed at GET /v1/alerts.</p>
`),
    sms: `{{shopName}} ${title.toLowerCase()}: {{message}}`,
  };
}

/**
 * For each kind, outbox data as its cause writes it (src/domain/customer-messages.ts and
 * the alert and watcher code), for previews and tests. Item names and alternatives are
 * normally looked up when the message is rendered; `name` and `alternatives` here stand
 * in for items a preview's database does not have.
 */
export const SAMPLE_DATA: Record<MessageKind, Record<string, unknown>> = {
  backorder_confirmed: {
    customerName: 'Ann',
    orderId: 1042,
    reference: 'WEB-1042',
    channel: 'web',
    channelKind: 'online',
    lines: [
      {
        sku: 'KET-01',
        name: 'Kettle',
        quantity: 2,
        promisedDate: '2026-12-11',
        confidence: 'confirmed',
        preorder: false,
      },
      {
        sku: 'TOA-02',
        name: 'Toaster',
        quantity: 1,
        promisedDate: null,
        confidence: null,
        preorder: false,
      },
      {
        sku: 'MUG-NEW',
        name: 'Winter mug',
        quantity: 4,
        promisedDate: '2027-01-15',
        confidence: 'confirmed',
        preorder: true,
      },
    ],
  },
  promised: repromise({ oldDate: null, newDate: '2026-12-11', confidence: 'estimated' }),
  delay: repromise({ oldDate: '2026-12-11', newDate: '2026-12-16', confidence: 'confirmed' }),
  earlier_date: repromise({
    oldDate: '2026-12-16',
    newDate: '2026-12-11',
    confidence: 'confirmed',
  }),
  unpromised: {
    ...repromise({ oldDate: '2026-12-11', newDate: null, confidence: null }),
    alternatives: [
      { sku: 'KET-02', name: 'Glass kettle' },
      { sku: 'KET-03', name: 'Travel kettle' },
    ],
  },
  ready: {
    customerName: 'Ann',
    orderId: 1042,
    reference: 'WEB-1042',
    channel: 'web',
    channelKind: 'online',
    lineId: 7,
    sku: 'KET-01',
    name: 'Kettle',
    quantity: 2,
  },
  shipped: {
    customerName: 'Ann',
    orderId: 1042,
    reference: 'WEB-1042',
    channel: 'web',
    channelKind: 'online',
    fulfilmentId: 'SHIP-1',
    lines: [
      { sku: 'KET-01', name: 'Kettle', quantity: 2 },
      { sku: 'TOA-02', name: 'Toaster', quantity: 1 },
    ],
  },
  discontinued: {
    customerName: 'Ann',
    orderId: 1042,
    reference: 'WEB-1042',
    channel: 'web',
    lineId: 7,
    sku: 'KET-01',
    name: 'Kettle',
    quantity: 2,
    alternatives: [
      { sku: 'KET-02', name: 'Glass kettle' },
      { sku: 'KET-03', name: 'Travel kettle' },
    ],
  },
  back_in_stock: {
    customerName: 'Ann',
    sku: 'KET-01',
    name: 'Kettle',
    channel: 'web',
    available: 2,
    subscriptionId: 12,
    token: 'sample-token',
  },
  alert_low_stock: {
    alertId: 3,
    kind: 'low_stock',
    message: 'KET-01 on web: 2 available, threshold 3',
    sku: 'KET-01',
    channel: 'web',
    available: 2,
    threshold: 3,
  },
  alert_shortage_ahead: {
    alertId: 4,
    kind: 'shortage_ahead',
    message: 'KET-01: 5 units on backorder with no supply to promise them',
    sku: 'KET-01',
    unpromised: 5,
  },
  alert_po_overdue: {
    alertId: 5,
    kind: 'po_overdue',
    message: 'Purchase order 12 from ACME was expected on 2026-11-20 and is not received',
    purchaseOrderId: 12,
    supplier: 'ACME',
    expectedDate: '2026-11-20',
  },
};

function repromise(dates: {
  oldDate: string | null;
  newDate: string | null;
  confidence: string | null;
}): Record<string, unknown> {
  return {
    customerName: 'Ann',
    orderId: 1042,
    reference: 'WEB-1042',
    channel: 'web',
    channelKind: 'online',
    lineId: 7,
    sku: 'KET-01',
    name: 'Kettle',
    quantity: 2,
    ...dates,
    reason: 'purchase order line changed',
  };
}
