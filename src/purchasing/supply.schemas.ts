import { type Static, Type } from 'typebox';
import { Code, IsoDate, NonNegativeInt, PositiveInt, Sku } from '../http/common-schemas.js';

/** Incoming supply: what is on its way to a location, when, and on what it rests. */

const Confidence = Type.Union([Type.Literal('confirmed'), Type.Literal('estimated')], {
  description:
    'confirmed: the supplier confirmed the date (a dispatched transfer is always confirmed); estimated: our own estimate',
});

export const SupplySource = Type.Union([
  Type.Object({
    kind: Type.Literal('purchase_order'),
    purchaseOrderId: Type.Integer(),
    lineId: Type.Integer(),
    supplier: Code,
  }),
  Type.Object({
    kind: Type.Literal('transfer'),
    transferId: Type.Integer(),
    from: Code,
  }),
]);

export const SupplyLine = Type.Object({
  expectedDate: IsoDate,
  quantity: PositiveInt,
  confidence: Confidence,
  location: Code,
  source: SupplySource,
});

export const Supply = Type.Object(
  {
    sku: Sku,
    location: Type.Union([Code, Type.Null()], { description: 'null: every location' }),
    total: NonNegativeInt,
    nextExpectedDate: Type.Union([IsoDate, Type.Null()]),
    lines: Type.Array(SupplyLine, {
      description:
        'In promise order: earliest date first; on the same day confirmed before estimated, transfers before purchase orders, older documents first',
    }),
  },
  { $id: 'Supply' },
);
export type Supply = Static<typeof Supply>;

export const SupplyQuery = Type.Object(
  { sku: Sku, location: Type.Optional(Code) },
  { additionalProperties: false },
);
export type SupplyQuery = Static<typeof SupplyQuery>;

export const SupplyCsvQuery = Type.Object(
  { location: Type.Optional(Code) },
  { additionalProperties: false },
);
export type SupplyCsvQuery = Static<typeof SupplyCsvQuery>;
