import type { Generated } from 'kysely';

export type Role = 'admin' | 'staff' | 'channel';

export interface ApiKeysTable {
  id: Generated<number>;
  name: string;
  role: Role;
  /** Set only for role 'channel': the one channel this key may read and order for. */
  channel_id: number | null;
  /** SHA-256 of the key; the key itself is shown once and never stored. */
  key_hash: string;
  /** First characters of the key, so people can tell their keys apart in lists. */
  key_prefix: string;
  created_at: string;
  revoked_at: string | null;
}
