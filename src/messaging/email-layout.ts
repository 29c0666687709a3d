/**
 * The HTML every customer email is laid out in, as Mustache pieces the default templates
 * are built from. Mail clients are not browsers: layout is nested tables at most 600px
 * wide that shrink on a phone, every style is inline (Gmail and Outlook drop <style>),
 * images carry width, height and alt, and the button is a padded link in a table cell
 * (bulletproof: it shows as a button even where images are off).
 *
 * URLs are written {{url}}: the HTML escaper (templates.ts) leaves / and = alone, and our
 * links carry no &, so the href in the source is the URL itself.
 */

const FONT = 'font-family: Arial, Helvetica, sans-serif;';

export function page(body: string): string {
  return `<!doctype html>
<html lang="{{language}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<title>{{subjectLine}}</title>
</head>
<body style="margin: 0; padding: 0; background-color: #f3f4f6;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color: #f3f4f6;">
<tr><td align="center" style="padding: 24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width: 560px; background-color: #ffffff; border-radius: 8px;">
<tr><td style="padding: 24px 32px 8px 32px; ${FONT}">
{{#logoUrl}}<img src="{{logoUrl}}" alt="{{shopName}}" height="40" style="display: block; height: 40px; width: auto; border: 0;">{{/logoUrl}}{{^logoUrl}}<span style="font-size: 20px; font-weight: bold; color: #111827;">{{shopName}}</span>{{/logoUrl}}
</td></tr>
<tr><td style="padding: 8px 32px 24px 32px; ${FONT} font-size: 16px; line-height: 24px; color: #1f2937;">
${body.trim()}
</td></tr>
<tr><td style="padding: 16px 32px; ${FONT} font-size: 12px; line-height: 18px; color: #6b7280; border-top: 1px solid #e5e7eb;">
{{shopName}} &middot; {{messageDate}}{{#footer}}<br>{{{footer}}}{{/footer}}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

export function paragraph(html: string): string {
  return `<p style="margin: 0 0 16px 0;">${html}</p>`;
}

/** A call to action: a link styled as a button. */
export function button(urlName: string, label: string): string {
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin: 8px 0 16px 0;">
<tr><td align="center" bgcolor="#1d4ed8" style="border-radius: 6px; background-color: #1d4ed8;">
<a href="{{${urlName}}}" style="display: inline-block; padding: 12px 24px; ${FONT} font-size: 16px; font-weight: bold; color: #ffffff; text-decoration: none; border-radius: 6px;">${label}</a>
</td></tr>
</table>`;
}

/**
 * One item: its picture when the shop has one, its name, the quantity and its price when
 * known. `extra` is Mustache for a further line under the name (a date, say).
 */
export function itemRow(extra = ''): string {
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin: 0 0 12px 0;">
<tr>
{{#imageUrl}}<td width="80" valign="top" style="width: 80px; padding: 0 16px 0 0;"><img src="{{imageUrl}}" width="80" height="80" alt="{{name}}" style="display: block; width: 80px; height: 80px; border: 0; border-radius: 6px;"></td>{{/imageUrl}}
<td valign="top" style="${FONT} font-size: 15px; line-height: 22px; color: #1f2937;">
<strong>{{#quantity}}{{quantity}} &times; {{/quantity}}{{name}}</strong>{{#price}}<br><span style="color: #6b7280;">{{price}}</span>{{/price}}${extra ? `<br>${extra}` : ''}
</td>
</tr>
</table>`;
}

/** Small print under the body: why they receive it, how to stop. */
export function smallPrint(html: string): string {
  return `<p style="margin: 16px 0 0 0; font-size: 12px; line-height: 18px; color: #6b7280;">${html}</p>`;
}
