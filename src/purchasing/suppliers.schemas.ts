import { type Static, Type } from 'typebox';
import { Code, Cursor, Limit, Name, PageOf, Sku, Timestamp } from '../http/common-schemas.js';

const Email = Type.String({
  format: 'email',
  maxLength: 254,
  description: 'Where purchase orders are sent',
  examples: ['po@acme.test'],
});
const LeadTimeDays = Type.Integer({
  minimum: 0,
  maximum: 365,
  description: 'Days from sending an order to the goods arriving',
});
// Only the create body carries defaults: with useDefaults on, a default in the PATCH body
// would fill a missing field in and quietly reset it.
const minOrderQuantity = (defaults: { default?: number } = {}) =>
  Type.Integer({
    minimum: 1,
    maximum: 1_000_000_000,
    description:
      'Smallest quantity the supplier accepts on an order line; kept for purchasing suggestions, not enforced on purchase-order lines',
    ...defaults,
  });
const casePack = (defaults: { default?: number } = {}) =>
  Type.Integer({
    minimum: 1,
    maximum: 1_000_000_000,
    description:
      'Units per case, for purchasing suggestions; purchase-order lines are not rounded to it',
    ...defaults,
  });
const UnitCost = Type.Number({
  minimum: 0,
  maximum: 10_000_000,
  multipleOf: 0.01,
  description: 'What one unit costs us from this supplier, at most two decimals',
});

export const CreateSupplierBody = Type.Object(
  {
    code: Code,
    name: Name,
    email: Email,
    leadTimeDays: LeadTimeDays,
    minOrderQuantity: Type.Optional(minOrderQuantity({ default: 1 })),
    casePack: Type.Optional(casePack({ default: 1 })),
  },
  { additionalProperties: false },
);
export type CreateSupplierBody = Static<typeof CreateSupplierBody>;

export const UpdateSupplierBody = Type.Object(
  {
    name: Type.Optional(Name),
    email: Type.Optional(Email),
    leadTimeDays: Type.Optional(LeadTimeDays),
    minOrderQuantity: Type.Optional(minOrderQuantity()),
    casePack: Type.Optional(casePack()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateSupplierBody = Static<typeof UpdateSupplierBody>;

export const Supplier = Type.Object(
  {
    code: Code,
    name: Name,
    email: Email,
    leadTimeDays: LeadTimeDays,
    minOrderQuantity: minOrderQuantity(),
    casePack: casePack(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Supplier' },
);
export type Supplier = Static<typeof Supplier>;

export const SupplierParams = Type.Object({ code: Code });

export const ListSuppliersQuery = Type.Object(
  { limit: Limit, cursor: Type.Optional(Cursor) },
  { additionalProperties: false },
);
export type ListSuppliersQuery = Static<typeof ListSuppliersQuery>;

export const SupplierPage = PageOf(Type.Ref('Supplier'));

export const SupplierItemParams = Type.Object({ code: Code, sku: Sku });
export const ItemSuppliersParams = Type.Object({ sku: Sku });

/** PUT replaces the whole link: a field left out goes back to its default. */
export const PutSupplierItemBody = Type.Object(
  {
    supplierSku: Type.Optional(
      Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()], {
        description: "The supplier's own code for the item",
      }),
    ),
    unitCost: UnitCost,
    leadTimeDays: Type.Optional(
      Type.Union([LeadTimeDays, Type.Null()], {
        description: "Overrides the supplier's lead time for this item; null uses the supplier's",
      }),
    ),
    preferred: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          "The supplier reordering uses for this item; making one preferred un-prefers the item's other suppliers",
      }),
    ),
  },
  { additionalProperties: false },
);
export type PutSupplierItemBody = Static<typeof PutSupplierItemBody>;

export const SupplierItem = Type.Object(
  {
    supplier: Code,
    sku: Sku,
    supplierSku: Type.Union([Type.String(), Type.Null()]),
    unitCost: UnitCost,
    leadTimeDays: Type.Union([LeadTimeDays, Type.Null()], {
      description: 'The override for this item, or null',
    }),
    effectiveLeadTimeDays: Type.Integer({
      minimum: 0,
      description: "The override if set, else the supplier's lead time",
    }),
    preferred: Type.Boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'SupplierItem' },
);
export type SupplierItem = Static<typeof SupplierItem>;

export const ListSupplierItemsQuery = ListSuppliersQuery;
export type ListSupplierItemsQuery = Static<typeof ListSupplierItemsQuery>;

export const SupplierItemPage = PageOf(Type.Ref('SupplierItem'));

export const ItemSuppliers = Type.Object({
  items: Type.Array(Type.Ref('SupplierItem'), {
    description:
      'The preferred supplier first, then the others in the order they were added as suppliers',
  }),
});
export type ItemSuppliers = Static<typeof ItemSuppliers>;

const rate = (description: string) =>
  Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description });

const performanceFields = {
  lines: Type.Integer({ minimum: 0, description: 'Purchase-order lines sent to the supplier' }),
  leadTimeDays: Type.Union(
    [
      Type.Object({
        mean: Type.Number(),
        stdDev: Type.Number({ description: 'Sample standard deviation' }),
        samples: Type.Integer({ minimum: 1 }),
      }),
      Type.Null(),
    ],
    { description: 'Days from sending to the last unit arriving, over finished lines' },
  ),
  onTimeRate: rate('Share of due lines delivered by their first promised date; null if none due'),
  onTimeSamples: Type.Integer({ minimum: 0 }),
  fillRate: rate('Units received (capped at what was ordered) ÷ units ordered, finished lines'),
};

export const SupplierPerformance = Type.Object(
  {
    supplier: Code,
    overall: Type.Object(performanceFields),
    items: Type.Array(Type.Object({ sku: Sku, ...performanceFields }), {
      description: 'Per item, by SKU',
    }),
  },
  { $id: 'SupplierPerformance' },
);
export type SupplierPerformance = Static<typeof SupplierPerformance>;
