import { type Static, Type } from 'typebox';
import {
  Code,
  Cursor,
  Id,
  InputDate,
  IsoDate,
  Limit,
  PageOf,
  PositiveInt,
  Sku,
  Timestamp,
} from '../http/common-schemas.js';

const Units = Type.Number({ description: 'Units (fractional: a forecast figure)' });
const DateOrNull = (description: string) => Type.Union([IsoDate, Type.Null()], { description });

export const ReorderPointsQuery = Type.Object(
  {
    location: Type.Optional(Code),
    sku: Type.Optional(Sku),
    supplier: Type.Optional(Code),
  },
  { additionalProperties: false },
);
export type ReorderPointsQuery = Static<typeof ReorderPointsQuery>;

export const ReorderPointView = Type.Object({
  sku: Sku,
  name: Type.String({ description: 'The item’s name' }),
  location: Code,
  supplier: Code,
  serviceLevel: Type.Number({ description: 'The item’s own target, else its ABC class default' }),
  abcClass: Type.Union([Type.Literal('A'), Type.Literal('B'), Type.Literal('C')], {
    description: 'By forecast value (units × price) over all items: A the top 80%, B the next 15%',
  }),
  leadTime: Type.Object({
    meanDays: Type.Number(),
    sdDays: Type.Number(),
    source: Type.Union(
      [Type.Literal('item_history'), Type.Literal('supplier_history'), Type.Literal('configured')],
      {
        description:
          'item_history: this item’s deliveries from the supplier; supplier_history: all its deliveries; configured: the lead time set on the supplier (item), with no spread',
      },
    ),
  }),
  forecastMethod: Type.Union([Type.String(), Type.Null()], {
    description: 'The method the backtest chose; null when there is no demand history',
  }),
  protectionDays: Type.Number({
    description: 'Lead time (mean days) + the review period: what stock must last',
  }),
  leadTimeDemand: Type.Number({
    description: 'Forecast units demanded over protectionDays',
  }),
  dailyDemand: Units,
  safetyStock: Units,
  reorderPoint: Type.Integer({ description: 'Order when the inventory position is at or below' }),
  orderUpTo: Type.Integer({ description: 'What an order brings the inventory position back to' }),
  onHand: Type.Integer(),
  reserved: Type.Integer(),
  incoming: Type.Integer({
    description: 'Open purchase-order lines (sent or confirmed) and transfers due here',
  }),
  onDraftOrders: Type.Integer({
    description:
      'Units on draft purchase orders for here: not sent yet, but not to be suggested again',
  }),
  backordered: Type.Integer({ description: 'Backordered units waiting to be served from here' }),
  inventoryPosition: Type.Integer({
    description: 'onHand − reserved + incoming + onDraftOrders − backordered',
  }),
  projectedStockoutDate: DateOrNull('When the forecast runs it out; null: not within 91 days'),
  nextReceiptDate: DateOrNull('The first receipt due after the projected stock-out'),
  suggestedQuantity: Type.Integer({
    minimum: 0,
    description:
      'Units a refresh would suggest now: 0 above the reorder point, else up to orderUpTo in whole cases and at least the supplier’s minimum',
  }),
});

export const ReorderPointList = Type.Object({
  items: Type.Array(ReorderPointView),
  skipped: Type.Array(
    Type.Object({
      sku: Sku,
      reason: Type.Union([Type.Literal('no_supplier'), Type.Literal('no_preferred_supplier')]),
    }),
    { description: 'Active items with no supplier to buy from, or several and none preferred' },
  ),
});

const SuggestionState = Type.Union(
  [Type.Literal('open'), Type.Literal('ordered'), Type.Literal('dismissed')],
  { description: 'open until made a draft purchase order (ordered) or dismissed' },
);

export const Suggestion = Type.Object(
  {
    id: Type.Integer(),
    supplier: Code,
    location: Code,
    state: SuggestionState,
    purchaseOrderId: Type.Union([Type.Integer(), Type.Null()], {
      description: 'The draft purchase order it became',
    }),
    orderByDate: DateOrNull('Send by then for it to arrive before the first projected stock-out'),
    arrivalDate: InputDate({ description: 'When an order sent today arrives' }),
    lines: Type.Array(
      Type.Object({
        sku: Sku,
        quantity: Type.Integer({ description: 'Rounded to the case pack, at least the MOQ' }),
        reorderPoint: Type.Integer(),
        orderUpTo: Type.Integer(),
        inventoryPosition: Type.Integer(),
        projectedStockoutDate: DateOrNull('When it is projected to run out'),
        backordersWaiting: Type.Integer(),
        reason: Type.String({
          examples: ['projected to run out on 2026-12-19; 3 units backordered waiting'],
        }),
        unitCost: Type.Number({ description: 'From the supplier’s price list' }),
      }),
    ),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'PurchaseSuggestion' },
);
export type Suggestion = Static<typeof Suggestion>;

export const ListSuggestionsQuery = Type.Object(
  {
    supplier: Type.Optional(Code),
    location: Type.Optional(Code),
    state: Type.Optional(SuggestionState),
    limit: Limit,
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type ListSuggestionsQuery = Static<typeof ListSuggestionsQuery>;

export const SuggestionPage = PageOf(Type.Ref('PurchaseSuggestion'));
export const SuggestionParams = Type.Object({ id: Id });

export const OrderSuggestionBody = Type.Object(
  {
    lines: Type.Optional(
      Type.Array(
        Type.Object({ sku: Sku, quantity: PositiveInt }, { additionalProperties: false }),
        {
          minItems: 1,
          maxItems: 500,
          description:
            'What to order instead of the suggested lines: SKUs of the suggestion, each once; lines left out are not ordered',
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type OrderSuggestionBody = Static<typeof OrderSuggestionBody>;

export const RefreshResult = Type.Object({
  today: IsoDate,
  suggestions: Type.Integer({ description: 'Open suggestions written' }),
  lines: Type.Integer(),
  replaced: Type.Integer({ description: 'Open suggestions the refresh replaced' }),
  skipped: ReorderPointList.properties.skipped,
  projectedShortages: Type.Integer({
    description: 'Item × locations projected to run out before an order sent today could arrive',
  }),
  alerts: Type.Object(
    { opened: Type.Integer(), resolved: Type.Integer() },
    { description: 'shortage_ahead staff alerts opened and resolved from the projections' },
  ),
});
export type RefreshResult = Static<typeof RefreshResult>;

export const EmptyBody = Type.Object({}, { additionalProperties: false });
