import type { MessageKind } from '../domain/customer-messages.js';
import type { MessageTemplate } from './templates.js';

/** The words each kind goes out with until staff override them (see templates.ts for the names). */

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
