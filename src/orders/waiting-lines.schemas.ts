import { type Static, Type } from 'typebox';
import {
  Code,
  Cursor,
  Id,
  IsoDate,
  Limit,
  LineNumber,
  PageOf,
  Sku,
  Timestamp,
} from '../http/common-schemas.js';

/** The waiting queue for staff: lines waiting for supply, and decisions on undated ones. */

export const WaitingLinesQuery = Type.Object(
  {
    state: Type.Optional(
      Type.Union([Type.Literal('unpromised'), Type.Literal('backordered')], {
        description: 'unpromised (default): lines waiting with no date, for staff to act on',
      }),
    ),
    sku: Type.Optional(Sku),
    location: Type.Optional(
      Type.String({
        ...Code,
        description:
          'Only lines with units waiting there: promised from supply due there, or unpromised on a channel whose first location it is',
      }),
    ),
    limit: Limit,
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type WaitingLinesQuery = Static<typeof WaitingLinesQuery>;

export const KeepWaitingBody = Type.Object(
  {
    note: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 500,
        description: 'Why, for whoever looks next (the customer agreed to wait…)',
      }),
    ),
  },
  { additionalProperties: false, description: 'The body may be left out' },
);
export type KeepWaitingBody = Static<typeof KeepWaitingBody>;

export const LineParams = Type.Object({ id: Id, line: LineNumber });

const decisionProperties = {
  decision: Type.Literal('keep_waiting'),
  note: Type.Union([Type.String(), Type.Null()]),
  actor: Type.String({ description: 'Who decided: a staff user or an API key' }),
  decidedAt: Timestamp,
};

export const WaitingDecision = Type.Object({
  orderId: Type.Integer(),
  line: Type.Integer(),
  ...decisionProperties,
  unpromised: Type.Integer({ description: 'Units left waiting without a date' }),
});
export type WaitingDecision = Static<typeof WaitingDecision>;

export const WaitingLinePage = PageOf(
  Type.Object({
    orderId: Type.Integer(),
    channel: Code,
    line: Type.Integer(),
    sku: Sku,
    name: Type.String({ description: 'The item name' }),
    reference: Type.Union([Type.String(), Type.Null()], {
      description: 'The order reference the channel sent, if any',
    }),
    customer: Type.Union([Type.Object({ id: Type.Integer(), name: Type.String() }), Type.Null()]),
    backordered: Type.Integer(),
    unpromised: Type.Integer(),
    promisedDate: Type.Union([IsoDate, Type.Null()]),
    keptWaiting: Type.Union([Type.Object(decisionProperties), Type.Null()], {
      description:
        'Staff decided to keep this line waiting since it last lost its date; null: undated units still need a decision (or none are undated)',
    }),
    locations: Type.Array(Code, {
      description:
        'Where its waiting units are due: the locations of the supply they are promised from, and the channel’s first location for unpromised units',
    }),
    orderedAt: Timestamp,
  }),
);
