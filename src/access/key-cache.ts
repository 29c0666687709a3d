import type { ChangeWatch } from '../db/change-watch.js';
import type { AppContext } from '../kernel/context.js';
import { VersionedCache } from '../shared/versioned-cache.js';
import { authenticateHash, hashKey } from './keys.service.js';
import type { Principal } from './principal.js';

/** More live keys than any shop has; unknown keys are never kept (VersionedCache). */
const CAPACITY = 10_000;

export interface KeyCache {
  /** The key's principal, or null if it is unknown or revoked. */
  principal(key: string): Promise<Principal | null>;
}

/**
 * API keys by hash, so that a request with a known key costs no read of api_keys. A
 * revocation (or any change to api_keys or channels) moves the `keys` generation, which
 * empties the cache before the next look-up in every process: see ChangeWatch for how
 * each database announces it. One per app (buildApp), so apps in one process stay apart.
 */
export function createKeyCache(ctx: AppContext, watch: ChangeWatch): KeyCache {
  const cache = new VersionedCache<string, Readonly<Principal>>(CAPACITY);
  const generation = () => watch.generation('keys');
  return {
    principal(key) {
      const hash = hashKey(key);
      return cache.get(hash, generation, () => authenticateHash(ctx, hash));
    },
  };
}
