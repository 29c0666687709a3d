import { type Static, Type } from 'typebox';
import { Code, Id, PositiveInt, Sku, Timestamp } from '../http/common-schemas.js';

/** Returns to a supplier against received purchase-order lines (issue 15, item 5). */

export const SupplierReturnParams = Type.Object({ id: Id, line: Id });

/** Sending stock back cannot be undone by a retry: the key is required. */
export const SupplierReturnHeaders = Type.Object({
  'idempotency-key': Type.String({
    minLength: 1,
    maxLength: 255,
    pattern: '^[\\x21-\\x7e]+$',
    description:
      'Required. A retry with the same key and body gets the first answer; the same key with another body is refused (422)',
  }),
});

export const SupplierReturnBody = Type.Object(
  {
    quantity: PositiveInt,
    location: Type.Optional(
      Type.String({
        ...Code,
        description: "Where the units leave from; the purchase order's location by default",
      }),
    ),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type SupplierReturnBody = Static<typeof SupplierReturnBody>;

export const SupplierReturn = Type.Object({
  id: Type.Integer(),
  purchaseOrderId: Type.Integer(),
  line: Type.Integer({ description: 'The purchase-order line id' }),
  sku: Sku,
  quantity: Type.Integer(),
  location: Type.String(),
  reason: Type.String(),
  actor: Type.String(),
  createdAt: Timestamp,
});
export type SupplierReturn = Static<typeof SupplierReturn>;

export const SupplierReturnReceipt = Type.Object({
  return: SupplierReturn,
  lineReceived: Type.Integer({ description: 'Units received on the line, as ever counted' }),
  lineReturned: Type.Integer({ description: 'Of those, units sent back so far' }),
  purchaseOrder: Type.Ref('PurchaseOrder'),
});
export type SupplierReturnReceipt = Static<typeof SupplierReturnReceipt>;

export const SupplierReturnList = Type.Object({ items: Type.Array(SupplierReturn) });
export type SupplierReturnList = Static<typeof SupplierReturnList>;
