import {
  type Delivered,
  DeliveryError,
  type OutgoingMessage,
  type Transport,
} from '../../kernel/outbox/transport.js';

export interface SmsProviderConfig {
  /** The provider's message endpoint, e.g. https://api.twilio.com/2010-04-01/Accounts/AC…/Messages.json */
  url: string;
  username: string | undefined;
  password: string | undefined;
  from: string;
}

/**
 * SMS through an HTTP provider in the Twilio style: a form POST of To, From and Body with
 * basic auth. An Idempotency-Key header carries the dedupe key for providers that honour it.
 */
export function smsHttpTransport(config: SmsProviderConfig, timeoutMs = 10_000): Transport {
  const auth =
    config.username !== undefined
      ? `Basic ${Buffer.from(`${config.username}:${config.password ?? ''}`).toString('base64')}`
      : undefined;
  return {
    async send(message: OutgoingMessage): Promise<Delivered> {
      let response: Response;
      try {
        response = await fetch(config.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'idempotency-key': message.dedupeKey,
            ...(auth && { authorization: auth }),
          },
          body: new URLSearchParams({
            To: message.recipient,
            From: config.from,
            Body: message.text,
          }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new DeliveryError(
          `SMS provider unreachable: ${(error as Error).message}`,
          'sms-http',
        );
      }
      const answer = (await response.text()).slice(0, 300);
      if (!response.ok) {
        // 400 is the provider refusing the number or text: retrying sends the same.
        throw new DeliveryError(
          `SMS provider answered ${response.status}: ${answer}`,
          'sms-http',
          response.status === 400,
        );
      }
      return { via: 'sms-http', detail: `${response.status} ${answer}` };
    },
  };
}
