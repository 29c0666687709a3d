import { type Static, Type } from 'typebox';
import { Cursor, Id, Limit, PageOf, Timestamp } from '../http/common-schemas.js';
import { MIN_PASSWORD_LENGTH } from './passwords.js';

export const StaffRole = Type.Union([Type.Literal('admin'), Type.Literal('staff')], {
  description:
    'admin: everything, including users, API keys and webhooks; staff: catalogue, stock, orders and purchasing',
});

const Email = Type.String({ format: 'email', maxLength: 254 });
const Password = Type.String({
  minLength: MIN_PASSWORD_LENGTH,
  maxLength: 200,
  description: `At least ${MIN_PASSWORD_LENGTH} characters`,
});

export const StaffUser = Type.Object(
  {
    id: Type.Integer(),
    email: Type.String(),
    name: Type.String(),
    role: StaffRole,
    createdAt: Timestamp,
    disabledAt: Type.Union([Timestamp, Type.Null()]),
    lastSignInAt: Type.Union([Timestamp, Type.Null()]),
  },
  { $id: 'StaffUser' },
);
export type StaffUser = Static<typeof StaffUser>;

export const CreateUserBody = Type.Object(
  {
    email: Email,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    role: StaffRole,
    password: Type.Optional(
      Type.String({
        ...Password,
        description: `At least ${MIN_PASSWORD_LENGTH} characters; left out, one is generated and returned once`,
      }),
    ),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const CreatedUser = Type.Object({
  user: Type.Ref('StaffUser'),
  password: Type.Optional(
    Type.String({ description: 'The generated password, when none was given. Shown only here.' }),
  ),
});

export const UpdateUserBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    role: Type.Optional(StaffRole),
    password: Type.Optional(Password),
    disabled: Type.Optional(
      Type.Boolean({ description: 'true signs the user out everywhere and refuses sign-in' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateUserBody = Static<typeof UpdateUserBody>;

export const UserParams = Type.Object({ id: Id });

export const ListUsersQuery = Type.Object(
  { limit: Limit, cursor: Type.Optional(Cursor) },
  { additionalProperties: false },
);
export type ListUsersQuery = Static<typeof ListUsersQuery>;
export const UserPage = PageOf(Type.Ref('StaffUser'));

export const SignInBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type SignInBody = Static<typeof SignInBody>;

export const StaffSession = Type.Object({
  user: Type.Ref('StaffUser'),
  csrfToken: Type.String({
    description: 'Send it back as the X-CSRF-Token header on every POST, PUT, PATCH and DELETE',
  }),
  expiresAt: Timestamp,
});
/** The user is a $ref in the schema, so its type is spelt out here. */
export type StaffSession = Omit<Static<typeof StaffSession>, 'user'> & { user: StaffUser };
