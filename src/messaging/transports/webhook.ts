import { signatureHeader } from '../../webhooks/signature.js';
import {
  type Delivered,
  DeliveryError,
  type OutgoingMessage,
  type Transport,
} from './transport.js';

/**
 * POSTs the event envelope to the endpoint, signed (src/webhooks/signature.ts). Any 2xx
 * is delivered; anything else is retried, except 410 Gone, which says to stop. Redirects
 * are not followed: a signed body should go only where it was registered to go.
 */
export function webhookTransport(
  timeoutMs = 10_000,
  nowSeconds = () => Math.floor(Date.now() / 1000),
): Transport {
  return {
    async send(message: OutgoingMessage): Promise<Delivered> {
      const event = JSON.parse(message.body) as { id: number; type: string };
      let response: Response;
      try {
        response = await fetch(message.recipient, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Stockroom-Webhooks/1',
            'stockroom-signature': signatureHeader(
              message.webhookSecret ?? '',
              message.body,
              nowSeconds(),
            ),
            'stockroom-event-id': String(event.id),
            'stockroom-event-type': event.type,
            'idempotency-key': message.dedupeKey,
          },
          body: message.body,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new DeliveryError(`Endpoint unreachable: ${(error as Error).message}`, 'webhook');
      }
      const answer = (await response.text().catch(() => '')).slice(0, 300);
      if (response.status < 200 || response.status >= 300) {
        throw new DeliveryError(
          `Endpoint answered ${response.status}${answer ? `: ${answer}` : ''}`,
          'webhook',
          response.status === 410,
        );
      }
      return { via: 'webhook', detail: `${response.status}` };
    },
  };
}
