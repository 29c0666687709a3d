import type { Generated } from 'kysely';
import type { AllocationStrategy } from '../../domain/allocation-order.js';

export type ChannelKind = 'pos' | 'online' | 'marketplace';

export interface ChannelsTable {
  id: Generated<number>;
  code: string;
  name: string;
  kind: ChannelKind;
  /** How it orders its locations when taking units from stock (0018). */
  allocation_strategy: Generated<AllocationStrategy>;
  /** The most units the channel may hold at once (src/holds/); null: no cap. */
  max_held_units: number | null;
  created_at: string;
  updated_at: string;
}

/** The locations that fulfil a channel, in the order they are drawn from (0 first). */
export interface ChannelLocationsTable {
  channel_id: number;
  location_id: number;
  priority: number;
}
