import { type Static, Type } from 'typebox';
import { Code, Sku, Timestamp } from '../http/common-schemas.js';
import type { ItemAvailability } from './availability.schemas.js';

const LinkKind = Type.Union([Type.Literal('replacement'), Type.Literal('substitute')], {
  description:
    'replacement: the item that takes this one’s place (offered first); substitute: another item that does the same job',
});

export const ItemLinkParams = Type.Object({ sku: Sku, linkedSku: Sku });
export type ItemLinkParams = Static<typeof ItemLinkParams>;

export const PutItemLinkBody = Type.Object({ kind: LinkKind }, { additionalProperties: false });
export type PutItemLinkBody = Static<typeof PutItemLinkBody>;

export const ItemLink = Type.Object(
  {
    sku: Sku,
    linkedSku: Type.String({ description: 'The alternative offered for `sku`' }),
    kind: LinkKind,
    createdAt: Timestamp,
  },
  { $id: 'ItemLink', description: 'A staff-set alternative: from an item to the one offered' },
);
export type ItemLink = Static<typeof ItemLink>;

export const ItemLinks = Type.Object({
  items: Type.Array(Type.Ref('ItemLink'), {
    description: 'In the order they are offered: replacements, then substitutes, oldest first',
  }),
});
export interface ItemLinks {
  items: ItemLink[];
}

export const MAX_ALTERNATIVES = 20;
export const DEFAULT_ALTERNATIVES = 5;

export const AlternativesQuery = Type.Object(
  {
    channel: Code,
    quantity: Type.Integer({
      minimum: 1,
      maximum: 1_000_000_000,
      default: 1,
      description: 'Units wanted: an alternative is offered only if this many can be bought',
    }),
    limit: Type.Integer({
      minimum: 1,
      maximum: MAX_ALTERNATIVES,
      default: DEFAULT_ALTERNATIVES,
      description: 'At most this many alternatives',
    }),
  },
  { additionalProperties: false },
);
export type AlternativesQuery = Static<typeof AlternativesQuery>;

export const Alternative = Type.Object(
  {
    sku: Sku,
    name: Type.String(),
    category: Type.String(),
    price: Type.Number(),
    reason: Type.Union(
      [Type.Literal('replacement'), Type.Literal('substitute'), Type.Literal('similar')],
      {
        description:
          'replacement or substitute: a staff-set link; similar: same category, a tag in common, price within ±30%',
      },
    ),
    sharedTags: Type.Array(Type.String(), {
      description: 'Tags the alternative has in common with the item, sorted',
    }),
    availability: Type.Ref('ItemAvailability'),
  },
  { $id: 'Alternative', description: 'An item offered instead of one that cannot be bought' },
);
export type Alternative = Omit<Static<typeof Alternative>, 'availability'> & {
  availability: ItemAvailability;
};

export const Alternatives = Type.Object({
  items: Type.Array(Type.Ref('Alternative'), { description: 'Best first' }),
});
export interface Alternatives {
  items: Alternative[];
}
