/** What a transport is handed: the outbox row as rendered at its first attempt. */
export interface OutgoingMessage {
  id: number;
  dedupeKey: string;
  recipient: string;
  subject: string;
  text: string;
  html: string | null;
  /** For webhooks: the event envelope, sent byte for byte as signed. */
  body: string;
  webhookSecret?: string;
  /** Further email headers (List-Unsubscribe on "notify me" mail). */
  headers?: Record<string, string>;
}

export interface Delivered {
  /** smtp, sms-http, webhook or log: what actually carried it. */
  via: string;
  /** The receiver's answer (SMTP response, HTTP status), for the attempt log. */
  detail: string;
}

/**
 * A delivery that did not happen. `permanent` when trying again cannot help (an address
 * the mail server refuses outright, a webhook URL that is gone), so it goes straight to
 * the dead letters instead of being retried.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly via: string,
    readonly permanent = false,
  ) {
    super(message);
  }
}

export interface Transport {
  send(message: OutgoingMessage): Promise<Delivered>;
  close?(): Promise<void> | void;
}
