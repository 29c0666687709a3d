import { type Static, Type } from 'typebox';
import { Cursor, Id, Limit, PageOf, Timestamp } from '../http/common-schemas.js';
import { WEBHOOK_EVENT_TYPES } from '../kernel/events/event-types.js';

const Url = Type.String({
  format: 'uri',
  pattern: '^[Hh][Tt][Tt][Pp][Ss]?://',
  maxLength: 2000,
  description: 'Where deliveries are POSTed: an http or https URL',
  examples: ['https://example.com/hooks/stockroom'],
});

const EventTypes = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
  minItems: 1,
  maxItems: WEBHOOK_EVENT_TYPES.length,
  uniqueItems: true,
  description: `The event types to deliver, or ["*"] for all of them: ${WEBHOOK_EVENT_TYPES.join(', ')}`,
  examples: [['order.placed', 'order.backordered']],
});

const Description = Type.Union([Type.String({ maxLength: 500 }), Type.Null()], {
  description: 'A note for people: who receives it and why',
});

export const CreateWebhookBody = Type.Object(
  { url: Url, events: EventTypes, description: Type.Optional(Description) },
  { additionalProperties: false },
);
export type CreateWebhookBody = Static<typeof CreateWebhookBody>;

export const UpdateWebhookBody = Type.Object(
  {
    url: Type.Optional(Url),
    events: Type.Optional(EventTypes),
    description: Type.Optional(Description),
    active: Type.Optional(
      Type.Boolean({ description: 'An inactive webhook gets no new deliveries' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateWebhookBody = Static<typeof UpdateWebhookBody>;

const webhookProperties = {
  id: Type.Integer(),
  url: Type.String(),
  events: Type.Array(Type.String(), { description: 'Sorted; ["*"] for all' }),
  description: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

export const Webhook = Type.Object(webhookProperties, {
  $id: 'Webhook',
  description: 'An endpoint integrators registered for events (its secret is never shown again)',
});
export type Webhook = Static<typeof Webhook>;

export const WebhookWithSecret = Type.Object(
  {
    ...webhookProperties,
    secret: Type.String({
      description:
        'Signs every delivery per Standard Webhooks (webhook-signature header, HMAC-SHA256): whsec_ followed by base64 of 32 random bytes. Shown only in this response; store it now.',
    }),
  },
  { description: 'The webhook with its signing secret, shown once' },
);
export type WebhookWithSecret = Static<typeof WebhookWithSecret>;

/** Nothing to send: the new secret is made here. */
export const RotateSecretBody = Type.Object({}, { additionalProperties: false });

export const WebhookParams = Type.Object({ id: Id });

export const ListWebhooksQuery = Type.Object(
  { limit: Limit, cursor: Type.Optional(Cursor) },
  { additionalProperties: false },
);
export type ListWebhooksQuery = Static<typeof ListWebhooksQuery>;

export const WebhookPage = PageOf(Type.Ref('Webhook'));

export const ListDeliveriesQuery = ListWebhooksQuery;
export type ListDeliveriesQuery = ListWebhooksQuery;

export const WebhookDelivery = Type.Object({
  id: Type.Integer(),
  eventId: Type.Union([Type.Integer(), Type.Null()], {
    description:
      'The event delivered: the envelope’s id, which is also its id in the live stream (GET /v1/events)',
  }),
  eventType: Type.String({ examples: ['order.placed'] }),
  state: Type.Union([Type.Literal('pending'), Type.Literal('sent'), Type.Literal('dead')], {
    description: 'pending: not yet delivered (retried with backoff); sent; dead: given up',
  }),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
  sentAt: Type.Union([Timestamp, Type.Null()]),
});
export type WebhookDelivery = Static<typeof WebhookDelivery>;

export const DeliveryPage = PageOf(WebhookDelivery);
