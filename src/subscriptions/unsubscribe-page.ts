/**
 * The pages of the one-click unsubscribe link. A GET only asks (mail scanners and link
 * previews fetch every link in a message; a GET that unsubscribed would unsubscribe
 * people who never clicked); the button POSTs, as a mail client's one-click does.
 */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(shopName: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(shopName)}: unsubscribe</title>
</head>
<body style="margin: 0; padding: 48px 16px; background: #f3f4f6; font-family: Arial, Helvetica, sans-serif; color: #1f2937;">
<main style="max-width: 480px; margin: 0 auto; padding: 32px; background: #ffffff; border-radius: 8px;">
<p style="margin: 0 0 16px 0; font-size: 20px; font-weight: bold;">${escapeHtml(shopName)}</p>
${body}
</main>
</body>
</html>
`;
}

export function confirmPage(shopName: string, item: string, action: string): string {
  return page(
    shopName,
    `<h1 style="font-size: 20px; margin: 0 0 16px 0;">Stop messages about ${escapeHtml(item)}?</h1>
<p style="margin: 0 0 24px 0;">You asked us to tell you when ${escapeHtml(item)} is back in stock. Press the button and we will not write about it again.</p>
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit" style="padding: 12px 24px; font-size: 16px; font-weight: bold; color: #ffffff; background: #1d4ed8; border: 0; border-radius: 6px; cursor: pointer;">Unsubscribe</button>
</form>`,
  );
}

export function donePage(shopName: string, item: string): string {
  return page(
    shopName,
    `<h1 style="font-size: 20px; margin: 0 0 16px 0;">You are unsubscribed</h1>
<p style="margin: 0;">We will not write to you about ${escapeHtml(item)} again.</p>`,
  );
}
