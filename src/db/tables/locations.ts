import type { Generated } from 'kysely';

export type LocationKind = 'store' | 'warehouse';

export interface LocationsTable {
  id: Generated<number>;
  code: string;
  name: string;
  kind: LocationKind;
  /** IANA zone, e.g. Europe/London: dates promised to customers are local dates. */
  time_zone: string;
  /** Degrees, both set or both null (0018): where it is, for closest_to_pickup. */
  latitude: number | null;
  longitude: number | null;
  /** 0: no channel sells from it; its stock, receipts and transfers carry on (0018). */
  sellable: Generated<number>;
  created_at: string;
  updated_at: string;
}
