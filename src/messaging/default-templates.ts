import type { MessageKind } from '../domain/customer-messages.js';
import { button, itemRow, page, paragraph, smallPrint } from './email-layout.js';
import type { MessageTemplate } from './templates.js';

/**
 * The words each kind goes out with until staff override them (see templates.ts for the
 * names), in English. Other languages: default-templates-de.ts; staff alerts only here.
 */

/** Staff alerts stay plain: staff read them at work, not on a phone in a queue. */
function staffPage(body: string): string {
  return [
    '<!doctype html>',
    '<html><body style="font-family: Arial, sans-serif; line-height: 1.5; color: #222;">',
    body.trim(),
    '<p>{{shopName}}</p>',
    '</body></html>',
    '',
  ].join('\n');
}

const hello = '{{#firstName}}Hello {{firstName}},{{/firstName}}{{^firstName}}Hello,{{/firstName}}';
const htmlHello = paragraph(hello);
const dated =
  '{{#hasDate}}{{#estimated}}estimated for{{/estimated}}{{^estimated}}expected by{{/estimated}} {{promisedDate}}{{/hasDate}}{{^hasDate}}no date yet{{/hasDate}}';
const datedShort =
  '{{#hasDate}}{{#estimated}}about{{/estimated}}{{^estimated}}by{{/estimated}} {{promisedDateShort}}{{/hasDate}}{{^hasDate}}no date yet{{/hasDate}}';
const orderButton = button('orderUrl', 'See your order');
const unsubscribeLine = smallPrint(
  'You are receiving this because you asked us to tell you. <a href="{{unsubscribeUrl}}" style="color: #6b7280;">Unsubscribe</a>',
);

export const DEFAULT_TEMPLATES: Record<MessageKind, MessageTemplate> = {
  backorder_confirmed: {
    subject: 'Your order {{orderLabel}}: when your items will arrive',
    text: `${hello}

Thank you for your order {{orderLabel}}. These items are not in stock yet; we will send them as soon as they arrive:

{{#lines}}
- {{quantity}} x {{name}}{{#preorder}} (pre-order){{/preorder}}{{#price}}, {{price}} each{{/price}}: ${dated}
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
${paragraph('Thank you for your order <strong>{{orderLabel}}</strong>. These items are not in stock yet; we will send them as soon as they arrive:')}
{{#lines}}
${itemRow(`{{#preorder}}Pre-order: {{/preorder}}${dated}`)}
{{/lines}}
{{#anyPreorder}}
${paragraph('Pre-ordered items are sent as soon as they are released.')}
{{/anyPreorder}}
{{#anyUndated}}
${paragraph('Where there is no date yet, we will write to you as soon as we have one.')}
{{/anyUndated}}
${paragraph('If a date changes, we will tell you.')}
${orderButton}
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
${paragraph('We now have a date for your order <strong>{{orderLabel}}</strong>:')}
${itemRow('{{#estimated}}Estimated for{{/estimated}}{{^estimated}}Expected by{{/estimated}} <strong>{{newDate}}</strong>')}
${paragraph('We will tell you if it changes.')}
${orderButton}
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
${paragraph('We are sorry: this item from your order <strong>{{orderLabel}}</strong> will arrive later than we told you.')}
${itemRow('We said: <s>{{oldDate}}</s><br>Now expected: <strong>{{newDate}}</strong>{{#estimated}} (estimated){{/estimated}}')}
{{#incentive}}
${paragraph('To make up for the wait: <strong>{{incentive}}</strong>')}
{{/incentive}}
${paragraph('If you would rather not wait, you can change your order.')}
${button('orderUrl', 'Change your order')}
`),
    sms: '{{shopName}}: sorry, {{name}} (order {{orderLabel}}) now comes {{newDateShort}}, not {{oldDateShort}}.{{#incentive}} {{incentive}}.{{/incentive}} {{orderUrl}}',
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
${paragraph('Good news: this item from your order <strong>{{orderLabel}}</strong> will arrive earlier than we told you.')}
${itemRow('We said: <s>{{oldDate}}</s><br>Now expected: <strong>{{newDate}}</strong>{{#estimated}} (estimated){{/estimated}}')}
${orderButton}
`),
    sms: '{{shopName}}: good news, {{name}} (order {{orderLabel}}) comes sooner: {{newDateShort}}. {{orderUrl}}',
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
${paragraph('We are sorry: we cannot promise a date for this item from your order <strong>{{orderLabel}}</strong> at the moment{{#hadDate}} (we had said {{oldDate}}){{/hadDate}}. We do not yet know when more will reach us.')}
${itemRow()}
${paragraph('What would you like to do?')}
${button('keepWaitingUrl', 'Keep waiting')}
${paragraph('<a href="{{alternativesUrl}}" style="color: #1d4ed8;">See alternatives</a> you could take instead, or <a href="{{cancelUrl}}" style="color: #1d4ed8;">cancel this item</a>.')}
{{#hasAlternatives}}
${paragraph('Items you could take instead:')}
{{#alternatives}}
${paragraph('<a href="{{url}}" style="color: #1d4ed8;">{{name}}</a>')}
{{/alternatives}}
{{/hasAlternatives}}
`),
    sms: '{{shopName}}: no date yet for {{name}} (order {{orderLabel}}). Wait, swap or cancel: {{choicesUrl}}',
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
${paragraph('Good news: this item from your order <strong>{{orderLabel}}</strong> is <strong>{{readyPhrase}}</strong>.')}
${itemRow()}
{{#pickup}}
${paragraph('Please bring your order number, {{orderLabel}}, when you come to collect it.')}
{{/pickup}}
{{^pickup}}
${paragraph('We will let you know when it is on its way.')}
{{/pickup}}
${orderButton}
`),
    sms: '{{shopName}}: {{quantity}} x {{name}} (order {{orderLabel}}) is {{readyPhrase}}. {{orderUrl}}',
  },

  shipped: {
    subject: 'Your order {{orderLabel}} is on its way',
    text: `${hello}

Your order {{orderLabel}} is on its way{{#sentTime}} (sent {{messageDate}} at {{sentTime}}){{/sentTime}}:

{{#lines}}
- {{quantity}} x {{name}}
{{/lines}}

Your order: {{orderUrl}}

{{shopName}}
`,
    html: page(`
${htmlHello}
${paragraph('Your order <strong>{{orderLabel}}</strong> is on its way{{#sentTime}} (sent {{messageDate}} at {{sentTime}}){{/sentTime}}:')}
{{#lines}}
${itemRow()}
{{/lines}}
${button('orderUrl', 'Track your order')}
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
{{#unsubscribeUrl}}

To stop these messages: {{unsubscribeUrl}}
{{/unsubscribeUrl}}

{{shopName}}
`,
    html: page(`
${htmlHello}
${paragraph('We are sorry: <strong>{{name}}</strong> has been discontinued and will not come back into stock.')}
{{#hasOrder}}
${paragraph('Your order <strong>{{orderLabel}}</strong> was waiting for {{quantity}} of it. You can take an alternative or <a href="{{cancelUrl}}" style="color: #1d4ed8;">cancel this item</a>.')}
${button('alternativesUrl', 'See alternatives')}
{{/hasOrder}}
{{^hasOrder}}
${paragraph('You asked us to tell you when it was back in stock, so we wanted you to know.')}
{{/hasOrder}}
{{#hasAlternatives}}
${paragraph('You might like instead:')}
{{#alternatives}}
${paragraph('<a href="{{url}}" style="color: #1d4ed8;">{{name}}</a>')}
{{/alternatives}}
{{/hasAlternatives}}
{{#unsubscribeUrl}}
${unsubscribeLine}
{{/unsubscribeUrl}}
`),
    sms: '{{shopName}}: sorry, {{name}} has been discontinued.{{#hasOrder}} Order {{orderLabel}}: {{choicesUrl}}{{/hasOrder}}{{^hasOrder}}{{#hasAlternatives}} Instead: {{#alternatives}}{{name}}; {{/alternatives}}{{/hasAlternatives}} {{stopText}}{{/hasOrder}}',
  },

  back_in_stock: {
    subject: '{{name}} is back in stock',
    text: `${hello}

Good news: {{name}}{{#price}} ({{price}}){{/price}} is back in stock. Units are limited and go to whoever orders first:
{{itemUrl}}

You are receiving this because you asked us to tell you. To stop these messages: {{unsubscribeUrl}}

{{shopName}}
`,
    html: page(`
${htmlHello}
${paragraph('Good news: it is back in stock. Units are limited and go to whoever orders first.')}
${itemRow()}
${button('itemUrl', 'Order it now')}
${unsubscribeLine}
`),
    sms: '{{shopName}}: {{name}} is back in stock, limited units: {{itemUrl}} {{stopText}}',
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
    html: staffPage(`
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
