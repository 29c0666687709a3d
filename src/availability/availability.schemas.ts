import { type Static, Type } from 'typebox';
import { Code, Cursor, IsoDate, NonNegativeInt, PositiveInt, Sku } from '../http/common-schemas.js';

export const State = Type.Union(
  [
    Type.Literal('in_stock'),
    Type.Literal('low_stock'),
    Type.Literal('backorder'),
    Type.Literal('preorder'),
    Type.Literal('out_of_stock'),
    Type.Literal('discontinued'),
  ],
  { description: 'See the availability states in the API guide' },
);

const Quantities = Type.Object({
  requested: PositiveInt,
  onHand: NonNegativeInt,
  reserved: NonNegativeInt,
  safetyStock: NonNegativeInt,
  available: NonNegativeInt,
  incoming: Type.Integer({
    minimum: 0,
    description:
      'Open supply due at these locations: purchase-order lines sent and not yet received or cancelled, and transfers in transit',
  }),
});

const LocationQuantities = Type.Object({
  location: Code,
  onHand: NonNegativeInt,
  reserved: NonNegativeInt,
  safetyStock: NonNegativeInt,
  available: NonNegativeInt,
});

const PromiseBasis = Type.Object(
  {
    kind: Type.Union([
      Type.Literal('purchase_order'),
      Type.Literal('transfer'),
      Type.Literal('lead_time'),
    ]),
  },
  { additionalProperties: true },
);

export const ItemAvailability = Type.Object(
  {
    sku: Sku,
    name: Type.String(),
    channel: Type.Union([Code, Type.Null()]),
    location: Type.Union([Code, Type.Null()]),
    state: State,
    purchasable: Type.Boolean(),
    reason: Type.String({ description: 'Why this state, in words a person can read' }),
    quantities: Quantities,
    nextExpectedDate: Type.Union([IsoDate, Type.Null()], {
      description: 'When the earliest incoming supply is due; null when nothing is incoming',
    }),
    restock: Type.Optional(
      Type.String({
        description: 'For states that cannot sell: "unknown", "never", or the date sales open',
      }),
    ),
    expectedDate: Type.Optional(IsoDate),
    confidence: Type.Optional(Type.Union([Type.Literal('confirmed'), Type.Literal('estimated')])),
    restsOn: Type.Optional(Type.Array(PromiseBasis)),
    releaseDate: Type.Optional(IsoDate),
    locations: Type.Optional(
      Type.Array(LocationQuantities, {
        description: 'Per-location breakdown (single-item answers only)',
      }),
    ),
  },
  { $id: 'ItemAvailability' },
);
export type ItemAvailability = Static<typeof ItemAvailability>;

const scope = {
  channel: Type.Optional(Code),
  location: Type.Optional(Code),
  quantity: Type.Integer({
    minimum: 1,
    maximum: 1_000_000_000,
    default: 1,
    description: 'Units requested',
  }),
};

export const AvailabilityParams = Type.Object({ sku: Sku });

export const ItemAvailabilityQuery = Type.Object(scope, { additionalProperties: false });
export type ItemAvailabilityQuery = Static<typeof ItemAvailabilityQuery>;

const feedFilters = {
  ...scope,
  state: Type.Optional(State),
};

export const FeedQuery = Type.Object(
  {
    ...feedFilters,
    skus: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}(,[A-Za-z0-9][A-Za-z0-9._-]{0,63}){0,199}$',
        description: 'Up to 200 comma-separated SKUs: answer for these items only',
      }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: 5000, default: 100 }),
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type FeedQuery = Static<typeof FeedQuery>;

export const CsvFeedQuery = Type.Object(feedFilters, { additionalProperties: false });
export type CsvFeedQuery = Static<typeof CsvFeedQuery>;

export const FeedPage = Type.Object({
  items: Type.Array(Type.Ref('ItemAvailability')),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
