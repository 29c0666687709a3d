import { type Static, Type } from 'typebox';
import { Code, Cursor, Id, Limit, PageOf, Sku, Timestamp } from '../http/common-schemas.js';

const AlertKind = Type.Union(
  [Type.Literal('low_stock'), Type.Literal('shortage_ahead'), Type.Literal('po_overdue')],
  {
    description:
      'low_stock: available on a channel at or below the item’s threshold; shortage_ahead: backordered units no purchase order or transfer brings (unpromised, or promised on the supplier lead time alone), or an item × location the forecast runs out before anything on order (or an order sent today) arrives; po_overdue: a purchase order line’s expected date has passed and it has not all arrived',
  },
);

export const Alert = Type.Object(
  {
    id: Type.Integer(),
    kind: AlertKind,
    subject: Type.String({
      description: 'What it is about; one open alert per kind and subject',
      examples: ['item:KET-01/web', 'item:KET-01', 'purchase_order:12'],
    }),
    sku: Type.Optional(Sku),
    channel: Type.Optional(Code),
    purchaseOrderId: Type.Optional(Type.Integer()),
    message: Type.String({ description: 'One sentence for people' }),
    details: Type.Object(
      {},
      {
        additionalProperties: true,
        description:
          'The facts, by kind. low_stock: {sku, channel, available, threshold}; shortage_ahead: {sku, unpromisedUnits, estimatedUnits, waitingLines} (backorders; subject item:SKU) or {sku, location, projectedStockoutDate, nextReceiptDate, orderArrivalDate, backorderedUnits} (projected; subject item:SKU@LOCATION); po_overdue: {purchaseOrderId, supplier, lines: [{sku, expectedDate, open}]}',
      },
    ),
    createdAt: Timestamp,
    resolvedAt: Type.Union([Timestamp, Type.Null()], {
      description: 'When its cause went away; null while open',
    }),
  },
  { $id: 'Alert', description: 'A staff alert: raised once per cause, emailed to staff' },
);
export type Alert = Static<typeof Alert>;

export const ListAlertsQuery = Type.Object(
  {
    kind: Type.Optional(AlertKind),
    state: Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('all')], {
      default: 'open',
    }),
    limit: Limit,
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type ListAlertsQuery = Static<typeof ListAlertsQuery>;

export const AlertParams = Type.Object({ id: Id });

export const AlertPage = PageOf(Type.Ref('Alert'));

const OpenCount = Type.Integer({ minimum: 0 });

export const AlertCounts = Type.Object(
  {
    open: OpenCount,
    byKind: Type.Object({
      low_stock: OpenCount,
      shortage_ahead: OpenCount,
      po_overdue: OpenCount,
    }),
  },
  { description: 'How many alerts are open now, in all and by kind' },
);
export type AlertCounts = Static<typeof AlertCounts>;
