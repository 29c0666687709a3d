import type { Generated } from 'kysely';

export type StaffRole = 'admin' | 'staff';

/** People who sign in to the staff app. API keys stay for programs. */
export interface StaffUsersTable {
  id: Generated<number>;
  /** Lower-cased. */
  email: string;
  name: string;
  role: StaffRole;
  /** `scrypt$N$r$p$salt$hash` (src/access/passwords.ts). */
  password_hash: string;
  created_at: string;
  disabled_at: string | null;
  last_sign_in_at: string | null;
}

export interface StaffSessionsTable {
  id: Generated<number>;
  user_id: number;
  /** SHA-256 of the cookie's token. */
  token_hash: string;
  /** Sent back by the app in X-CSRF-Token on every unsafe request. */
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface SignInFailuresTable {
  id: Generated<number>;
  email: string;
  address: string;
  failed_at: string;
}
