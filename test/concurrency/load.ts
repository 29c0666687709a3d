import type { ServerProcess } from './servers.js';

/**
 * Order load for the outage tests (connection loss, kill -9): clients that place orders
 * with idempotency keys and read availability until told to stop, and keep every answer.
 * A request that got no HTTP answer at all (a reset socket) is recorded as status 0.
 */
export interface Sent {
  key: string;
  body: string;
  status: number;
  code?: string;
  retryAfter?: string | null;
  orderId?: number;
  shapeOk?: boolean;
}

export interface Load {
  orders: Sent[];
  reads: { status: number; code?: string; shapeOk?: boolean }[];
  stop(): Promise<void>;
}

export const orderBody = (sku: string, i: number) =>
  JSON.stringify({
    channel: 'web',
    customer: { name: `Customer ${i}`, email: `c${i}@example.test` },
    lines: [{ sku, quantity: 1, acceptBackorder: true }],
  });

export function placeOrder(url: string, adminKey: string, key: string, body: string) {
  return fetch(`${url}/v1/orders`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${adminKey}`,
      'content-type': 'application/json',
      'idempotency-key': key,
    },
    body,
  });
}

function errorShape(body: unknown): { code?: string; ok: boolean } {
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  if (!error) return { ok: false };
  const ok =
    typeof error.code === 'string' &&
    typeof error.message === 'string' &&
    typeof error.details === 'object' &&
    typeof error.requestId === 'string';
  return { code: typeof error.code === 'string' ? error.code : undefined, ok };
}

export function startLoad(options: {
  server: () => ServerProcess;
  adminKey: string;
  clients: number;
  skus: readonly string[];
  /** Distinguishes keys between runs on one database. */
  prefix: string;
}): Load {
  const orders: Sent[] = [];
  const reads: Load['reads'] = [];
  let stopped = false;
  let n = 0;
  const client = async (c: number) => {
    while (!stopped) {
      const i = n++;
      const sku = options.skus[i % options.skus.length]!;
      const key = `${options.prefix}-${i}`;
      const body = orderBody(sku, i);
      const sent: Sent = { key, body, status: 0 };
      try {
        const response = await placeOrder(options.server().url, options.adminKey, key, body);
        sent.status = response.status;
        sent.retryAfter = response.headers.get('retry-after');
        const json = (await response.json()) as { id?: number };
        if (response.status === 201) sent.orderId = json.id;
        else {
          const shape = errorShape(json);
          sent.code = shape.code;
          sent.shapeOk = shape.ok;
        }
      } catch {
        sent.status = 0;
      }
      orders.push(sent);
      if (c % 2 === 0) {
        try {
          const response = await fetch(`${options.server().url}/v1/availability/${sku}`, {
            headers: { authorization: `Bearer ${options.adminKey}` },
          });
          const json = await response.json();
          const shape = response.status === 200 ? { ok: true } : errorShape(json);
          reads.push({ status: response.status, code: shape.code, shapeOk: shape.ok });
        } catch {
          reads.push({ status: 0 });
        }
      }
    }
  };
  const running = Promise.all(Array.from({ length: options.clients }, (_, c) => client(c)));
  return {
    orders,
    reads,
    async stop() {
      stopped = true;
      await running;
    },
  };
}
