import type { Delivered, OutgoingMessage, Transport } from './transport.js';

/**
 * The zero-configuration transport: with no SMTP server or SMS provider set, messages are
 * written to the server log and kept in the outbox as sent `via: log`, where
 * GET /v1/messages shows exactly what a customer would have received.
 */
export function logTransport(
  kind: 'email' | 'sms',
  log: (entry: Record<string, unknown>, line: string) => void,
): Transport {
  return {
    async send(message: OutgoingMessage): Promise<Delivered> {
      log(
        {
          messageId: message.id,
          to: message.recipient,
          subject: message.subject,
          text: message.text,
        },
        `${kind} to ${message.recipient} (log transport: no ${kind === 'email' ? 'STOCKROOM_SMTP_URL' : 'STOCKROOM_SMS_URL'} set)`,
      );
      return { via: 'log', detail: 'written to the server log' };
    },
  };
}
