import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import {
  type Delivered,
  DeliveryError,
  type OutgoingMessage,
  type Transport,
} from '../../kernel/outbox/transport.js';

/**
 * SMTP through nodemailer (the de-facto Node mailer: pooling, TLS, auth, MIME with text and
 * HTML parts). The Message-ID derives from the outbox dedupe key, so a message re-sent
 * after a crash mid-send carries the same id and mail systems can fold the copies.
 */
export function smtpTransport(url: string, from: string, maxConnections = 5): Transport {
  // Pooled: a handful of connections kept open and reused, instead of one per message.
  const mailer = nodemailer.createTransport({ url, pool: true, maxConnections }, { from });
  return {
    async send(message: OutgoingMessage): Promise<Delivered> {
      try {
        const info = await mailer.sendMail({
          from,
          to: message.recipient,
          subject: message.subject,
          text: message.text,
          ...(message.html !== null && { html: message.html }),
          messageId: messageIdFor(message.dedupeKey),
          headers: { ...message.headers, 'X-Stockroom-Dedupe-Key': message.dedupeKey },
        });
        return { via: 'smtp', detail: String(info.response ?? 'accepted') };
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        // 5xx is the server refusing this message for good (unknown mailbox, policy);
        // connection failures and 4xx are worth another try later.
        throw new DeliveryError(
          (error as Error).message,
          'smtp',
          typeof code === 'number' && code >= 500,
        );
      }
    },
    close: () => mailer.close(),
  };
}

export function messageIdFor(dedupeKey: string): string {
  return `<${createHash('sha256').update(dedupeKey).digest('hex').slice(0, 32)}@stockroom>`;
}
