import type { paths } from '../../../../clients/stockroom-api';

type WaitingPage =
  paths['/v1/order-lines/waiting']['get']['responses'][200]['content']['application/json'];

export type WaitingLine = WaitingPage['items'][number];

export interface BackorderFilters {
  sku?: string;
  location?: string;
}
