/**
 * Outbox dispatcher benchmark: messages per second into a local SMTP server.
 *
 *   npm run bench:dispatcher                               # both databases
 *   npm run bench:dispatcher -- --only sqlite --messages 2000 --concurrency 1,4,8,16
 *
 * For each database it starts an SMTP server in this process (smtp-server, reading every
 * byte of each message and answering 250), then for each concurrency queues N customer
 * messages ("back in stock" emails) in the outbox and times the real dispatcher
 * (dispatchOnce until drained: claim a batch, render the template, send through pooled
 * nodemailer with as many connections as the concurrency, mark sent and log the attempt).
 * Two references in the same run give the ratios:
 *   - raw SMTP: the same number of pre-rendered mails through the same pooled nodemailer,
 *     no database: the ceiling of the mail path;
 *   - log transport: the dispatcher with delivery written to a no-op log: the cost of the
 *     outbox bookkeeping alone (claim, render, mark, attempt row).
 * It prints figures and ratios; it never asserts on time.
 */
import { parseArgs } from 'node:util';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { createItem } from '../src/catalogue/items.service.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { AppContext } from '../src/kernel/context.js';
import { enqueueMessages, type NewMessage } from '../src/kernel/outbox/outbox.repository.js';
import { type Dispatcher, dispatchOnce } from '../src/messaging/dispatcher.js';
import { renderOutboxMessage } from '../src/messaging/message-view.js';
import { smtpTransport } from '../src/messaging/transports/email.js';
import { logTransport } from '../src/messaging/transports/log.js';
import { systemClock } from '../src/shared/clock.js';
import { webhookTransport } from '../src/webhooks/webhook-transport.js';
import { chosenTargets, loadNow, machineLine, type Target } from './databases.js';

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    messages: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '1,4,8,16' },
  },
});
const MESSAGES = Number(args.messages);
const CONCURRENCIES = args.concurrency!.split(',').map(Number);
const fmt = (n: number) => Math.round(n).toLocaleString('en-GB');

async function startSink() {
  let accepted = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        accepted++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted: () => accepted,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let batchNo = 0;
function messages(n: number): NewMessage[] {
  batchNo++;
  return Array.from({ length: n }, (_, i) => ({
    dedupeKey: `bench:${batchNo}:${i}`,
    audience: 'customer' as const,
    transport: 'email' as const,
    template: 'back_in_stock',
    recipient: `customer${i}@example.test`,
    data: {
      customerName: `Customer ${i}`,
      sku: 'KET-01',
      channel: 'web',
      available: 5,
      subscriptionId: i + 1,
      token: `tok${batchNo}x${i}`,
    },
  }));
}

async function timeDrain(ctx: AppContext, dispatcher: Dispatcher): Promise<number> {
  await enqueueMessages(ctx.db, messages(MESSAGES), ctx.clock.now().toISOString());
  const t0 = performance.now();
  let sent = 0;
  for (;;) {
    const r = await dispatchOnce(ctx, dispatcher);
    sent += r.delivered;
    if (r.claimed === 0) break;
  }
  const seconds = (performance.now() - t0) / 1000;
  if (sent !== MESSAGES) throw new Error(`sent ${sent} of ${MESSAGES}`);
  return MESSAGES / seconds;
}

async function rawSmtp(url: string, concurrency: number): Promise<number> {
  const mailer = nodemailer.createTransport({ url, pool: true, maxConnections: concurrency });
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < MESSAGES) {
        const i = next++;
        await mailer.sendMail({
          from: 'shop@example.test',
          to: `customer${i}@example.test`,
          subject: 'Copper kettle is back in stock',
          text: 'Good news: Copper kettle is back in stock at the web shop. '.repeat(4),
          html: `<p>${'Good news: Copper kettle is back in stock at the web shop. '.repeat(4)}</p>`,
        });
      }
    }),
  );
  const rate = MESSAGES / ((performance.now() - t0) / 1000);
  mailer.close();
  return rate;
}

async function benchOne(target: Target) {
  const { database, describe, cleanup } = await target.open();
  const sink = await startSink();
  process.stdout.write(`\n=== ${target.kind}: ${describe}\n`);
  try {
    await migrateToLatest(database.db);
    const ctx: AppContext = { db: database.db, dbKind: database.kind, clock: systemClock };
    await createItem(ctx, { sku: 'KET-01', name: 'Copper kettle', category: 'kitchen', price: 40 });
    const rows: string[] = [];
    for (const c of CONCURRENCIES) {
      const config = {
        intervalMs: 0,
        batchSize: Math.max(50, c * 4),
        maxAttempts: 3,
        retryBaseSeconds: 30,
        retryMaxSeconds: 3600,
        leaseSeconds: 120,
        concurrency: c,
      };
      const email = smtpTransport(sink.url, 'shop@example.test', c);
      const viaSmtp: Dispatcher = {
        transports: { email, sms: logTransport('sms', () => {}), webhook: webhookTransport() },
        render: renderOutboxMessage,
        config,
        worker: 'bench',
      };
      const viaLog: Dispatcher = {
        ...viaSmtp,
        transports: { ...viaSmtp.transports, email: logTransport('email', () => {}) },
      };
      const before = sink.accepted();
      const dispatched = await timeDrain(ctx, viaSmtp);
      const delivered = sink.accepted() - before;
      await email.close?.();
      const bookkeeping = await timeDrain(ctx, viaLog);
      const raw = await rawSmtp(sink.url, c);
      rows.push(
        `  concurrency ${String(c).padStart(2)}: dispatcher → SMTP ${fmt(dispatched).padStart(6)} msg/s` +
          ` (${delivered} accepted) | raw SMTP ${fmt(raw).padStart(6)} msg/s → ${((dispatched / raw) * 100).toFixed(0)}% of raw` +
          ` | outbox alone (log transport) ${fmt(bookkeeping).padStart(6)} msg/s`,
      );
      process.stdout.write(`${rows.at(-1)}\n`);
    }
    return { kind: target.kind, rows, load: loadNow() };
  } finally {
    await sink.close();
    await cleanup();
  }
}

process.stdout.write(
  `Stockroom dispatcher benchmark: ${fmt(MESSAGES)} "back in stock" emails per measurement; concurrency ${CONCURRENCIES.join(', ')}\n` +
    `${machineLine()}\n`,
);
const targets = await chosenTargets(args.only);
const results = [];
for (const target of targets) results.push(await benchOne(target));
for (const r of results) {
  process.stdout.write(
    `\n--- ${r.kind} summary (load average at the end ${r.load})\n${r.rows.join('\n')}\n`,
  );
}
