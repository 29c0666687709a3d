import type { Transport } from '../kernel/outbox/transport.js';
import { type Dispatcher, defaultWorkerName, type Renderer } from '../messaging/dispatcher.js';
import { smtpTransport } from '../messaging/transports/email.js';
import { logTransport } from '../messaging/transports/log.js';
import { smsHttpTransport } from '../messaging/transports/sms.js';
import { webhookTransport } from '../webhooks/webhook-transport.js';
import type { Config } from './config.js';

/**
 * The dispatcher this process runs, with the transports the environment configures; a
 * transport left unset writes to the log instead (and the message stays readable).
 */
export function createDispatcher(
  config: Pick<Config, 'transports' | 'dispatch' | 'messaging' | 'webhooks'>,
  render: Renderer,
  log: (entry: Record<string, unknown>, line: string) => void,
): Dispatcher & { close(): Promise<void> } {
  const email: Transport = config.transports.smtpUrl
    ? smtpTransport(
        config.transports.smtpUrl,
        config.messaging.mailFrom,
        config.dispatch.concurrency,
      )
    : logTransport('email', log);
  const sms: Transport = config.transports.sms
    ? smsHttpTransport(config.transports.sms)
    : logTransport('sms', log);
  const webhook = webhookTransport(config.webhooks);
  return {
    transports: { email, sms, webhook },
    render,
    config: config.dispatch,
    worker: defaultWorkerName(),
    async close() {
      await email.close?.();
      await sms.close?.();
      await webhook.close?.();
    },
  };
}
