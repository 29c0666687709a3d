import { type Static, Type } from 'typebox';
import { Code } from '../http/common-schemas.js';
import { WEBHOOK_EVENT_TYPES } from '../kernel/events/event-types.js';

const EventId = Type.Integer({
  minimum: 0,
  maximum: Number.MAX_SAFE_INTEGER,
  description: 'An event id: the stream resumes after it',
});

export const EventsQuery = Type.Object(
  {
    types: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 1000,
        description: `Comma-separated event types, or families such as \`order.*\`; all when absent. Types: ${WEBHOOK_EVENT_TYPES.join(', ')}`,
        examples: ['order.placed,availability.changed', 'order.*'],
      }),
    ),
    /** Only events concerning this channel; a channel key gets its own only, and may ask for no other. */
    channel: Type.Optional(Code),
    after: Type.Optional(EventId),
  },
  { additionalProperties: false },
);
export type EventsQuery = Static<typeof EventsQuery>;

export const EventsHeaders = Type.Object({
  'last-event-id': Type.Optional(
    Type.String({
      pattern: '^[0-9]{1,15}$',
      description:
        'Sent by EventSource when it reconnects: the events after this id are delivered first. Takes precedence over `after`',
    }),
  ),
});

export const EventStreamResponse = {
  description:
    'A text/event-stream that stays open. Each event: `id: <event id>`, `event: <type>`, `data: {"id", "type", "channel", "subject", "createdAt", "data"}` with `data` the event payload. A comment line (`: heartbeat`) every 15 s keeps proxies from closing it. An event committed late (PostgreSQL) below an id already sent comes without an `id:` line, so Last-Event-ID never moves back; its data still carries the id.',
  content: {
    'text/event-stream': {
      schema: {
        type: 'string',
        examples: ['id: 42\nevent: order.placed\ndata: {"id":42,...}\n\n'],
      },
    },
  },
} as const;
