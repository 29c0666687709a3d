import { type Static, Type } from 'typebox';
import { State } from '../availability/availability.schemas.js';
import {
  Code,
  Cursor,
  IsoDate,
  Limit,
  NonNegativeInt,
  PageOf,
  Sku,
  Timestamp,
} from '../http/common-schemas.js';

const filters = {
  sku: Type.Optional(Sku),
  location: Type.Optional(Code),
  category: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  supplier: Type.Optional(Code),
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description:
        'Text the SKU or the name contains, case-insensitively (ASCII letters on SQLite)',
    }),
  ),
  channel: Type.Optional(Code),
  state: Type.Optional(State),
};

export const StockOverviewQuery = Type.Object(
  { ...filters, limit: Limit, cursor: Type.Optional(Cursor) },
  { additionalProperties: false },
);
export type StockOverviewQuery = Static<typeof StockOverviewQuery>;

export const StockOverviewCsvQuery = Type.Object(filters, { additionalProperties: false });
export type StockOverviewCsvQuery = Static<typeof StockOverviewCsvQuery>;

export const ChannelState = Type.Object({
  channel: Code,
  state: State,
  purchasable: Type.Boolean(),
  available: Type.Integer({
    minimum: 0,
    description: 'Units the channel can sell now, over all its locations',
  }),
});

export const StockOverviewRow = Type.Object(
  {
    sku: Sku,
    name: Type.String(),
    category: Type.String(),
    location: Code,
    onHand: NonNegativeInt,
    reserved: NonNegativeInt,
    safetyStock: NonNegativeInt,
    available: Type.Integer({
      minimum: 0,
      description: 'max(0, onHand − reserved − safetyStock) at this location',
    }),
    incoming: Type.Integer({
      minimum: 0,
      description: 'Open supply due at this location (sent purchase-order lines, transfers)',
    }),
    nextExpectedDate: Type.Union([IsoDate, Type.Null()], {
      description: 'When the earliest of that supply is due; null when nothing is incoming',
    }),
    updatedAt: Type.Union([Timestamp, Type.Null()], {
      description: 'Last change; null for an item × location that never held stock',
    }),
    channels: Type.Array(ChannelState, {
      description:
        "The item's availability (one unit) on every channel, or on `channel` when given, in channel order",
    }),
  },
  { $id: 'StockOverviewRow' },
);
export type StockOverviewRow = Static<typeof StockOverviewRow>;

export const StockOverviewPage = PageOf(Type.Ref('StockOverviewRow'));
