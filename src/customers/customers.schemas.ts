import { type Static, Type } from 'typebox';
import { Code, Cursor, Id, Limit, Name, PageOf, Timestamp } from '../http/common-schemas.js';

// One JSON-schema type list rather than a union: a bad address then fails with one
// precise issue ("must match format email"), not one per branch of an anyOf.
export const Email = Type.Unsafe<string | null>({
  type: ['string', 'null'],
  format: 'email',
  maxLength: 254,
  description: 'Email address; null for none',
  examples: ['ann@example.com'],
});
export const Phone = Type.Unsafe<string | null>({
  type: ['string', 'null'],
  pattern: '^\\+?[0-9 ()-]{6,20}$',
  description: 'Phone number, E.164 preferred (+447700900123); null for none',
  examples: ['+447700900123'],
});
const preferredChannel = (description: string) =>
  Type.Union([Type.Literal('email'), Type.Literal('sms'), Type.Literal('none')], { description });
const PreferredChannel = preferredChannel(
  'Where messages go: email needs an email address, sms a phone number; none sends nothing',
);
/** As a customer given with an order: it may be left out, and the address decides. */
export const OrderPreferredChannel = preferredChannel(
  'Where messages go: email needs an email address, sms a phone number; none sends nothing. Left out: email when an email address is given, else sms when a phone number is, else none',
);

/** As Email: one type list, so a bad code fails with one issue. */
const CustomerChannel = Type.Unsafe<string | null>({
  type: ['string', 'null'],
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$',
  description:
    'The channel whose keys may use this customer (by customerId on orders and subscriptions); null: none, only staff and admin keys may',
  examples: ['web'],
});

export const Language = Type.String({
  pattern: '^[a-z]{2,3}(-[A-Z]{2})?$',
  description:
    'The language messages are written in (ISO 639-1, optionally with a region: en, de, fr-CA). A language with no templates gets the shop default language',
  examples: ['en', 'de'],
});

export const CreateCustomerBody = Type.Object(
  {
    name: Name,
    email: Type.Optional(Email),
    phone: Type.Optional(Phone),
    preferredChannel: PreferredChannel,
    channel: Type.Optional(CustomerChannel),
    language: Type.Optional(Language),
  },
  { additionalProperties: false },
);
export type CreateCustomerBody = Static<typeof CreateCustomerBody>;

export const UpdateCustomerBody = Type.Object(
  {
    name: Type.Optional(Name),
    email: Type.Optional(Email),
    phone: Type.Optional(Phone),
    preferredChannel: Type.Optional(PreferredChannel),
    channel: Type.Optional(CustomerChannel),
    language: Type.Optional(Language),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateCustomerBody = Static<typeof UpdateCustomerBody>;

export const Customer = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    email: Type.Union([Type.String(), Type.Null()]),
    phone: Type.Union([Type.String(), Type.Null()]),
    preferredChannel: PreferredChannel,
    channel: Type.Union([Code, Type.Null()], {
      description:
        'The channel whose keys may use this customer: the channel of the order that created them, or as staff set it; null: staff and admin keys only',
    }),
    language: Type.String({ description: 'The language messages are written in' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { $id: 'Customer' },
);
export type Customer = Static<typeof Customer>;

export const CustomerParams = Type.Object({ id: Id });

export const ListCustomersQuery = Type.Object(
  {
    email: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 254,
        description: 'Only customers with this email address (any letter case)',
      }),
    ),
    limit: Limit,
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type ListCustomersQuery = Static<typeof ListCustomersQuery>;

export const CustomerPage = PageOf(Type.Ref('Customer'));
export interface CustomerPage {
  items: Customer[];
  nextCursor: string | null;
}
