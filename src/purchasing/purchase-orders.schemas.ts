import { type Static, Type } from 'typebox';
import {
  Code,
  Cursor,
  Id,
  InputDate,
  IsoDate,
  Limit,
  NonNegativeInt,
  PageOf,
  PositiveInt,
  Sku,
  Timestamp,
} from '../http/common-schemas.js';

export const PurchaseOrderState = Type.Union([
  Type.Literal('draft'),
  Type.Literal('sent'),
  Type.Literal('confirmed'),
  Type.Literal('partially_received'),
  Type.Literal('received'),
  Type.Literal('cancelled'),
]);

const Confidence = Type.Union([Type.Literal('confirmed'), Type.Literal('estimated')], {
  description: 'confirmed: the supplier confirmed the date; estimated: our own estimate',
});
const Money = Type.Number({ minimum: 0, maximum: 10_000_000, multipleOf: 0.01 });
const Reason = Type.String({ minLength: 1, maxLength: 500 });

export const NewLineBody = Type.Object(
  {
    sku: Sku,
    quantity: PositiveInt,
    unitCost: Type.Optional(Money),
    expectedDate: Type.Optional(IsoDate),
    confidence: Type.Optional(Confidence),
  },
  {
    additionalProperties: false,
    description:
      'unitCost defaults to the supplier item cost; expectedDate to today plus the lead time; confidence to estimated',
  },
);
export type NewLineBody = Static<typeof NewLineBody>;

export const CreatePurchaseOrderBody = Type.Object(
  {
    supplier: Code,
    location: Code,
    reference: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    lines: Type.Array(NewLineBody, { minItems: 1, maxItems: 500 }),
  },
  { additionalProperties: false },
);
export type CreatePurchaseOrderBody = Static<typeof CreatePurchaseOrderBody>;

export const UpdateLineBody = Type.Object(
  {
    quantity: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1_000_000_000,
        description:
          'The quantity the line should bring in total. In a draft, anything positive; once sent it can only go down, and not below what has arrived (equal to it closes the line short).',
      }),
    ),
    unitCost: Type.Optional(Money),
    expectedDate: Type.Optional(IsoDate),
    confidence: Type.Optional(Confidence),
    reason: Type.Optional(Reason),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateLineBody = Static<typeof UpdateLineBody>;

export const TransitionBody = Type.Object(
  { reason: Type.Optional(Reason) },
  { additionalProperties: false },
);

export const ReceiptBody = Type.Object(
  {
    receiptId: Type.String({
      pattern: '^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$',
      description: 'Your id for this delivery. Posting it again returns the first result.',
    }),
    lines: Type.Array(
      Type.Object({ line: Id, quantity: PositiveInt }, { additionalProperties: false }),
      {
        minItems: 1,
        maxItems: 500,
      },
    ),
  },
  { additionalProperties: false },
);
export type ReceiptBody = Static<typeof ReceiptBody>;

export const PurchaseOrderLine = Type.Object({
  id: Type.Integer(),
  sku: Sku,
  quantity: PositiveInt,
  received: NonNegativeInt,
  cancelled: NonNegativeInt,
  open: NonNegativeInt,
  overReceived: Type.Boolean({ description: 'More arrived than was ordered' }),
  unitCost: Type.Number(),
  expectedDate: IsoDate,
  firstExpectedDate: Type.Union([IsoDate, Type.Null()], {
    description: 'The date promised when the order was sent',
  }),
  confidence: Confidence,
  completedAt: Type.Union([Timestamp, Type.Null()]),
});
export type PurchaseOrderLine = Static<typeof PurchaseOrderLine>;

export const PurchaseOrder = Type.Object(
  {
    id: Type.Integer(),
    supplier: Code,
    location: Code,
    state: PurchaseOrderState,
    reference: Type.Union([Type.String(), Type.Null()]),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    sentAt: Type.Union([Timestamp, Type.Null()]),
    confirmedAt: Type.Union([Timestamp, Type.Null()]),
    closedAt: Type.Union([Timestamp, Type.Null()]),
    lines: Type.Array(PurchaseOrderLine),
    totals: Type.Object({
      ordered: NonNegativeInt,
      received: NonNegativeInt,
      cancelled: NonNegativeInt,
      open: NonNegativeInt,
      cost: Type.Number({ description: 'Sum of (ordered − cancelled) × unit cost' }),
    }),
  },
  { $id: 'PurchaseOrder' },
);
export type PurchaseOrder = Static<typeof PurchaseOrder>;

export const Receipt = Type.Object({
  receiptId: Type.String(),
  purchaseOrderId: Type.Integer(),
  receivedAt: Timestamp,
  lines: Type.Array(
    Type.Object({
      line: Type.Integer(),
      sku: Sku,
      quantity: PositiveInt,
      overReceived: Type.Boolean(),
    }),
  ),
  purchaseOrder: Type.Ref('PurchaseOrder'),
});
export type Receipt = Static<typeof Receipt> & { purchaseOrder: PurchaseOrder };

export const PurchaseOrderParams = Type.Object({ id: Id });
export const LineParams = Type.Object({ id: Id, line: Id });

export const ListPurchaseOrdersQuery = Type.Object(
  {
    state: Type.Optional(PurchaseOrderState),
    supplier: Type.Optional(Code),
    location: Type.Optional(Code),
    sku: Type.Optional(Sku),
    expectedFrom: Type.Optional(
      InputDate({
        description:
          'Only orders with a line still to come (open) expected on or after this date; drafts count unless `state` leaves them out',
      }),
    ),
    expectedTo: Type.Optional(
      InputDate({
        description:
          'Only orders with a line still to come expected on or before this date; with expectedFrom, the same line must fall in both',
      }),
    ),
    limit: Limit,
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type ListPurchaseOrdersQuery = Static<typeof ListPurchaseOrdersQuery>;
export const PurchaseOrderPage = PageOf(Type.Ref('PurchaseOrder'));

export const Change = Type.Object({
  id: Type.Integer(),
  line: Type.Union([Type.Integer(), Type.Null()]),
  field: Type.String(),
  oldValue: Type.Union([Type.String(), Type.Null()]),
  newValue: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  actor: Type.String(),
  at: Timestamp,
});
export type Change = Static<typeof Change>;
export const ChangeList = Type.Object({ items: Type.Array(Change) });
