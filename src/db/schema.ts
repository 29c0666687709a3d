import type { ApiKeysTable } from './tables/api-keys.js';
import type { ChannelLocationsTable, ChannelsTable } from './tables/channels.js';
import type {
  AvailabilityChangesTable,
  AvailabilitySnapshotsTable,
  MessageAttemptsTable,
  MessageTemplatesTable,
  MessageTemplateTranslationsTable,
  OutboxMessagesTable,
  ServerSecretsTable,
  StaffAlertsTable,
  SubscriptionsTable,
  SweepMarksTable,
  WebhookEventsTable,
  WebhooksTable,
} from './tables/communication.js';
import type { DomainEventsTable } from './tables/domain-events.js';
import type { HoldLinesTable, HoldsTable } from './tables/holds.js';
import type { ItemPromisesTable, ItemsTable, ItemTagsTable } from './tables/items.js';
import type { LocationsTable } from './tables/locations.js';
import type {
  AllocationsTable,
  BackorderPegsTable,
  CustomersTable,
  FulfilmentLinesTable,
  FulfilmentsTable,
  IdempotencyKeysTable,
  ItemLinksTable,
  LostDemandTable,
  OrderLinesTable,
  OrdersTable,
  PromiseChangesTable,
  WaitingDecisionsTable,
} from './tables/orders.js';
import type {
  PurchaseOrderChangesTable,
  PurchaseOrderLinesTable,
  PurchaseOrdersTable,
  ReceiptLinesTable,
  ReceiptsTable,
} from './tables/purchase-orders.js';
import type {
  ForecastSelectionsTable,
  PurchaseSuggestionLinesTable,
  PurchaseSuggestionsTable,
  SalesHistoryTable,
} from './tables/replenishment.js';
import type { OrderReturnsTable, SupplierReturnsTable } from './tables/returns.js';
import type {
  SignInFailuresTable,
  StaffSessionsTable,
  StaffUsersTable,
} from './tables/staff-users.js';
import type {
  StockLedgerTable,
  StockTable,
  TransferReceiptsTable,
  TransfersTable,
} from './tables/stock.js';
import type { SupplierItemsTable, SuppliersTable } from './tables/suppliers.js';

/** Every table, as Kysely sees it. One file per table under tables/. */
export interface DB {
  items: ItemsTable;
  item_tags: ItemTagsTable;
  item_promises: ItemPromisesTable;
  locations: LocationsTable;
  channels: ChannelsTable;
  channel_locations: ChannelLocationsTable;
  stock: StockTable;
  stock_ledger: StockLedgerTable;
  transfers: TransfersTable;
  api_keys: ApiKeysTable;
  suppliers: SuppliersTable;
  supplier_items: SupplierItemsTable;
  purchase_orders: PurchaseOrdersTable;
  purchase_order_lines: PurchaseOrderLinesTable;
  purchase_order_changes: PurchaseOrderChangesTable;
  receipts: ReceiptsTable;
  receipt_lines: ReceiptLinesTable;
  transfer_receipts: TransferReceiptsTable;
  domain_events: DomainEventsTable;
  customers: CustomersTable;
  orders: OrdersTable;
  order_lines: OrderLinesTable;
  order_returns: OrderReturnsTable;
  supplier_returns: SupplierReturnsTable;
  allocations: AllocationsTable;
  holds: HoldsTable;
  hold_lines: HoldLinesTable;
  backorder_pegs: BackorderPegsTable;
  promise_changes: PromiseChangesTable;
  waiting_decisions: WaitingDecisionsTable;
  lost_demand: LostDemandTable;
  idempotency_keys: IdempotencyKeysTable;
  fulfilments: FulfilmentsTable;
  fulfilment_lines: FulfilmentLinesTable;
  item_links: ItemLinksTable;
  outbox_messages: OutboxMessagesTable;
  message_attempts: MessageAttemptsTable;
  message_templates: MessageTemplatesTable;
  message_template_translations: MessageTemplateTranslationsTable;
  server_secrets: ServerSecretsTable;
  webhooks: WebhooksTable;
  webhook_events: WebhookEventsTable;
  subscriptions: SubscriptionsTable;
  staff_alerts: StaffAlertsTable;
  availability_snapshots: AvailabilitySnapshotsTable;
  availability_changes: AvailabilityChangesTable;
  sweep_marks: SweepMarksTable;
  sales_history: SalesHistoryTable;
  forecast_selections: ForecastSelectionsTable;
  purchase_suggestions: PurchaseSuggestionsTable;
  purchase_suggestion_lines: PurchaseSuggestionLinesTable;
  staff_users: StaffUsersTable;
  staff_sessions: StaffSessionsTable;
  sign_in_failures: SignInFailuresTable;
}

/** Repositories accept either the database or an open transaction. */
export type Db = import('kysely').Kysely<DB> | import('kysely').Transaction<DB>;
