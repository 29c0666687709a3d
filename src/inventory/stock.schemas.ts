import { type Static, Type } from 'typebox';
import {
  Code,
  Cursor,
  Limit,
  MAX_QUANTITY,
  NonNegativeInt,
  PageOf,
  PositiveInt,
  Sku,
  Timestamp,
  UpdatedSince,
} from '../http/common-schemas.js';

const Reason = Type.String({ minLength: 1, maxLength: 500 });
const Reference = Type.String({
  minLength: 1,
  maxLength: 200,
  description: 'The document behind the change (delivery note, count sheet, ticket)',
});

export const LedgerEntryType = Type.Union([
  Type.Literal('receipt'),
  Type.Literal('sale'),
  Type.Literal('adjustment'),
  Type.Literal('count'),
  Type.Literal('transfer_out'),
  Type.Literal('transfer_in'),
  Type.Literal('return'),
  Type.Literal('damage'),
]);

export const StockLevel = Type.Object(
  {
    sku: Sku,
    location: Code,
    onHand: NonNegativeInt,
    reserved: NonNegativeInt,
    safetyStock: NonNegativeInt,
    available: Type.Integer({
      minimum: 0,
      description: 'max(0, onHand − reserved − safetyStock)',
    }),
    updatedAt: Type.Union([Timestamp, Type.Null()], {
      description: 'Last change; null for an item × location that never held stock',
    }),
  },
  { $id: 'StockLevel' },
);
export type StockLevel = Static<typeof StockLevel>;

export const LedgerEntry = Type.Object(
  {
    id: Type.Integer(),
    sku: Sku,
    location: Code,
    type: LedgerEntryType,
    quantity: Type.Integer({ description: 'Signed change to on_hand' }),
    onHandAfter: NonNegativeInt,
    reason: Type.String(),
    reference: Type.Union([Type.String(), Type.Null()]),
    actor: Type.String({ description: 'The API key or CLI user that made the change' }),
    createdAt: Timestamp,
  },
  { $id: 'LedgerEntry' },
);
export type LedgerEntry = Static<typeof LedgerEntry>;

export const AdjustmentBody = Type.Object(
  {
    sku: Sku,
    location: Code,
    delta: Type.Integer({
      minimum: -1_000_000_000,
      maximum: 1_000_000_000,
      not: { const: 0 },
      description: 'Signed change to on_hand; never zero',
    }),
    reason: Reason,
    type: Type.Optional(
      Type.Union(
        [
          Type.Literal('adjustment'),
          Type.Literal('receipt'),
          Type.Literal('sale'),
          Type.Literal('return'),
          Type.Literal('damage'),
        ],
        {
          default: 'adjustment',
          description: 'receipt and return add stock; sale and damage remove it',
        },
      ),
    ),
    reference: Type.Optional(Reference),
    releaseReservations: Type.Optional(
      Type.Boolean({
        description:
          'When units are gone that orders had reserved (damage, a short count): take the reservations of the most recent orders back to backorder, re-promised from incoming supply, instead of refusing with 409',
      }),
    ),
  },
  { additionalProperties: false },
);
export type AdjustmentBody = Static<typeof AdjustmentBody>;

export const CountBody = Type.Object(
  {
    sku: Sku,
    location: Code,
    quantity: NonNegativeInt,
    expected: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_QUANTITY,
        description:
          'The on_hand the counter started from; if it has changed since, the count is refused with 409',
      }),
    ),
    reason: Type.Optional(Reason),
    reference: Type.Optional(Reference),
    releaseReservations: Type.Optional(
      Type.Boolean({
        description:
          'When units are gone that orders had reserved (damage, a short count): take the reservations of the most recent orders back to backorder, re-promised from incoming supply, instead of refusing with 409',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CountBody = Static<typeof CountBody>;

export const TransferBody = Type.Object(
  {
    sku: Sku,
    from: Code,
    to: Code,
    quantity: PositiveInt,
    reason: Type.Optional(Reason),
    reference: Type.Optional(Reference),
  },
  { additionalProperties: false },
);
export type TransferBody = Static<typeof TransferBody>;

export const StockChange = Type.Object({
  stock: Type.Ref('StockLevel'),
  entry: Type.Ref('LedgerEntry'),
});

export const Transfer = Type.Object({
  id: Type.Integer(),
  sku: Sku,
  from: Code,
  to: Code,
  quantity: PositiveInt,
  state: Type.Literal('completed'),
  reason: Type.String(),
  reference: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
  stock: Type.Array(Type.Ref('StockLevel'), { description: 'Source, then destination' }),
  entries: Type.Array(Type.Ref('LedgerEntry')),
});
export type Transfer = Static<typeof Transfer>;

export const StockParams = Type.Object({ sku: Sku, location: Code });

export const UpdateStockBody = Type.Object(
  { safetyStock: NonNegativeInt },
  { additionalProperties: false },
);

export const ListStockQuery = Type.Object(
  {
    sku: Type.Optional(Sku),
    location: Type.Optional(Code),
    updatedSince: Type.Optional(UpdatedSince),
    limit: Limit,
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type ListStockQuery = Static<typeof ListStockQuery>;
export const StockPage = PageOf(Type.Ref('StockLevel'));

export const ListLedgerQuery = Type.Object(
  {
    sku: Type.Optional(Sku),
    location: Type.Optional(Code),
    type: Type.Optional(LedgerEntryType),
    limit: Limit,
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type ListLedgerQuery = Static<typeof ListLedgerQuery>;
export const LedgerPage = PageOf(Type.Ref('LedgerEntry'));

export const AuditReport = Type.Object({
  ok: Type.Boolean(),
  checkedRows: Type.Integer(),
  drift: Type.Array(
    Type.Object({
      sku: Sku,
      location: Code,
      onHand: Type.Integer(),
      ledgerTotal: Type.Integer(),
      difference: Type.Integer({ description: 'onHand − ledgerTotal' }),
    }),
  ),
  promiseDrift: Type.Array(
    Type.Object({
      counter: Type.Union(
        [Type.Literal('lead_time'), Type.Literal('purchase_order_line'), Type.Literal('transfer')],
        {
          description:
            "Which running total: an item's lead-time promises, or what a PO line or transfer has promised",
        },
      ),
      id: Type.Union([Type.Integer(), Type.Null()], {
        description: 'The PO line or transfer; null for lead_time',
      }),
      sku: Sku,
      recorded: Type.Integer({ description: 'The running total as stored' }),
      pegged: Type.Integer({ description: 'The sum of the pegs it stands for' }),
    }),
    { description: 'Promise counters that differ from the sum of their backorder pegs' },
  ),
  reservationDrift: Type.Array(
    Type.Object({
      sku: Sku,
      location: Code,
      reserved: Type.Integer({ description: 'stock.reserved as stored' }),
      allocated: Type.Integer({ description: "Orders' allocations there" }),
      held: Type.Integer({ description: 'Units checkout holds still hold there' }),
    }),
    { description: 'Stock rows whose reserved units differ from allocations + held units' },
  ),
});
export type AuditReport = Static<typeof AuditReport>;
