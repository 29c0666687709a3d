import { type Static, Type } from 'typebox';
import { DEFAULT_TTL_SECONDS, MAX_TTL_SECONDS, MIN_TTL_SECONDS } from '../domain/holds.js';
import { Code, Id, LineNumber, Sku, Timestamp } from '../http/common-schemas.js';

const ttl = {
  minimum: MIN_TTL_SECONDS,
  maximum: MAX_TTL_SECONDS,
  description: `Seconds the units stay held, from now: ${MIN_TTL_SECONDS} to ${MAX_TTL_SECONDS}`,
};

const HoldLineInput = Type.Object(
  {
    sku: Sku,
    quantity: Type.Integer({
      minimum: 1,
      maximum: 100_000,
      description: 'Units to hold: a whole number from 1 to 100,000',
    }),
    location: Type.Optional(
      Type.String({
        ...Code,
        description:
          "Hold at this location alone (one of the channel's); else from the channel's locations in priority order, as an order reserves",
      }),
    ),
  },
  { additionalProperties: false },
);

export const CreateHoldBody = Type.Object(
  {
    channel: Type.Optional(
      Type.String({
        ...Code,
        description:
          "The channel holding; a channel key's own when omitted (required for other keys)",
      }),
    ),
    lines: Type.Array(HoldLineInput, { minItems: 1, maxItems: 100 }),
    ttlSeconds: Type.Optional(
      Type.Integer({ ...ttl, description: `${ttl.description} (default ${DEFAULT_TTL_SECONDS})` }),
    ),
    reference: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'Your own cart or checkout id' }),
    ),
  },
  { additionalProperties: false },
);
export type CreateHoldBody = Static<typeof CreateHoldBody>;

export const ExtendHoldBody = Type.Object(
  { ttlSeconds: Type.Integer(ttl) },
  { additionalProperties: false },
);
export type ExtendHoldBody = Static<typeof ExtendHoldBody>;

/** Releasing takes nothing but the hold's id; an empty object or no body at all. */
export const ReleaseHoldBody = Type.Object({}, { additionalProperties: false });

export const HoldStatus = Type.Union(
  [
    Type.Literal('active'),
    Type.Literal('released'),
    Type.Literal('expired'),
    Type.Literal('converted'),
  ],
  { description: 'expired as soon as expiresAt passes, whether or not the sweep has run' },
);

export const Hold = Type.Object(
  {
    id: Id,
    channel: Code,
    reference: Type.Union([Type.String(), Type.Null()]),
    status: HoldStatus,
    expiresAt: Timestamp,
    orderId: Type.Union([Id, Type.Null()], { description: 'The order it was converted into' }),
    lines: Type.Array(
      Type.Object({
        line: LineNumber,
        sku: Sku,
        quantity: Type.Integer({ minimum: 1 }),
        locations: Type.Array(
          Type.Object({ location: Code, quantity: Type.Integer({ minimum: 1 }) }),
          { description: 'Where the units are held' },
        ),
      }),
    ),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Hold' },
);
export type Hold = Static<typeof Hold>;

export const HoldParams = Type.Object({ id: Id });

export const HoldHeaders = Type.Object({
  'idempotency-key': Type.String({
    minLength: 1,
    maxLength: 255,
    pattern: '^[\\x21-\\x7e]+$',
    description:
      'Required. A retry with the same key and body gets the first answer; the same key with another body is refused (422)',
  }),
});
