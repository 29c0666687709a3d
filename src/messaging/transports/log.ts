import type { Delivered, OutgoingMessage, Transport } from '../../kernel/outbox/transport.js';

/** Unset transports fall back to the log transport: messages are kept and readable via the API. */
export interface TransportConfig {
  smtpUrl: string | undefined;
  sms:
    | { url: string; username: string | undefined; password: string | undefined; from: string }
    | undefined;
}

/**
 * The zero-configuration transport: with no SMTP server or SMS provider set, messages are
 * written to the server log and kept in the outbox as sent `via: log`, where
 * GET /v1/messages shows exactly what a customer would have received. The log line names
 * the message, never the customer: no address, number, subject or text (logs travel to
 * places customer data must not).
 */
export function logTransport(
  kind: 'email' | 'sms',
  log: (entry: Record<string, unknown>, line: string) => void,
): Transport {
  return {
    async send(message: OutgoingMessage): Promise<Delivered> {
      log(
        { messageId: message.id, channel: kind },
        `${kind} message ${message.id} kept in the outbox, not sent (log transport: no ${settingFor(kind)} set)`,
      );
      return { via: 'log', detail: 'written to the server log' };
    },
  };
}

function settingFor(kind: 'email' | 'sms'): string {
  return kind === 'email' ? 'STOCKROOM_SMTP_URL' : 'STOCKROOM_SMS_URL';
}

/** The start-up warning when customer messages will only be logged, or null. */
export function unsentMessagesWarning(transports: TransportConfig): string | null {
  const unset = [
    ...(transports.smtpUrl ? [] : ['email (STOCKROOM_SMTP_URL)']),
    ...(transports.sms ? [] : ['SMS (STOCKROOM_SMS_URL)']),
  ];
  if (unset.length === 0) return null;
  return `Customer messages are only logged, not sent: no transport for ${unset.join(' or ')}. They stay readable at GET /v1/messages.`;
}
