import { type Static, Type } from 'typebox';
import { Code, Id, LineNumber, PositiveInt, Sku, Timestamp } from '../http/common-schemas.js';

/** Customer returns against fulfilled order lines (issue 15, item 5). */

export const ReturnParams = Type.Object({ id: Id, line: LineNumber });

/** Returns change stock: a retry must not restock twice, so the key is required. */
export const ReturnHeaders = Type.Object({
  'idempotency-key': Type.String({
    minLength: 1,
    maxLength: 255,
    pattern: '^[\\x21-\\x7e]+$',
    description:
      'Required. A retry with the same key and body gets the first answer; the same key with another body is refused (422)',
  }),
});

const Disposition = Type.Union([Type.Literal('restock'), Type.Literal('damaged')], {
  description:
    'restock: the units are sellable again at `location` (waiting backorders first); damaged: recorded and written off, stock does not grow',
});

export const ReturnBody = Type.Object(
  {
    quantity: PositiveInt,
    location: Type.String({ ...Code, description: 'Where the units came back to' }),
    disposition: Disposition,
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type ReturnBody = Static<typeof ReturnBody>;

export const OrderReturn = Type.Object({
  id: Type.Integer(),
  orderId: Type.Integer(),
  line: Type.Integer(),
  sku: Sku,
  quantity: Type.Integer(),
  location: Type.String(),
  disposition: Type.String(),
  reason: Type.String(),
  actor: Type.String(),
  createdAt: Timestamp,
});
export type OrderReturn = Static<typeof OrderReturn>;

export const ReturnReceipt = Type.Object({
  return: OrderReturn,
  backordersFilled: Type.Integer({
    description: 'Restocked units that went straight to backorders waiting for the item',
  }),
  order: Type.Ref('Order'),
});
export type ReturnReceipt = Static<typeof ReturnReceipt>;

export const OrderReturnList = Type.Object({ items: Type.Array(OrderReturn) });
export type OrderReturnList = Static<typeof OrderReturnList>;
