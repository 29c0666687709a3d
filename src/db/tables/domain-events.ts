import type { Generated } from 'kysely';

/**
 * Facts written in the same transaction as the change that caused them (a receipt, a
 * date change). Later capabilities (re-promising, customer messages) read them; nothing
 * here is sent anywhere yet.
 */
export interface DomainEventsTable {
  id: Generated<number>;
  type: string;
  /** What it is about, e.g. "purchase_order:12" or "transfer:4". */
  subject: string;
  /** JSON. */
  payload: string;
  actor: string;
  created_at: string;
  /** The channel code it concerns, if one: channel-scoped keys see only their own. */
  channel: string | null;
}
