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
}

export const DEFAULT_MESSAGING_SETTINGS: MessagingSettings = {
  shopName: 'Stockroom demo shop',
  shopUrl: 'http://localhost:3000/shop',
  mailFrom: 'Stockroom <no-reply@stockroom.local>',
  delayIncentive: null,
  staffEmails: [],
  notifyWaveMultiple: 1,
  notifyWaveDelayMinutes: 60,
};
