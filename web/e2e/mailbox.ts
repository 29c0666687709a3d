import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Mail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  /** The header the outbox sets to make each send unique (docs/api.md). */
  dedupeKey: string;
  receivedAt: Date;
}

export interface Mailbox {
  /** `smtp://127.0.0.1:<port>` for STOCKROOM_SMTP_URL. */
  url: string;
  /** Every mail received so far, oldest first (all tests of the worker: filter by address). */
  received: Mail[];
  /** The first mail (already received or arriving) that matches; fails after the timeout. */
  waitFor(predicate: (mail: Mail) => boolean, timeoutMs?: number): Promise<Mail>;
  /**
   * Answers 550 to RCPT TO for this address until `accept` is called: a mailbox that does not
   * exist, which the dispatcher takes as final (the message is dead at once, docs/api.md).
   */
  refuse(address: string): void;
  accept(address: string): void;
  close(): Promise<void>;
}

/** A real in-process SMTP server that keeps what it is sent, parsed with mailparser. */
export async function startMailbox(): Promise<Mailbox> {
  const received: Mail[] = [];
  const waiting = new Set<() => void>();
  const refused = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (!refused.has(address.address.toLowerCase())) return callback();
      const error: Error & { responseCode?: number } = new Error('No such mailbox here');
      error.responseCode = 550;
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        simpleParser(Buffer.concat(chunks))
          .then((mail) => {
            received.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((recipient) => recipient.address),
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : null,
              dedupeKey: String(mail.headers.get('x-stockroom-dedupe-key') ?? ''),
              receivedAt: new Date(),
            });
            callback();
            for (const wake of waiting) wake();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    waitFor(predicate, timeoutMs = 20_000) {
      return new Promise<Mail>((resolve, reject) => {
        const check = () => {
          const mail = received.find(predicate);
          if (!mail) return;
          clearTimeout(timer);
          waiting.delete(check);
          resolve(mail);
        };
        const timer = setTimeout(() => {
          waiting.delete(check);
          const seen = received.map((mail) => `${mail.to.join(',')}: ${mail.subject}`);
          reject(
            new Error(`No matching mail within ${timeoutMs} ms; received: ${seen.join(' | ')}`),
          );
        }, timeoutMs);
        waiting.add(check);
        check();
      });
    },
    refuse: (address) => void refused.add(address.toLowerCase()),
    accept: (address) => void refused.delete(address.toLowerCase()),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
