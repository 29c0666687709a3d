import { type Static, Type } from 'typebox';
import { Code, Cursor, Limit, Name, PageOf, Timestamp } from '../http/common-schemas.js';

const Kind = Type.Union([Type.Literal('store'), Type.Literal('warehouse')]);
const TimeZone = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'IANA time zone; promised dates are local dates there',
  examples: ['Europe/London'],
});

export const CreateLocationBody = Type.Object(
  { code: Code, name: Name, kind: Kind, timeZone: Type.Optional(TimeZone) },
  { additionalProperties: false },
);
export type CreateLocationBody = Static<typeof CreateLocationBody>;

export const UpdateLocationBody = Type.Object(
  { name: Type.Optional(Name), kind: Type.Optional(Kind), timeZone: Type.Optional(TimeZone) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateLocationBody = Static<typeof UpdateLocationBody>;

export const Location = Type.Object(
  {
    code: Code,
    name: Name,
    kind: Kind,
    timeZone: TimeZone,
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
