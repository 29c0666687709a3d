import type { Static, TSchema } from 'typebox';
import type { ApiKey } from '../../src/access/keys.schemas.js';
import type { Alert } from '../../src/alerts/alerts.schemas.js';
import type { Alternative, ItemLink } from '../../src/availability/alternatives.schemas.js';
import type { ItemAvailability } from '../../src/availability/availability.schemas.js';
import type { Channel } from '../../src/catalogue/channels.schemas.js';
import type { Item } from '../../src/catalogue/items.schemas.js';
import type { Location } from '../../src/catalogue/locations.schemas.js';
import type { Customer } from '../../src/customers/customers.schemas.js';
import type { ErrorResponse, PageOf } from '../../src/http/common-schemas.js';
import type { LedgerEntry, StockLevel } from '../../src/inventory/stock.schemas.js';
import type { TransferDocument } from '../../src/inventory/transfers.schemas.js';
import type { Message } from '../../src/messaging/messages.schemas.js';
import type { MessageTemplateDocument } from '../../src/messaging/templates.schemas.js';
import type { Order } from '../../src/orders/orders.schemas.js';
import type { PurchaseOrder } from '../../src/purchasing/purchase-orders.schemas.js';
import type {
  Supplier,
  SupplierItem,
  SupplierPerformance,
} from '../../src/purchasing/suppliers.schemas.js';
import type { Supply } from '../../src/purchasing/supply.schemas.js';
import type { Subscription } from '../../src/subscriptions/subscriptions.schemas.js';
import type { Webhook } from '../../src/webhooks/webhooks.schemas.js';

/**
 * Response bodies typed from the route schemas, so that tests cannot drift from what the
 * routes declare. Schemas point at each other by $id (Type.Ref); Static resolves those
 * only given the schemas behind the ids, gathered here.
 */
type Refs = {
  Alert: typeof Alert;
  Alternative: typeof Alternative;
  ApiKey: typeof ApiKey;
  Channel: typeof Channel;
  Customer: typeof Customer;
  ErrorResponse: typeof ErrorResponse;
  Item: typeof Item;
  ItemAvailability: typeof ItemAvailability;
  ItemLink: typeof ItemLink;
  LedgerEntry: typeof LedgerEntry;
  Location: typeof Location;
  Message: typeof Message;
  MessageTemplate: typeof MessageTemplateDocument;
  Order: typeof Order;
  PurchaseOrder: typeof PurchaseOrder;
  StockLevel: typeof StockLevel;
  Subscription: typeof Subscription;
  Supplier: typeof Supplier;
  SupplierItem: typeof SupplierItem;
  SupplierPerformance: typeof SupplierPerformance;
  Supply: typeof Supply;
  TransferDocument: typeof TransferDocument;
  Webhook: typeof Webhook;
};

/** The body a route answers with, given its response schema. */
export type Body<T extends TSchema> = Static<T, Refs>;

/**
 * `T` with its open-ended objects (additionalProperties, which Static types as an empty
 * object) readable by name, as tests read them.
 */
export type WithOpen<T, K extends keyof T> = Omit<T, K> & { [P in K]: Record<string, unknown> };

/** Every failure's body. */
export type ErrorBody = {
  error: WithOpen<Body<typeof ErrorResponse>['error'], 'details'>;
};

type KeysOfUnion<U> = U extends unknown ? keyof U : never;

/**
 * A union of shapes (a promise basis of any kind, say) read as one object, as tests read
 * it: the fields all members share, and every other member's fields as optional.
 */
export type AnyOf<U> = { [K in keyof U]: U[K] } & {
  [K in KeysOfUnion<U>]?: U extends unknown ? (K extends keyof U ? U[K] : never) : never;
};

/** A page of `T`, as every list route answers (PageOf). */
export type Page<T> = Omit<Body<ReturnType<typeof PageOf>>, 'items'> & { items: T[] };
