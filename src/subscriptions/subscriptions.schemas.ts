import { type Static, Type } from 'typebox';
import { Code, Cursor, Id, Limit, Name, PageOf, Sku, Timestamp } from '../http/common-schemas.js';

const SubscriptionState = Type.Union(
  [Type.Literal('waiting'), Type.Literal('notified'), Type.Literal('unsubscribed')],
  {
    description:
      'waiting: in the queue; notified: told the item is back (by wave `wave`); unsubscribed: left the queue',
  },
);

const PreferredChannel = Type.Union([Type.Literal('email'), Type.Literal('sms')], {
  description: 'How to tell them; the matching contact (email or phone) is required',
});

const Email = Type.String({ format: 'email', maxLength: 254 });
const Phone = Type.String({ pattern: '^\\+?[0-9 ()-]{5,32}$', description: 'E.164 preferred' });
const Token = Type.String({
  pattern: '^[A-Za-z0-9_-]{16,128}$',
  description: 'The secret returned when subscribing',
});

export const CreateSubscriptionBody = Type.Object(
  {
    sku: Sku,
    channel: Code,
    name: Type.Optional(Name),
    email: Type.Optional(Email),
    phone: Type.Optional(Phone),
    preferredChannel: PreferredChannel,
    customerId: Type.Optional(
      Type.Integer({
        ...Id,
        description: 'A known customer to link; their name is used when none is given',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CreateSubscriptionBody = Static<typeof CreateSubscriptionBody>;

const subscriptionCore = {
  id: Type.Integer(),
  sku: Sku,
  channel: Code,
  state: SubscriptionState,
  position: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
    description: 'While waiting: how many wait ahead + 1 (1 is next); otherwise null',
  }),
  createdAt: Timestamp,
};

export const NewSubscription = Type.Object(
  {
    ...subscriptionCore,
    token: Type.String({
      description:
        'Keep it: DELETE /v1/subscriptions/by-token/{token} unsubscribes without a key. It is also in the back-in-stock message.',
    }),
  },
  { description: 'A place in the queue for an item on a channel' },
);
export type NewSubscription = Static<typeof NewSubscription>;

export const Subscription = Type.Object(
  {
    ...subscriptionCore,
    name: Type.Union([Type.String(), Type.Null()]),
    email: Type.Union([Type.String(), Type.Null()]),
    phone: Type.Union([Type.String(), Type.Null()]),
    preferredChannel: PreferredChannel,
    contact: Type.String({ description: 'Where messages go, normalised' }),
    customerId: Type.Union([Type.Integer(), Type.Null()]),
    wave: Type.Union([Type.Integer(), Type.Null()], {
      description: 'Which wave notified it (1 = the first after the item came back)',
    }),
    notifiedAt: Type.Union([Timestamp, Type.Null()]),
    updatedAt: Timestamp,
  },
  {
    $id: 'Subscription',
    description: 'A "notify me" subscription as staff see it (the token is not shown)',
  },
);
export type Subscription = Static<typeof Subscription>;

export const SubscriptionParams = Type.Object({ id: Id });
export const TokenParams = Type.Object({ token: Token });

export const ListSubscriptionsQuery = Type.Object(
  {
    sku: Type.Optional(Sku),
    channel: Type.Optional(Code),
    state: Type.Optional(SubscriptionState),
    limit: Limit,
    cursor: Type.Optional(Cursor),
  },
  { additionalProperties: false },
);
export type ListSubscriptionsQuery = Static<typeof ListSubscriptionsQuery>;
export const SubscriptionPage = PageOf(Type.Ref('Subscription'));
