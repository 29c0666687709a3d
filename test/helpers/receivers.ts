import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * Real receivers for the transports, started inside the test: an SMTP server (the
 * smtp-server package, which nodemailer's own tests use) and an HTTP server standing for
 * the SMS provider and webhook endpoints. They record what arrived and can be told to
 * refuse, or to hold a delivery unanswered (a crash mid-send).
 */

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  messageId: string;
  dedupeKey: string;
  raw: string;
}

export interface SmtpSink {
  url: string;
  received: ReceivedMail[];
  /** What the next DATA commands get: accept (default), a 4xx/5xx code, or no answer. */
  mode: 'accept' | 'hold' | { code: number; message: string };
  /** How many deliveries are being held unanswered right now (mode 'hold'). */
  held(): number;
  /** Resolves once `count` mails have been accepted. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const arrivals = waiter(received, 'mails');
  const held: (() => void)[] = [];
  const sink: SmtpSink = {
    url: '',
    received,
    mode: 'accept',
    held: () => held.length,
    waitFor: arrivals.waitFor,
    async close() {
      for (const release of held) release();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const mode = sink.mode;
        if (mode === 'hold') {
          // Never answered: the sender's connection dies with it, the mail is not accepted.
          held.push(() => callback(new Error('closing')));
          return;
        }
        if (mode !== 'accept') {
          const error = Object.assign(new Error(mode.message), { responseCode: mode.code });
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw)
          .then((mail) => {
            received.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : null,
              messageId: mail.messageId ?? '',
              dedupeKey: String(mail.headers.get('x-stockroom-dedupe-key') ?? ''),
              raw,
            });
            callback();
            arrivals.arrived();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  sink.url = `smtp://127.0.0.1:${port}`;
  return sink;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface HttpReceiver {
  url: string;
  received: ReceivedRequest[];
  /** Status answered to the next requests (default 200); a function decides per request. */
  status: number | ((request: ReceivedRequest) => number);
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

export async function startHttpReceiver(): Promise<HttpReceiver> {
  const received: ReceivedRequest[] = [];
  const arrivals = waiter(received, 'requests');
  const receiver: HttpReceiver = {
    url: '',
    received,
    status: 200,
    waitFor: arrivals.waitFor,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(request);
      const status =
        typeof receiver.status === 'function' ? receiver.status(request) : receiver.status;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(status < 300 ? { sid: `SM${received.length}` } : { error: 'refused' }),
      );
      arrivals.arrived();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

/** Lets a test wait until a list of arrivals has grown to a count. */
function waiter<T>(list: T[], what: string) {
  const waiting: { count: number; resolve: () => void }[] = [];
  return {
    async waitFor(count: number, timeoutMs = 20_000): Promise<T[]> {
      if (list.length < count) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`waited for ${count} ${what}, got ${list.length}`)),
            timeoutMs,
          );
          waiting.push({
            count,
            resolve: () => {
              clearTimeout(timer);
              resolve();
            },
          });
        });
      }
      return list;
    },
    arrived() {
      for (const w of [...waiting]) {
        if (list.length >= w.count) {
          waiting.splice(waiting.indexOf(w), 1);
          w.resolve();
        }
      }
    },
  };
}
