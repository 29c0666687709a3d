import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import {
  type Delivered,
  DeliveryError,
  type OutgoingMessage,
  type Transport,
} from '../kernel/outbox/transport.js';
import { signedHeaders, webhookMessageId } from './signature.js';
import {
  DEFAULT_WEBHOOK_TARGET_SETTINGS,
  pinnedLookup,
  resolveTarget,
  WebhookTargetForbiddenError,
  type WebhookTargetSettings,
} from './target-resolver.js';

export interface WebhookTransportOptions extends WebhookTargetSettings {
  timeoutMs: number;
  /** When each attempt is signed (webhook-timestamp). */
  now: () => Date;
}

/**
 * POSTs the event envelope to the endpoint, signed per Standard Webhooks
 * (src/webhooks/signature.ts). Any 2xx is delivered; anything else is retried, except
 * 410 Gone, which says to stop. Redirects are not followed: a signed body should go only
 * where it was registered to go.
 *
 * Unless private targets are allowed, the host is resolved at each attempt, every address
 * checked (src/webhooks/target-policy.ts), and the socket connects only to those checked
 * addresses: a name re-pointed at 127.0.0.1 after registration is refused, not followed.
 */
export function webhookTransport(options: Partial<WebhookTransportOptions> = {}): Transport {
  const { allowPrivateTargets, timeoutMs, now } = {
    ...DEFAULT_WEBHOOK_TARGET_SETTINGS,
    timeoutMs: 10_000,
    now: () => new Date(),
    ...options,
  };
  const agents = {
    'http:': new HttpAgent({ keepAlive: true }),
    'https:': new HttpsAgent({ keepAlive: true }),
  };
  return {
    async send(message: OutgoingMessage): Promise<Delivered> {
      const event = JSON.parse(message.body) as { id: number; type: string };
      const url = new URL(message.recipient);
      // One deadline for the whole attempt, the name's resolution included.
      const signal = AbortSignal.timeout(timeoutMs);
      let lookup: ReturnType<typeof pinnedLookup> | undefined;
      if (!allowPrivateTargets) {
        try {
          lookup = pinnedLookup(await abortable(resolveTarget(url.hostname), signal));
        } catch (error) {
          const refused = error instanceof WebhookTargetForbiddenError;
          throw new DeliveryError(
            `${refused ? 'Target refused' : 'Endpoint unreachable'}: ${(error as Error).message}`,
            'webhook',
          );
        }
      }
      let signature: ReturnType<typeof signedHeaders>;
      try {
        signature = signedHeaders(
          message.webhookSecret ?? '',
          webhookMessageId(message.id),
          now(),
          message.body,
        );
      } catch (error) {
        // A stored secret the library cannot decode; rotating the secret mends it.
        throw new DeliveryError(`Cannot sign: ${(error as Error).message}`, 'webhook');
      }
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'Stockroom-Webhooks/2',
        ...signature,
        'stockroom-event-id': String(event.id),
        'stockroom-event-type': event.type,
        'idempotency-key': message.dedupeKey,
      };
      let answer: { status: number; text: string };
      try {
        answer = await post(url, message.body, {
          headers,
          agent: url.protocol === 'https:' ? agents['https:'] : agents['http:'],
          ...(lookup && { lookup }),
          signal,
        });
      } catch (error) {
        throw new DeliveryError(`Endpoint unreachable: ${(error as Error).message}`, 'webhook');
      }
      if (answer.status < 200 || answer.status >= 300) {
        throw new DeliveryError(
          `Endpoint answered ${answer.status}${answer.text ? `: ${answer.text}` : ''}`,
          'webhook',
          answer.status === 410,
        );
      }
      return { via: 'webhook', detail: `${answer.status}` };
    },
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

const ANSWER_KEPT = 300;

/** Rejects when the signal aborts first (a DNS lookup cannot itself be cancelled). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('no DNS answer within the timeout'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('no DNS answer within the timeout'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * One POST over node:http(s), which (unlike fetch) takes a `lookup` for its socket.
 * Resolves with the status and the start of the answer (kept for the attempt log).
 */
function post(
  url: URL,
  body: string,
  options: {
    headers: Record<string, string>;
    agent: HttpAgent;
    lookup?: ReturnType<typeof pinnedLookup>;
    signal: AbortSignal;
  },
): Promise<{ status: number; text: string }> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      {
        method: 'POST',
        headers: { ...options.headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: options.agent,
        signal: options.signal,
        ...(options.lookup && { lookup: options.lookup }),
      },
      (response: IncomingMessage) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (text.length < ANSWER_KEPT) text += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: text.slice(0, ANSWER_KEPT) }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', (error) =>
      reject(
        options.signal.aborted
          ? new Error(`no answer within the timeout (${error.message})`)
          : error,
      ),
    );
    request.end(body);
  });
}
