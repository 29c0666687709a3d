import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures, in the scheme Stripe made familiar: the header
 * `Stockroom-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
 * Signing the timestamp with the body lets receivers refuse replays of old deliveries.
 */
export const SIGNATURE_HEADER = 'stockroom-signature';

export function signatureHeader(secret: string, body: string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${hmac(secret, `${timestampSeconds}.${body}`)}`;
}

/**
 * What a receiver runs (docs/api.md shows the same in a few lines): true when the header
 * carries a valid signature of this exact body made within `toleranceSeconds` of `now`.
 */
export function verifySignature(
  secret: string,
  body: string,
  header: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
  toleranceSeconds = 300,
): boolean {
  const parts = new Map(
    header.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1');
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  // Buffer.from(…, 'hex') stops at the first non-hex character: check the shape first.
  if (!v1 || !/^[0-9a-f]{64}$/i.test(v1)) return false;
  const expected = Buffer.from(hmac(secret, `${t}.${body}`), 'hex');
  const given = Buffer.from(v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function hmac(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}
