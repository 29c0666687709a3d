import { type Static, Type } from 'typebox';
import { Cursor, Id, Limit, PageOf, Timestamp } from '../http/common-schemas.js';

const NullableId = Type.Union([Type.Integer(), Type.Null()]);
const NullableText = Type.Union([Type.String(), Type.Null()]);

const State = Type.Union([Type.Literal('pending'), Type.Literal('sent'), Type.Literal('dead')], {
  description:
    'pending: to be (re)tried at nextAttemptAt; sent: delivered; dead: every attempt failed, retry it with POST /v1/messages/{id}/retry',
});
const Audience = Type.Union([
  Type.Literal('customer'),
  Type.Literal('staff'),
  Type.Literal('integrator'),
]);
const Transport = Type.Union([Type.Literal('email'), Type.Literal('sms'), Type.Literal('webhook')]);

const messageProperties = {
  id: Type.Integer(),
  dedupeKey: Type.String({
    description: 'Unique per message: the same cause always makes the same key, so it is sent once',
  }),
  audience: Audience,
  transport: Transport,
  template: Type.String({
    description: 'The message kind (see /v1/message-templates) or, for a webhook, the event type',
  }),
  recipient: Type.String({ description: 'Email address, phone number or webhook URL' }),
  customerId: NullableId,
  orderId: NullableId,
  subscriptionId: NullableId,
  webhookId: NullableId,
  alertId: NullableId,
  state: State,
  attempts: Type.Integer({ description: 'Attempts made so far (kept across a retry)' }),
  nextAttemptAt: Type.Union([Timestamp, Type.Null()], {
    description: 'When the next attempt is due; null unless pending',
  }),
  lastError: NullableText,
  deliveredVia: Type.Union([Type.String(), Type.Null()], {
    description: 'smtp, sms-http, webhook or log, once sent',
  }),
  subject: Type.Union([Type.String(), Type.Null()], {
    description: 'Rendered at the first attempt and kept; null before it and for webhooks',
  }),
  text: NullableText,
  html: NullableText,
  data: Type.Unknown({
    description: 'The facts the message renders, or the webhook’s event envelope',
  }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  sentAt: Type.Union([Timestamp, Type.Null()]),
};

export const Message = Type.Object(messageProperties, {
  $id: 'Message',
  description: 'A customer message, staff alert email or webhook delivery in the outbox',
});
export type Message = Static<typeof Message>;

export const MessageAttempt = Type.Object({
  attempt: Type.Integer({ description: '1 for the first' }),
  via: Type.String(),
  outcome: Type.Union([Type.Literal('delivered'), Type.Literal('failed')]),
  detail: Type.Union([Type.String(), Type.Null()], {
    description: 'The receiver’s answer or the error',
  }),
  startedAt: Timestamp,
  durationMs: Type.Integer(),
  worker: Type.String({ description: 'Which dispatcher process made the attempt' }),
});
export type MessageAttempt = Static<typeof MessageAttempt>;

export const MessageDetail = Type.Object({
  ...messageProperties,
  attemptLog: Type.Array(MessageAttempt, { description: 'Oldest first' }),
});
export type MessageDetail = Message & { attemptLog: MessageAttempt[] };

export const MessageParams = Type.Object({ id: Id });

export const RetryBody = Type.Object(
  {},
  { additionalProperties: false, description: 'Empty; the body may be left out' },
);

const filters = {
  state: Type.Optional(State),
  audience: Type.Optional(Audience),
  transport: Type.Optional(Transport),
  template: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: 'Message kind or event type' }),
  ),
  order: Type.Optional(Id),
  subscription: Type.Optional(Id),
  alert: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'The staff alert an email is about (GET /v1/alerts)',
    }),
  ),
  recipient: Type.Optional(
    Type.String({ minLength: 1, maxLength: 500, description: 'Exactly as addressed' }),
  ),
  limit: Limit,
  cursor: Type.Optional(Cursor),
};

export const CustomerMessagesQuery = Type.Object(filters, { additionalProperties: false });
export type CustomerMessagesQuery = Static<typeof CustomerMessagesQuery>;

export const ListMessagesQuery = Type.Object(
  { ...filters, customer: Type.Optional(Id) },
  { additionalProperties: false },
);
export type ListMessagesQuery = Static<typeof ListMessagesQuery>;

export const MessagePage = PageOf(Type.Ref('Message'));
export interface MessagePage {
  items: Message[];
  nextCursor: string | null;
}
