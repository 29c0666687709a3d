import type { Role } from '../db/tables/api-keys.js';

/** The authenticated caller of a request. */
export interface Principal {
  /**
   * Whose idempotency keys and rate limit these are: `key:ID` for an API key, `user:ID`
   * for a signed-in staff user.
   */
  scope: string;
  name: string;
  role: Role;
  /** For channel keys: the only channel they may use. */
  channel: { id: number; code: string } | null;
  /** Set when the caller is a signed-in staff user rather than an API key. */
  session?: SessionRef;
  /** As written to the ledger. */
  actor: string;
}

/** The staff session behind a request, for the CSRF check and signing out. */
export interface SessionRef {
  id: number;
  userId: number;
  csrfToken: string;
  expiresAt: string;
}
