import { type Static, Type } from 'typebox';
import { Code, Id, LineNumber, Sku } from '../http/common-schemas.js';

/** Changing a placed order (issue 15, item 2): increase, add a line, move, uncancel. */

/** The most units one line may hold, as when placing (PlaceOrderBody's LineQuantity). */
export const MAX_LINE_QUANTITY = 100_000;

const Units = (description: string) =>
  Type.Integer({ minimum: 1, maximum: MAX_LINE_QUANTITY, description });

export const EditLineParams = Type.Object({ id: Id, line: LineNumber });

/** Every change moves stock or promises: a retry must not apply twice, so the key is required. */
export const EditHeaders = Type.Object({
  'idempotency-key': Type.String({
    minLength: 1,
    maxLength: 255,
    pattern: '^[\\x21-\\x7e]+$',
    description:
      'Required. A retry with the same key and body gets the first answer; the same key with another body is refused (422)',
  }),
});

export const IncreaseBody = Type.Object(
  {
    by: Units(
      "Units to add to the line; its quantity may not pass 100,000. Reserved from the channel's free stock, the rest backordered if the line accepts backorders",
    ),
  },
  { additionalProperties: false },
);
export type IncreaseBody = Static<typeof IncreaseBody>;

export const AddLineBody = Type.Object(
  {
    sku: Sku,
    quantity: Units('Units wanted: a whole number from 1 to 100,000'),
    acceptBackorder: Type.Optional(
      Type.Boolean({
        description:
          'Whether the customer takes a later delivery for what is not in stock (default false: the line is refused if it cannot come from stock)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type AddLineBody = Static<typeof AddLineBody>;

export const MoveBody = Type.Object(
  {
    from: Type.String({ ...Code, description: 'Where the line has the units reserved now' }),
    to: Type.String({
      ...Code,
      description: "One of the order channel's locations, with that many units free",
    }),
    quantity: Units('Reserved units to move'),
  },
  { additionalProperties: false },
);
export type MoveBody = Static<typeof MoveBody>;

export const UncancelBody = Type.Object(
  {
    quantity: Type.Optional(Units('Cancelled units to take back; default: all the line has')),
  },
  { additionalProperties: false, description: 'Without quantity, every cancelled unit' },
);
export type UncancelBody = Static<typeof UncancelBody>;
