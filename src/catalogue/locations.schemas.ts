import { type Static, Type } from 'typebox';
import { Code, Cursor, Limit, Name, PageOf, Timestamp } from '../http/common-schemas.js';

const Kind = Type.Union([Type.Literal('store'), Type.Literal('warehouse')]);
const TimeZone = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'IANA time zone; promised dates are local dates there',
  examples: ['Europe/London'],
});

const Latitude = Type.Number({
  minimum: -90,
  maximum: 90,
  description: 'Degrees north (WGS 84), -90 to 90; give it with longitude',
  examples: [51.5074],
});
const Longitude = Type.Number({
  minimum: -180,
  maximum: 180,
  description: 'Degrees east (WGS 84), -180 to 180; give it with latitude',
  examples: [-0.1278],
});
const Sellable = Type.Boolean({
  description:
    'false takes the location off sale without deleting it: no channel counts its stock as available or reserves from it for new orders, while its stock, receipts, transfers and existing allocations carry on (default true)',
});
const NullableLatitude = Type.Union([Latitude, Type.Null()], {
  description: 'Degrees north, -90 to 90; null (with longitude null) forgets where it is',
});
const NullableLongitude = Type.Union([Longitude, Type.Null()], {
  description: 'Degrees east, -180 to 180; null (with latitude null) forgets where it is',
});

export const CreateLocationBody = Type.Object(
  {
    code: Code,
    name: Name,
    kind: Kind,
    timeZone: Type.Optional(TimeZone),
    latitude: Type.Optional(Latitude),
    longitude: Type.Optional(Longitude),
    sellable: Type.Optional(Sellable),
  },
  { additionalProperties: false },
);
export type CreateLocationBody = Static<typeof CreateLocationBody>;

export const UpdateLocationBody = Type.Object(
  {
    name: Type.Optional(Name),
    kind: Type.Optional(Kind),
    timeZone: Type.Optional(TimeZone),
    latitude: Type.Optional(NullableLatitude),
    longitude: Type.Optional(NullableLongitude),
    sellable: Type.Optional(Sellable),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateLocationBody = Static<typeof UpdateLocationBody>;

export const Location = Type.Object(
  {
    code: Code,
    name: Name,
    kind: Kind,
    timeZone: TimeZone,
    latitude: Type.Union([Type.Number(), Type.Null()]),
    longitude: Type.Union([Type.Number(), Type.Null()]),
    sellable: Sellable,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Location' },
);
export type Location = Static<typeof Location>;

export const LocationParams = Type.Object({ code: Code });

export const ListLocationsQuery = Type.Object(
  { kind: Type.Optional(Kind), limit: Limit, cursor: Type.Optional(Cursor) },
  { additionalProperties: false },
);
export type ListLocationsQuery = Static<typeof ListLocationsQuery>;

export const LocationPage = PageOf(Type.Ref('Location'));
