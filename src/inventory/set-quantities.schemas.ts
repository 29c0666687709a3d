import { type Static, Type } from 'typebox';
import { Code, MAX_QUANTITY, NonNegativeInt, Sku } from '../http/common-schemas.js';

/** Most rows one call may set: one statement each, all in one transaction. */
export const MAX_SET_QUANTITY_ROWS = 250;

export const SetQuantityRow = Type.Object(
  {
    sku: Sku,
    location: Code,
    quantity: Type.Integer({
      minimum: 0,
      maximum: MAX_QUANTITY,
      description: 'The on-hand quantity to set',
    }),
    compareQuantity: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_QUANTITY,
        description:
          'The on-hand quantity the caller believes is there now; if it differs, the whole call is refused with 409 STALE_QUANTITIES and nothing changes',
      }),
    ),
  },
  { additionalProperties: false },
);
export type SetQuantityRow = Static<typeof SetQuantityRow>;

export const SetQuantitiesBody = Type.Object(
  {
    reason: Type.String({ minLength: 1, maxLength: 500 }),
    reference: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'The document behind the change (a sync run, a count sheet)',
      }),
    ),
    quantities: Type.Array(SetQuantityRow, {
      minItems: 1,
      maxItems: MAX_SET_QUANTITY_ROWS,
      description: `Up to ${MAX_SET_QUANTITY_ROWS} rows, each (sku, location) at most once`,
    }),
  },
  { additionalProperties: false },
);
export type SetQuantitiesBody = Static<typeof SetQuantitiesBody>;

export const SetQuantitiesResult = Type.Object({
  rows: Type.Array(
    Type.Object({
      stock: Type.Ref('StockLevel'),
      previousQuantity: NonNegativeInt,
      delta: Type.Integer({ description: 'quantity − previousQuantity; 0 changed nothing' }),
      ledgerEntryId: Type.Union([Type.Integer(), Type.Null()], {
        description: 'The count written to the ledger; null when the quantity was unchanged',
      }),
    }),
    { description: 'In the order the rows were sent' },
  ),
});
export type SetQuantitiesResult = Static<typeof SetQuantitiesResult>;
