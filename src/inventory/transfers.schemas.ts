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

/** Transfers with a journey: dispatched from one location, received at another later. */

export const TransferState = Type.Union(
  [
    Type.Literal('in_transit'),
    Type.Literal('partially_received'),
    Type.Literal('received'),
    Type.Literal('completed'),
  ],
  {
    description:
      'in_transit: dispatched, nothing arrived yet; partially_received: some units arrived; received: every unit arrived; completed: an immediate move (POST /v1/stock/transfers)',
  },
);

export const TransferDocument = Type.Object(
  {
    id: Type.Integer(),
    sku: Sku,
    from: Code,
    to: Code,
    quantity: PositiveInt,
    received: NonNegativeInt,
    inTransit: Type.Integer({
      minimum: 0,
      description: 'Units dispatched and not yet received: incoming supply at the destination',
    }),
    state: TransferState,
    expectedDate: Type.Union([IsoDate, Type.Null()], {
      description: 'When the units are due at the destination; null for an immediate move',
    }),
    reason: Type.String(),
    reference: Type.Union([Type.String(), Type.Null()]),
    createdAt: Timestamp,
    receivedAt: Type.Union([Timestamp, Type.Null()], {
      description: 'When the last unit arrived',
    }),
  },
  { $id: 'TransferDocument' },
);
export type TransferDocument = Static<typeof TransferDocument>;

export const DispatchBody = Type.Object(
  {
    sku: Sku,
    from: Code,
    to: Code,
    quantity: PositiveInt,
    expectedDate: InputDate({
      description: 'When the units are due at the destination; not before today there',
    }),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    reference: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Your document for the move (delivery note, consignment number)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type DispatchBody = Static<typeof DispatchBody>;

export const TransferReceiptBody = Type.Object(
  {
    receiptId: Type.String({
      pattern: '^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$',
      description:
        'Your id for this arrival, 1 to 100 characters. Posting it again with the same quantity returns the first result and changes nothing.',
    }),
    quantity: PositiveInt,
  },
  { additionalProperties: false },
);
export type TransferReceiptBody = Static<typeof TransferReceiptBody>;

export const TransferReceipt = Type.Object({
  receiptId: Type.String(),
  transferId: Type.Integer(),
  quantity: PositiveInt,
  receivedAt: Timestamp,
  transfer: Type.Ref('TransferDocument', { description: 'The transfer as it stands now' }),
});
export type TransferReceipt = Static<typeof TransferReceipt> & { transfer: TransferDocument };

export const RescheduleBody = Type.Object(
  {
    expectedDate: InputDate({
      description: 'The new date the units are due; not before today at the destination',
    }),
  },
  { additionalProperties: false },
);
export type RescheduleBody = Static<typeof RescheduleBody>;

export const TransferParams = Type.Object({ id: Id });

export const ListTransfersQuery = Type.Object(
  {
    state: Type.Optional(TransferState),
    sku: Type.Optional(Sku),
    location: Type.Optional(Code),
    limit: Limit,
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type ListTransfersQuery = Static<typeof ListTransfersQuery>;
export const TransferPage = PageOf(Type.Ref('TransferDocument'));
