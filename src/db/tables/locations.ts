import type { Generated } from 'kysely';

export type LocationKind = 'store' | 'warehouse';

export interface LocationsTable {
  id: Generated<number>;
  code: string;
  name: string;
  kind: LocationKind;
  /** IANA zone, e.g. Europe/London: dates promised to customers are local dates. */
  time_zone: string;
  created_at: string;
  updated_at: string;
}
