import { type Static, Type } from 'typebox';
import { PlaceOrderBody } from './orders.schemas.js';

/** What an order has that a hold does not: who it is for, and the shop's order number. */
export const ConvertHoldBody = Type.Object(
  {
    customer: PlaceOrderBody.properties.customer,
    customerId: PlaceOrderBody.properties.customerId,
    reference: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: "Your own order number (the hold's reference is not carried over)",
      }),
    ),
  },
  { additionalProperties: false },
);
export type ConvertHoldBody = Static<typeof ConvertHoldBody>;
