import { type Static, Type } from 'typebox';
import { IsoDate, Sku } from '../http/common-schemas.js';

export const LinePriorityBody = Type.Object(
  {
    priority: Type.Union([Type.Literal('high'), Type.Literal('normal')], {
      description:
        '`high` puts the line ahead of every `normal` line waiting for the item; `normal` puts it back in placement order',
    }),
  },
  { additionalProperties: false },
);
export type LinePriorityBody = Static<typeof LinePriorityBody>;

export const LinePriority = Type.Object({
  orderId: Type.Integer(),
  line: Type.Integer(),
  sku: Sku,
  priority: Type.Union([Type.Literal('high'), Type.Literal('normal')]),
  changed: Type.Boolean({ description: 'False when the line already had this priority' }),
  backordered: Type.Integer({ description: 'Units of the line still waiting' }),
  promisedDate: Type.Union([IsoDate, Type.Null()], {
    description: "The line's promise after the queue was re-planned; null when undated",
  }),
});
export type LinePriority = Static<typeof LinePriority>;
