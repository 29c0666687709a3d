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

const Confidence = Type.Union([Type.Literal('confirmed'), Type.Literal('estimated')], {
  description: 'confirmed: the supplier (or our own transfer) gave the date; estimated: a guess',
});

/** The same shape as an order line's promise basis (src/orders/orders.schemas.ts). */
const PromiseBasis = Type.Union(
  [
    Type.Object({
      kind: Type.Literal('purchase_order'),
      purchaseOrderId: Type.Integer(),
      lineId: Type.Integer(),
      supplier: Type.String(),
      location: Code,
      quantity: PositiveInt,
      expectedDate: IsoDate,
      confidence: Confidence,
    }),
    Type.Object({
      kind: Type.Literal('transfer'),
      transferId: Type.Integer(),
      from: Code,
      location: Code,
      quantity: PositiveInt,
      expectedDate: IsoDate,
      confidence: Confidence,
    }),
    Type.Object({
      kind: Type.Literal('lead_time'),
      supplier: Type.Union([Type.String(), Type.Null()]),
      leadTimeDays: Type.Union([Type.Integer(), Type.Null()]),
      quantity: PositiveInt,
      expectedDate: IsoDate,
      confidence: Type.Literal('estimated'),
    }),
  ],
  {
    description:
      'Supply a promise is pegged to (the units it takes from a purchase-order line or a transfer not yet promised to earlier orders), or the supplier lead time it is estimated on; expectedDate is when those units arrive, before handling days',
  },
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
        description:
          'For states that cannot sell: "unknown", "never", or the date sales open (the release date of an item not yet released)',
      }),
    ),
    expectedDate: Type.Optional(
      Type.String({
        format: 'date',
        examples: ['2026-12-02'],
        description:
          'backorder: the date promised for the requested quantity (supply date plus handling days); preorder: set only when that is later than releaseDate',
      }),
    ),
    confidence: Type.Optional(Confidence),
    restsOn: Type.Optional(
      Type.Array(PromiseBasis, {
        description:
          'backorder and preorder: what the promise for the units not in stock rests on (empty for a preorder served from stock)',
      }),
    ),
    releaseDate: Type.Optional(
      Type.String({
        format: 'date',
        examples: ['2026-12-01'],
        description: 'preorder: the day the item is released',
      }),
    ),
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
