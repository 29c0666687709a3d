import type { Db } from '../../src/db/schema.js';
import type { AppContext } from '../../src/kernel/context.js';
import type { DispatchConfig } from '../../src/messaging/dispatcher.js';
import { type Dispatcher, dispatchOnce } from '../../src/messaging/dispatcher.js';
import { renderOutboxMessage } from '../../src/messaging/message-view.js';
import { smtpTransport } from '../../src/messaging/transports/email.js';
import { logTransport } from '../../src/messaging/transports/log.js';
import { smsHttpTransport } from '../../src/messaging/transports/sms.js';
import { webhookTransport } from '../../src/webhooks/webhook-transport.js';

export const TEST_DISPATCH: DispatchConfig = {
  intervalMs: 0,
  batchSize: 50,
  maxAttempts: 3,
  retryBaseSeconds: 10,
  retryMaxSeconds: 60,
  leaseSeconds: 30,
  concurrency: 4,
};

/**
 * The real dispatcher with the real transports, pointed at receivers the test started
 * (test/helpers/receivers.ts); a transport not given writes to the log, as in production.
 */
export function testDispatcher(options: {
  smtpUrl?: string;
  smsUrl?: string;
  worker?: string;
  config?: Partial<DispatchConfig>;
  /** STOCKROOM_WEBHOOK_ALLOW_PRIVATE: needed to deliver to receivers on 127.0.0.1. */
  allowPrivateWebhookTargets?: boolean;
}): Dispatcher & { close(): void } {
  const quiet = () => {};
  const email = options.smtpUrl
    ? smtpTransport(options.smtpUrl, 'Shop <shop@example.test>')
    : logTransport('email', quiet);
  const sms = options.smsUrl
    ? smsHttpTransport({
        url: options.smsUrl,
        username: 'AC-test',
        password: 'token',
        from: '+15550001',
      })
    : logTransport('sms', quiet);
  const webhook = webhookTransport({
    allowPrivateTargets: options.allowPrivateWebhookTargets ?? false,
  });
  return {
    transports: { email, sms, webhook },
    render: renderOutboxMessage,
    config: { ...TEST_DISPATCH, ...options.config },
    worker: options.worker ?? 'test-worker',
    random: () => 0.5,
    close: () => {
      void email.close?.();
      void webhook.close?.();
    },
  };
}

/** Dispatches until nothing due is left (what the server's loop does). */
export async function drain(ctx: AppContext, dispatcher: Dispatcher) {
  const total = { claimed: 0, delivered: 0, retrying: 0, dead: 0 };
  for (;;) {
    const r = await dispatchOnce(ctx, dispatcher);
    total.claimed += r.claimed;
    total.delivered += r.delivered;
    total.retrying += r.retrying;
    total.dead += r.dead;
    if (r.claimed === 0) return total;
  }
}

export async function outbox(db: Db) {
  return db.selectFrom('outbox_messages').selectAll().orderBy('id').execute();
}
