import type { ApiKeysTable } from './tables/api-keys.js';
import type { ChannelLocationsTable, ChannelsTable } from './tables/channels.js';
import type { ItemsTable, ItemTagsTable } from './tables/items.js';
import type { LocationsTable } from './tables/locations.js';
import type { StockLedgerTable, StockTable, TransfersTable } from './tables/stock.js';

/** Every table, as Kysely sees it. One file per table under tables/. */
export interface DB {
  items: ItemsTable;
  item_tags: ItemTagsTable;
  locations: LocationsTable;
  channels: ChannelsTable;
  channel_locations: ChannelLocationsTable;
  stock: StockTable;
  stock_ledger: StockLedgerTable;
  transfers: TransfersTable;
  api_keys: ApiKeysTable;
}

/** Repositories accept either the database or an open transaction. */
export type Db = import('kysely').Kysely<DB> | import('kysely').Transaction<DB>;
