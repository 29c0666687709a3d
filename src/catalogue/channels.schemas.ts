import { type Static, Type } from 'typebox';
import {
  Code,
  Cursor,
  Limit,
  MAX_QUANTITY,
  Name,
  PageOf,
  Timestamp,
} from '../http/common-schemas.js';

const Kind = Type.Union([Type.Literal('pos'), Type.Literal('online'), Type.Literal('marketplace')]);
const AllocationStrategy = Type.Union(
  [Type.Literal('priority'), Type.Literal('most_stock'), Type.Literal('closest_to_pickup')],
  {
    description:
      "Which locations an order's units are taken from first. priority (the default): the order of `locations`; most_stock: the location with the most free units of the item first, ties by priority; closest_to_pickup: the order's pickupLocation first, then the others by great-circle distance from it, ties by priority, locations without coordinates last (without a pickupLocation: priority)",
  },
);
const Locations = Type.Array(Code, {
  minItems: 1,
  maxItems: 100,
  uniqueItems: true,
  description: 'Location codes that fulfil this channel, in the order stock is drawn from them',
});

const MaxHeldUnits = Type.Union(
  [Type.Integer({ minimum: 0, maximum: MAX_QUANTITY }), Type.Null()],
  {
    description:
      'The most units the channel may hold at once in checkout holds (POST /v1/holds); null: no cap',
  },
);

export const CreateChannelBody = Type.Object(
  {
    code: Code,
    name: Name,
    kind: Kind,
    locations: Locations,
    allocationStrategy: Type.Optional(AllocationStrategy),
    maxHeldUnits: Type.Optional(MaxHeldUnits),
  },
  { additionalProperties: false },
);
export type CreateChannelBody = Static<typeof CreateChannelBody>;

export const UpdateChannelBody = Type.Object(
  {
    name: Type.Optional(Name),
    kind: Type.Optional(Kind),
    locations: Type.Optional(Locations),
    allocationStrategy: Type.Optional(AllocationStrategy),
    maxHeldUnits: Type.Optional(MaxHeldUnits),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateChannelBody = Static<typeof UpdateChannelBody>;

export const Channel = Type.Object(
  {
    code: Code,
    name: Name,
    kind: Kind,
    locations: Type.Array(Code),
    allocationStrategy: AllocationStrategy,
    maxHeldUnits: MaxHeldUnits,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Channel' },
);
export type Channel = Static<typeof Channel>;

export const ChannelParams = Type.Object({ code: Code });

export const ListChannelsQuery = Type.Object(
  { kind: Type.Optional(Kind), limit: Limit, cursor: Type.Optional(Cursor) },
  { additionalProperties: false },
);
export type ListChannelsQuery = Static<typeof ListChannelsQuery>;

export const ChannelPage = PageOf(Type.Ref('Channel'));
