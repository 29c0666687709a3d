import { type Static, Type } from 'typebox';
import { Code, Cursor, Id, Limit, PageOf, Timestamp } from '../http/common-schemas.js';

export const Role = Type.Union(
  [Type.Literal('admin'), Type.Literal('staff'), Type.Literal('channel')],
  {
    description:
      'admin: everything; staff: catalogue, stock and orders, no key management; channel: reads availability of its own channel only',
  },
);

export const CreateKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, description: 'Who or what uses the key' }),
    role: Role,
    channel: Type.Optional(Code),
  },
  { additionalProperties: false },
);
export type CreateKeyBody = Static<typeof CreateKeyBody>;

export const ApiKey = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    role: Role,
    channel: Type.Union([Code, Type.Null()]),
    prefix: Type.String({ description: 'First characters of the key, to tell keys apart' }),
    createdAt: Timestamp,
    revokedAt: Type.Union([Timestamp, Type.Null()]),
  },
  { $id: 'ApiKey' },
);
export type ApiKey = Static<typeof ApiKey>;

export const CreatedKey = Type.Object({
  key: Type.String({ description: 'The secret. Shown only in this response; store it now.' }),
  apiKey: Type.Ref('ApiKey'),
});

export const KeyParams = Type.Object({ id: Id });

export const ListKeysQuery = Type.Object(
  {
    includeRevoked: Type.Boolean({ default: false }),
    limit: Limit,
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type ListKeysQuery = Static<typeof ListKeysQuery>;
export const KeyPage = PageOf(Type.Ref('ApiKey'));
