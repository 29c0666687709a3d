import type { MessageKind } from '../domain/customer-messages.js';
import { button, itemRow, page, paragraph, smallPrint } from './email-layout.js';
import type { MessageTemplate } from './templates.js';

/**
 * The customer messages in German (Sie-Form), for customers whose language is `de`. The
 * same names as the English ones (templates.ts); staff alerts have no German version and
 * fall back to the shop's language.
 */

const hello =
  '{{#firstName}}Hallo {{firstName}},{{/firstName}}{{^firstName}}Guten Tag,{{/firstName}}';
const htmlHello = paragraph(hello);
const dated =
  '{{#hasDate}}{{#estimated}}voraussichtlich am{{/estimated}}{{^estimated}}bis{{/estimated}} {{promisedDate}}{{/hasDate}}{{^hasDate}}noch ohne Termin{{/hasDate}}';
const datedShort =
  '{{#hasDate}}{{#estimated}}ca.{{/estimated}}{{^estimated}}bis{{/estimated}} {{promisedDateShort}}{{/hasDate}}{{^hasDate}}noch ohne Termin{{/hasDate}}';
const orderButton = button('orderUrl', 'Bestellung ansehen');
const unsubscribeLine = smallPrint(
  'Sie erhalten diese Nachricht, weil Sie darum gebeten haben. <a href="{{unsubscribeUrl}}" style="color: #6b7280;">Abmelden</a>',
);

export const GERMAN_TEMPLATES: Partial<Record<MessageKind, MessageTemplate>> = {
  backorder_confirmed: {
    subject: 'Ihre Bestellung {{orderLabel}}: wann Ihre Artikel kommen',
    text: `${hello}

vielen Dank für Ihre Bestellung {{orderLabel}}. Diese Artikel sind noch nicht auf Lager; wir senden sie, sobald sie eintreffen:

{{#lines}}
- {{quantity}} x {{name}}{{#preorder}} (Vorbestellung){{/preorder}}{{#price}}, je {{price}}{{/price}}: ${dated}
{{/lines}}

{{#anyPreorder}}
Vorbestellte Artikel senden wir, sobald sie erscheinen.
{{/anyPreorder}}
{{#anyUndated}}
Wo es noch keinen Termin gibt, schreiben wir Ihnen, sobald wir einen haben.
{{/anyUndated}}
Ändert sich ein Termin, sagen wir es Ihnen. Ihre Bestellung: {{orderUrl}}

{{shopName}}
`,
    html: page(`
${htmlHello}
${paragraph('vielen Dank für Ihre Bestellung <strong>{{orderLabel}}</strong>. Diese Artikel sind noch nicht auf Lager; wir senden sie, sobald sie eintreffen:')}
{{#lines}}
${itemRow(`{{#preorder}}Vorbestellung: {{/preorder}}${dated}`)}
{{/lines}}
{{#anyPreorder}}
${paragraph('Vorbestellte Artikel senden wir, sobald sie erscheinen.')}
{{/anyPreorder}}
{{#anyUndated}}
${paragraph('Wo es noch keinen Termin gibt, schreiben wir Ihnen, sobald wir einen haben.')}
{{/anyUndated}}
${paragraph('Ändert sich ein Termin, sagen wir es Ihnen.')}
${orderButton}
`),
    sms: `{{shopName}}: Bestellung {{orderLabel}} bestätigt. Noch offen: {{#lines}}{{quantity}} x {{name}}{{#preorder}} (Vorbestellung){{/preorder}} ${datedShort}; {{/lines}}{{orderUrl}}`,
  },

  promised: {
    subject: 'Ihre Bestellung {{orderLabel}}: Termin für {{name}}',
    text: `${hello}

wir haben jetzt einen Termin für {{quantity}} x {{name}} aus Ihrer Bestellung {{orderLabel}}: {{#estimated}}voraussichtlich am{{/estimated}}{{^estimated}}bis{{/estimated}} {{newDate}}.

Ändert er sich, sagen wir es Ihnen. Ihre Bestellung: {{orderUrl}}

{{shopName}}
`,
    html: page(`
${htmlHello}
${paragraph('wir haben jetzt einen Termin für Ihre Bestellung <strong>{{orderLabel}}</strong>:')}
${itemRow('{{#estimated}}Voraussichtlich am{{/estimated}}{{^estimated}}Bis{{/estimated}} <strong>{{newDate}}</strong>')}
${paragraph('Ändert er sich, sagen wir es Ihnen.')}
${orderButton}
`),
    sms: '{{shopName}}: {{name}} (Bestellung {{orderLabel}}) kommt {{#estimated}}ca.{{/estimated}}{{^estimated}}bis{{/estimated}} {{newDateShort}}. {{orderUrl}}',
  },

  delay: {
    subject: 'Ihre Bestellung {{orderLabel}}: {{name}} verspätet sich',
    text: `${hello}

es tut uns leid: {{quantity}} x {{name}} aus Ihrer Bestellung {{orderLabel}} kommt später als angekündigt.

Angekündigt: {{oldDate}}
Jetzt erwartet: {{newDate}}{{#estimated}} (geschätzt){{/estimated}}

{{#incentive}}
Als Ausgleich für das Warten: {{incentive}}

{{/incentive}}
Wenn Sie nicht warten möchten, können Sie Ihre Bestellung ändern: {{orderUrl}}

{{shopName}}
`,
    html: page(`
${htmlHello}
${paragraph('es tut uns leid: dieser Artikel aus Ihrer Bestellung <strong>{{orderLabel}}</strong> kommt später als angekündigt.')}
${itemRow('Angekündigt: <s>{{oldDate}}</s><br>Jetzt erwartet: <strong>{{newDate}}</strong>{{#estimated}} (geschätzt){{/estimated}}')}
{{#incentive}}
${paragraph('Als Ausgleich für das Warten: <strong>{{incentive}}</strong>')}
{{/incentive}}
${paragraph('Wenn Sie nicht warten möchten, können Sie Ihre Bestellung ändern.')}
${button('orderUrl', 'Bestellung ändern')}
`),
    sms: '{{shopName}}: {{name}} (Best. {{orderLabel}}) kommt erst {{newDateShort}} statt {{oldDateShort}}.{{#incentive}} {{incentive}}.{{/incentive}} {{orderUrl}}',
  },

  earlier_date: {
    subject: 'Gute Nachricht: {{name}} kommt früher',
    text: `${hello}

gute Nachricht: {{quantity}} x {{name}} aus Ihrer Bestellung {{orderLabel}} kommt früher als angekündigt.

Angekündigt: {{oldDate}}
Jetzt erwartet: {{newDate}}{{#estimated}} (geschätzt){{/estimated}}

Ihre Bestellung: {{orderUrl}}

{{shopName}}
`,
    html: page(`
${htmlHello}
${paragraph('gute Nachricht: dieser Artikel aus Ihrer Bestellung <strong>{{orderLabel}}</strong> kommt früher als angekündigt.')}
${itemRow('Angekündigt: <s>{{oldDate}}</s><br>Jetzt erwartet: <strong>{{newDate}}</strong>{{#estimated}} (geschätzt){{/estimated}}')}
${orderButton}
`),
    sms: '{{shopName}}: {{name}} (Bestellung {{orderLabel}}) kommt früher: {{newDateShort}}. {{orderUrl}}',
  },

  unpromised: {
    subject: 'Ihre Bestellung {{orderLabel}}: noch kein Termin für {{name}}',
    text: `${hello}

es tut uns leid: für {{quantity}} x {{name}} aus Ihrer Bestellung {{orderLabel}} können wir im Moment keinen Termin nennen{{#hadDate}} (angekündigt war {{oldDate}}){{/hadDate}}. Wir wissen noch nicht, wann Nachschub kommt.

Was möchten Sie tun?

- Weiter warten; wir schreiben, sobald wir einen Termin haben: {{keepWaitingUrl}}
- Alternativen ansehen: {{alternativesUrl}}
- Diesen Artikel stornieren: {{cancelUrl}}
{{#hasAlternatives}}

Stattdessen möglich:
{{#alternatives}}
- {{name}}: {{url}}
{{/alternatives}}
{{/hasAlternatives}}

{{shopName}}
`,
    html: page(`
${htmlHello}
${paragraph('es tut uns leid: für diesen Artikel aus Ihrer Bestellung <strong>{{orderLabel}}</strong> können wir im Moment keinen Termin nennen{{#hadDate}} (angekündigt war {{oldDate}}){{/hadDate}}. Wir wissen noch nicht, wann Nachschub kommt.')}
${itemRow()}
${paragraph('Was möchten Sie tun?')}
${button('keepWaitingUrl', 'Weiter warten')}
${paragraph('<a href="{{alternativesUrl}}" style="color: #1d4ed8;">Alternativen ansehen</a> oder <a href="{{cancelUrl}}" style="color: #1d4ed8;">diesen Artikel stornieren</a>.')}
{{#hasAlternatives}}
${paragraph('Stattdessen möglich:')}
{{#alternatives}}
${paragraph('<a href="{{url}}" style="color: #1d4ed8;">{{name}}</a>')}
{{/alternatives}}
{{/hasAlternatives}}
`),
    sms: '{{shopName}}: kein Termin für {{name}} (Best. {{orderLabel}}). Ihre Optionen: {{choicesUrl}}',
  },

  ready: {
    subject: 'Ihre Bestellung {{orderLabel}}: {{name}} ist {{readyPhrase}}',
    text: `${hello}

gute Nachricht: {{quantity}} x {{name}} aus Ihrer Bestellung {{orderLabel}} ist {{readyPhrase}}.
{{#pickup}}
Bitte nennen Sie bei der Abholung Ihre Bestellnummer {{orderLabel}}.
{{/pickup}}
{{^pickup}}
Wir sagen Ihnen Bescheid, sobald sie unterwegs ist.
{{/pickup}}

Ihre Bestellung: {{orderUrl}}

{{shopName}}
`,
    html: page(`
${htmlHello}
${paragraph('gute Nachricht: dieser Artikel aus Ihrer Bestellung <strong>{{orderLabel}}</strong> ist <strong>{{readyPhrase}}</strong>.')}
${itemRow()}
{{#pickup}}
${paragraph('Bitte nennen Sie bei der Abholung Ihre Bestellnummer {{orderLabel}}.')}
{{/pickup}}
{{^pickup}}
${paragraph('Wir sagen Ihnen Bescheid, sobald sie unterwegs ist.')}
{{/pickup}}
${orderButton}
`),
    sms: '{{shopName}}: {{quantity}} x {{name}} (Bestellung {{orderLabel}}) ist {{readyPhrase}}. {{orderUrl}}',
  },

  shipped: {
    subject: 'Ihre Bestellung {{orderLabel}} ist unterwegs',
    text: `${hello}

Ihre Bestellung {{orderLabel}} ist unterwegs{{#sentTime}} (verschickt am {{messageDate}} um {{sentTime}} Uhr){{/sentTime}}:

{{#lines}}
- {{quantity}} x {{name}}
{{/lines}}

Ihre Bestellung: {{orderUrl}}

{{shopName}}
`,
    html: page(`
${htmlHello}
${paragraph('Ihre Bestellung <strong>{{orderLabel}}</strong> ist unterwegs{{#sentTime}} (verschickt am {{messageDate}} um {{sentTime}} Uhr){{/sentTime}}:')}
{{#lines}}
${itemRow()}
{{/lines}}
${button('orderUrl', 'Sendung verfolgen')}
`),
    sms: '{{shopName}}: Bestellung {{orderLabel}} ist unterwegs: {{#lines}}{{quantity}} x {{name}}; {{/lines}}{{orderUrl}}',
  },

  discontinued: {
    subject: '{{name}} ist nicht mehr erhältlich',
    text: `${hello}

es tut uns leid: {{name}} wird nicht mehr geführt und kommt nicht wieder auf Lager.
{{#hasOrder}}

Ihre Bestellung {{orderLabel}} wartete auf {{quantity}} Stück davon. Sie können eine Alternative wählen ({{alternativesUrl}}) oder den Artikel stornieren ({{cancelUrl}}).
{{/hasOrder}}
{{^hasOrder}}

Sie wollten erfahren, wann er wieder da ist; deshalb sagen wir es Ihnen.
{{/hasOrder}}
{{#hasAlternatives}}

Vielleicht gefällt Ihnen:
{{#alternatives}}
- {{name}}: {{url}}
{{/alternatives}}
{{/hasAlternatives}}
{{#unsubscribeUrl}}

Abmelden: {{unsubscribeUrl}}
{{/unsubscribeUrl}}

{{shopName}}
`,
    html: page(`
${htmlHello}
${paragraph('es tut uns leid: <strong>{{name}}</strong> wird nicht mehr geführt und kommt nicht wieder auf Lager.')}
{{#hasOrder}}
${paragraph('Ihre Bestellung <strong>{{orderLabel}}</strong> wartete auf {{quantity}} Stück davon. Sie können eine Alternative wählen oder <a href="{{cancelUrl}}" style="color: #1d4ed8;">den Artikel stornieren</a>.')}
${button('alternativesUrl', 'Alternativen ansehen')}
{{/hasOrder}}
{{^hasOrder}}
${paragraph('Sie wollten erfahren, wann er wieder da ist; deshalb sagen wir es Ihnen.')}
{{/hasOrder}}
{{#hasAlternatives}}
${paragraph('Vielleicht gefällt Ihnen:')}
{{#alternatives}}
${paragraph('<a href="{{url}}" style="color: #1d4ed8;">{{name}}</a>')}
{{/alternatives}}
{{/hasAlternatives}}
{{#unsubscribeUrl}}
${unsubscribeLine}
{{/unsubscribeUrl}}
`),
    sms: '{{shopName}}: {{name}} wird leider nicht mehr geführt.{{#hasOrder}} Bestellung {{orderLabel}}: {{choicesUrl}}{{/hasOrder}}{{^hasOrder}}{{#hasAlternatives}} Stattdessen: {{#alternatives}}{{name}}; {{/alternatives}}{{/hasAlternatives}} {{stopText}}{{/hasOrder}}',
  },

  back_in_stock: {
    subject: '{{name}} ist wieder da',
    text: `${hello}

gute Nachricht: {{name}}{{#price}} ({{price}}){{/price}} ist wieder auf Lager. Die Stückzahl ist begrenzt; wer zuerst bestellt, bekommt ihn:
{{itemUrl}}

Sie erhalten diese Nachricht, weil Sie darum gebeten haben. Abmelden: {{unsubscribeUrl}}

{{shopName}}
`,
    html: page(`
${htmlHello}
${paragraph('gute Nachricht: er ist wieder auf Lager. Die Stückzahl ist begrenzt; wer zuerst bestellt, bekommt ihn.')}
${itemRow()}
${button('itemUrl', 'Jetzt bestellen')}
${unsubscribeLine}
`),
    sms: '{{shopName}}: {{name}} ist wieder da, begrenzte Stückzahl: {{itemUrl}} {{stopText}}',
  },
};
