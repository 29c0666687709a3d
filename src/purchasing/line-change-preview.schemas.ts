import { type Static, Type } from 'typebox';
import { Code, IsoDate, NonNegativeInt, Sku } from '../http/common-schemas.js';
import { PurchaseOrderLine } from './purchase-orders.schemas.js';

const Confidence = Type.Union([Type.Literal('confirmed'), Type.Literal('estimated'), Type.Null()]);
const MaybeDate = Type.Union([IsoDate, Type.Null()]);

const PreviewMessage = Type.Object(
  {
    kind: Type.String({ description: 'The message kind (delay, earlier_date, unpromised, …)' }),
    transport: Type.Union([Type.Literal('email'), Type.Literal('sms')]),
    recipient: Type.String({ description: 'Where it goes, masked (a•••@example.com)' }),
    subject: Type.String(),
    firstLines: Type.Array(Type.String(), {
      description: 'The first non-empty lines of the text as it would be sent',
    }),
  },
  { additionalProperties: false },
);

const RepromisedLine = Type.Object(
  {
    order: Type.Object({
      id: Type.Integer(),
      reference: Type.Union([Type.String(), Type.Null()]),
      channel: Code,
    }),
    line: Type.Integer({ description: 'The order line' }),
    sku: Sku,
    waiting: NonNegativeInt,
    customer: Type.Union([
      Type.Object({
        id: Type.Integer(),
        name: Type.String(),
        contact: Type.Union([Type.String(), Type.Null()], {
          description: 'Their email or phone, masked; null when they gave neither',
        }),
        preferredChannel: Type.Union([
          Type.Literal('email'),
          Type.Literal('sms'),
          Type.Literal('none'),
        ]),
      }),
      Type.Null(),
    ]),
    oldDate: MaybeDate,
    newDate: MaybeDate,
    oldConfidence: Confidence,
    newConfidence: Confidence,
    direction: Type.Union([
      Type.Literal('later'),
      Type.Literal('earlier'),
      Type.Literal('promised'),
      Type.Literal('unpromised'),
      Type.Literal('confidence'),
    ]),
    message: Type.Union([PreviewMessage, Type.Null()], {
      description: 'null: no message (no customer, no contact, or they asked for none)',
    }),
  },
  { additionalProperties: false },
);

export const LineChangePreview = Type.Object(
  {
    purchaseOrderId: Type.Integer(),
    before: PurchaseOrderLine,
    after: PurchaseOrderLine,
    repromised: Type.Array(RepromisedLine, {
      description: 'Every waiting order line whose promise the change moves, in queue order',
    }),
  },
  { additionalProperties: false },
);
export type LineChangePreview = Static<typeof LineChangePreview>;
export type RepromisedLine = Static<typeof RepromisedLine>;
export type PreviewMessage = Static<typeof PreviewMessage>;
