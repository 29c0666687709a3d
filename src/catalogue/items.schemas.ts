import { type Static, Type } from 'typebox';
import {
  Cursor,
  IsoDate,
  Limit,
  Name,
  NonNegativeInt,
  PageOf,
  Sku,
  Timestamp,
  UpdatedSince,
} from '../http/common-schemas.js';

const Status = Type.Union([Type.Literal('active'), Type.Literal('discontinued')], {
  description: 'discontinued items sell through what remains and are never restocked',
});
const BackorderPolicy = Type.Union(
  [Type.Literal('none'), Type.Literal('incoming'), Type.Literal('lead_time')],
  {
    description:
      'none: never backorder; incoming: only against unpromised incoming supply; lead_time: also on the supplier lead time (estimated), up to backorderCap',
  },
);
const Price = Type.Number({
  minimum: 0,
  maximum: 10_000_000,
  multipleOf: 0.01,
  description: 'Unit price in the shop currency, at most two decimals',
});
const Tags = Type.Array(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,31}$' }), {
  maxItems: 20,
  uniqueItems: true,
  description: 'Lower-case labels used for filtering and for finding alternatives',
});

const mutable = {
  name: Name,
  category: Type.String({ minLength: 1, maxLength: 64 }),
  tags: Tags,
  price: Price,
  status: Status,
  releaseDate: Type.Union([IsoDate, Type.Null()], {
    description: 'Not sold before this date',
  }),
  backorderPolicy: BackorderPolicy,
  backorderCap: Type.Union([NonNegativeInt, Type.Null()], {
    description: 'Under lead_time: at most this many units promised beyond incoming supply',
  }),
  lowStockThreshold: NonNegativeInt,
  handlingDays: Type.Integer({ minimum: 0, maximum: 365 }),
  preordersEnabled: Type.Boolean({
    description: 'Before releaseDate the item sells as a preorder, promised for its release date',
  }),
  serviceLevel: Type.Union([Type.Number({ minimum: 0.5, exclusiveMaximum: 1 }), Type.Null()], {
    description:
      'Target probability of not running out during a replenishment cycle (0.5 ≤ x < 1); null: the default for the item’s ABC class',
  }),
};

export const CreateItemBody = Type.Object(
  {
    sku: Sku,
    name: mutable.name,
    category: mutable.category,
    price: mutable.price,
    tags: Type.Optional(mutable.tags),
    status: Type.Optional(mutable.status),
    releaseDate: Type.Optional(mutable.releaseDate),
    backorderPolicy: Type.Optional(mutable.backorderPolicy),
    backorderCap: Type.Optional(mutable.backorderCap),
    lowStockThreshold: Type.Optional(mutable.lowStockThreshold),
    handlingDays: Type.Optional(mutable.handlingDays),
    preordersEnabled: Type.Optional(mutable.preordersEnabled),
    serviceLevel: Type.Optional(mutable.serviceLevel),
  },
  { additionalProperties: false },
);
export type CreateItemBody = Static<typeof CreateItemBody>;

export const UpdateItemBody = Type.Object(
  {
    name: Type.Optional(mutable.name),
    category: Type.Optional(mutable.category),
    price: Type.Optional(mutable.price),
    tags: Type.Optional(mutable.tags),
    status: Type.Optional(mutable.status),
    releaseDate: Type.Optional(mutable.releaseDate),
    backorderPolicy: Type.Optional(mutable.backorderPolicy),
    backorderCap: Type.Optional(mutable.backorderCap),
    lowStockThreshold: Type.Optional(mutable.lowStockThreshold),
    handlingDays: Type.Optional(mutable.handlingDays),
    preordersEnabled: Type.Optional(mutable.preordersEnabled),
    serviceLevel: Type.Optional(mutable.serviceLevel),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateItemBody = Static<typeof UpdateItemBody>;

export const Item = Type.Object(
  {
    sku: Sku,
    ...mutable,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Item' },
);
export type Item = Static<typeof Item>;

export const ItemParams = Type.Object({ sku: Sku });

export const ListItemsQuery = Type.Object(
  {
    category: Type.Optional(Type.String({ maxLength: 64 })),
    status: Type.Optional(Status),
    tag: Type.Optional(Type.String({ maxLength: 32 })),
    updatedSince: Type.Optional(UpdatedSince),
    limit: Limit,
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type ListItemsQuery = Static<typeof ListItemsQuery>;

export const ItemPage = PageOf(Type.Ref('Item'));

export const CategoryList = Type.Object({
  items: Type.Array(
    Type.Object({
      category: Type.String(),
      items: Type.Integer({ minimum: 1, description: 'Items that carry it, any status' }),
    }),
  ),
});
