/**
 * What the words of customer and staff messages depend on, from the environment
 * (src/config.ts). Transports' own settings (SMTP URL, SMS provider) live with the
 * dispatcher; these are the shop's.
 */
export interface MessagingSettings {
  /** Signs messages ("Kettle & Co"). */
  shopName: string;
  /** The shop's customer-facing site; links in messages start here. */
  shopUrl: string;
  /** From address of every email. */
  mailFrom: string;
  /** Offered in every delay notice, e.g. "free shipping on your next order with SORRY10"; null: none. */
  delayIncentive: string | null;
  /** Staff alerts are emailed to these addresses (and always listed at GET /v1/alerts). */
  staffEmails: readonly string[];
  /** A "notify me" wave reaches at most available units × this many subscribers. */
  notifyWaveMultiple: number;
  /** After a wave, the next goes this long later if stock is still there and people wait. */
  notifyWaveDelayMinutes: number;
  /** Where this server is reached from outside: the one-click unsubscribe links point here. */
  publicUrl: string;
  /** The shop's logo at the top of every email; null: the shop's name instead. */
  logoUrl: string | null;
  /** Written in when a customer's language has no templates (and for people with none). */
  defaultLanguage: string;
  /** Times are shown in this zone when no location of the order says otherwise. */
  timeZone: string;
  /** An item's picture, with {sku} for the SKU (https://cdn.example/items/{sku}.jpg); null: none. */
  itemImageUrl: string | null;
  /** ISO 4217 code prices are shown in. */
  currency: string;
  /** Signs links in messages (HMAC-SHA256); null: one is made and kept in the database. */
  linkSecret: string | null;
  /** How long a signed order link stays valid. */
  linkTtlDays: number;
  /** Ends "notify me" SMS: how to opt out; null: the customer's language's own wording. */
  smsStopText: string | null;
}

export const DEFAULT_MESSAGING_SETTINGS: MessagingSettings = {
  shopName: 'Stockroom demo shop',
  shopUrl: 'http://localhost:3000/shop',
  mailFrom: 'Stockroom <no-reply@stockroom.local>',
  delayIncentive: null,
  staffEmails: [],
  notifyWaveMultiple: 1,
  notifyWaveDelayMinutes: 60,
  publicUrl: 'http://localhost:3000',
  logoUrl: null,
  defaultLanguage: 'en',
  timeZone: 'UTC',
  itemImageUrl: null,
  currency: 'GBP',
  linkSecret: null,
  linkTtlDays: 30,
  smsStopText: null,
};
