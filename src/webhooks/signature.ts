import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * Webhook signatures follow the Standard Webhooks specification (standardwebhooks.com),
 * so receivers can verify them with its libraries in any language:
 *
 *   webhook-id: the message id, the same on every retry (receivers drop duplicates by it)
 *   webhook-timestamp: unix seconds of this attempt
 *   webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">
 *
 * keyed with the bytes of the secret, which is `whsec_` + base64 of 32 random bytes.
 */
export const SECRET_PREFIX = 'whsec_';

/** 256 random bits: the receiver's HMAC key, so it must not be guessable. */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** The three headers of one delivery attempt, signed with the standardwebhooks package. */
export function signedHeaders(
  secret: string,
  messageId: string,
  timestamp: Date,
  body: string,
): SignedHeaders {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(messageId, timestamp, body),
  };
}

/** The webhook-id of an outbox message: stable across retries, unique per delivery. */
export function webhookMessageId(outboxId: number): string {
  return `msg_${outboxId}`;
}
