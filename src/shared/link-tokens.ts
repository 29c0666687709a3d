import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed links in customer messages. A link names what it is about (the shop's order
 * reference, a subscription) in the clear and carries a token the shop, or this server,
 * checks with the shared secret: nobody can make a link to another customer's order by
 * changing the reference, and an order link stops working after its expiry.
 *
 * token = EXPIRY "." MAC, where EXPIRY is Unix seconds (0: never expires) and MAC is the
 * first 16 bytes of HMAC-SHA256(secret, PURPOSE ":" SUBJECT ":" EXPIRY), base64url without
 * padding (22 characters). 16 bytes keep an SMS short and are still far beyond guessing.
 * docs/guides/customer-messages.md shows the shop's side; a test runs that code.
 */
export type LinkPurpose = 'order' | 'unsubscribe';

const MAC_BYTES = 16;

function mac(secret: string, purpose: LinkPurpose, subject: string, expiry: number): Buffer {
  return createHmac('sha256', secret)
    .update(`${purpose}:${subject}:${expiry}`)
    .digest()
    .subarray(0, MAC_BYTES);
}

/** expiresAt: Unix seconds, or 0 for a link that never expires. */
export function signLink(
  secret: string,
  purpose: LinkPurpose,
  subject: string,
  expiresAt: number,
): string {
  const expiry = Math.max(0, Math.floor(expiresAt));
  return `${expiry}.${mac(secret, purpose, subject, expiry).toString('base64url')}`;
}

export type LinkCheck = 'valid' | 'expired' | 'invalid';

/** Whether a token was signed for this purpose and subject, and is still in date. */
export function verifyLink(
  secret: string,
  purpose: LinkPurpose,
  subject: string,
  token: string,
  nowSeconds: number,
): LinkCheck {
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match) return 'invalid';
  const expiry = Number(match[1]);
  const given = Buffer.from(match[2]!, 'base64url');
  const expected = mac(secret, purpose, subject, expiry);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
  return expiry !== 0 && expiry < nowSeconds ? 'expired' : 'valid';
}

/**
 * The token in a one-click unsubscribe URL: the subscription id and a MAC that never
 * expires (people unsubscribe from mail months old), as ID "." EXPIRY "." MAC.
 */
export function unsubscribeToken(secret: string, subscriptionId: number): string {
  return `${subscriptionId}.${signLink(secret, 'unsubscribe', String(subscriptionId), 0)}`;
}

/** The subscription an unsubscribe token names, or null when it is not one we signed. */
export function subscriptionOfToken(secret: string, token: string): number | null {
  const match = /^(\d{1,15})\.(.+)$/.exec(token);
  if (!match) return null;
  const verdict = verifyLink(secret, 'unsubscribe', match[1]!, match[2]!, 0);
  return verdict === 'valid' ? Number(match[1]) : null;
}
