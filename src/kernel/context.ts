import type { Kysely } from 'kysely';
import type { DatabaseKind } from '../db/database.js';
import type { DB } from '../db/schema.js';
import type { AllocationStrategy } from '../domain/allocation-order.js';
import type { GeoPoint } from '../domain/great-circle.js';
import type { Clock } from '../shared/clock.js';
import type { GroupCommitSettings } from './group-commit/group-commit.js';
import type { MessagingSettings } from './messaging-settings.js';

/** Whether webhooks may target private addresses (STOCKROOM_WEBHOOK_ALLOW_PRIVATE). */
export interface WebhookTargetSettings {
  allowPrivateTargets: boolean;
}

/**
 * What every use case needs, passed explicitly instead of resolved from a container.
 */
export interface AppContext {
  db: Kysely<DB>;
  dbKind: DatabaseKind;
  clock: Clock;
  /** The shop's messaging settings; DEFAULT_MESSAGING_SETTINGS when not given. */
  messaging?: MessagingSettings;
  /** Which webhook URLs registration accepts; private targets refused when not given. */
  webhooks?: WebhookTargetSettings;
  /**
   * How order placements are batched into shared transactions (src/orders/order-batcher.ts);
   * the defaults there when not given, 'off' for one transaction per order.
   */
  groupCommit?: GroupCommitSettings | 'off';
  /**
   * The app's channel cache (buildApp sets it; src/catalogue/channels.cache.ts). Use it
   * through resolveChannel in src/catalogue/channels.service.ts; absent: read the database.
   */
  channels?: ChannelResolver;
  /**
   * The app's watch on key and channel changes (src/db/change-watch.ts): a write to keys
   * or channels marks before and settles after its commit, so its response is sent once
   * the caches of this process (and, by the same NOTIFY, the others) have let go.
   */
  accessChanges?: AccessChanges;
}

export interface AccessChanges {
  mark(topic: 'keys' | 'channels'): number;
  settle(topic: 'keys' | 'channels', mark: number): Promise<void>;
}

/** A channel and its fulfilling locations in priority order, by code; 404 if unknown. */
export interface ChannelResolver {
  /** Shared between callers and frozen: copy before changing. */
  resolve(code: string): Promise<{
    id: number;
    code: string;
    allocationStrategy: AllocationStrategy;
    /** Only those for sale (see ResolvedChannel in src/catalogue/channels.service.ts). */
    locations: { locationId: number; code: string; point: GeoPoint | null }[];
    offSale: string[];
  }>;
}

/** Who did it, as written to the ledger: an API key (`key:3/ops`) or the CLI (`cli:alice`). */
export type Actor = string;
