import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { scopeToChannel } from '../access/auth.js';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { AppError } from '../shared/errors.js';
import {
  createEventHub,
  type EventHub,
  type EventStreamOptions,
  type StreamEvent,
} from './event-hub.js';
import { EventStreamResponse, EventsHeaders, EventsQuery } from './events.schemas.js';
import { openStreamRequest, type StreamRequest } from './events.service.js';

const readers = ['admin', 'staff', 'channel'] as const;
/** What EventSource waits before reconnecting. */
const RETRY_MS = 2_000;
/** Catching up pauses while a client has this much unsent; live events still queue. */
const PAUSE_BYTES = 64 * 1024;
/** A client this far behind is dropped: it reconnects and resumes by Last-Event-ID. */
const DROP_BYTES = 1024 * 1024;

/**
 * The live event stream. One hub per app tails the events table and feeds every open
 * stream; closing the app ends the streams (before the server waits for open
 * connections) and the hub.
 */
export const eventRoutes =
  (ctx: AppContext, options: EventStreamOptions = {}): FastifyPluginAsyncTypebox =>
  async (app) => {
    const hub = createEventHub({ ...options, db: ctx.db, kind: ctx.dbKind, log: app.log });
    // preClose runs before Fastify closes the server, which waits for open connections:
    // streams never end by themselves, so they must be ended first.
    app.addHook('preClose', async () => {
      await hub.stop();
    });

    app.get(
      '/v1/events',
      {
        config: { access: readers },
        // A HEAD would open a stream with no body to send; there is nothing to learn from one.
        exposeHeadRoute: false,
        schema: {
          tags: ['events'],
          operationId: 'streamEvents',
          summary: 'Live stream of events (Server-Sent Events)',
          description:
            'Availability, order, purchase order, transfer and alert events as they are committed, from every server process. Reconnecting with Last-Event-ID (EventSource does) or `after` delivers what was missed first, as long as it is in the event log. A channel key gets only the events of its own channel; admin and staff keys get all, including events that concern no channel.',
          querystring: EventsQuery,
          headers: EventsHeaders,
          response: { 200: EventStreamResponse, ...errorResponses },
        },
      },
      async (request, reply) => {
        const { query } = request;
        const lastEventId = request.headers['last-event-id'];
        const stream = await openStreamRequest(ctx, {
          ...query,
          ...scopeToChannel(request.principal!, query),
          ...(lastEventId !== undefined && { lastEventId }),
        });
        openStream(request, reply, hub, stream);
      },
    );
  };

function openStream(
  request: FastifyRequest,
  reply: FastifyReply,
  hub: EventHub,
  { filter, after }: StreamRequest,
): void {
  const res = reply.raw;
  const write = (chunk: string) => {
    if (res.destroyed || res.writableEnded) return;
    res.write(chunk);
    if (res.writableLength > DROP_BYTES) {
      request.log.warn({ buffered: res.writableLength }, 'live events: client too slow, dropped');
      res.destroy();
    }
  };
  let unsubscribe: () => void;
  try {
    unsubscribe = hub.subscribe({
      filter,
      after,
      send: (event, resumable) => write(formatEvent(event, resumable)),
      ready: () => res.writableLength < PAUSE_BYTES,
      end: () => res.end(),
    });
  } catch {
    throw new AppError(
      'unavailable',
      'SHUTTING_DOWN',
      'The server is shutting down; reconnect shortly',
    );
  }
  // The hub sends nothing before its first read completes, so the head goes out first.
  reply.hijack();
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    // nginx would otherwise buffer the stream.
    'x-accel-buffering': 'no',
    // A stream ends only when the server stops; its connection is not reused after.
    connection: 'close',
    'x-request-id': request.id,
  });
  res.write(`retry: ${RETRY_MS}\n: connected\n\n`);
  const heartbeat = setInterval(() => write(': heartbeat\n\n'), hub.heartbeatMs);
  const close = () => {
    clearInterval(heartbeat);
    unsubscribe();
  };
  res.on('drain', hub.wake);
  res.on('close', close);
  // The client may have gone while the request was checked: 'close' has fired already.
  if (res.destroyed) close();
}

/** JSON never contains a raw newline, so the data fits one `data:` line. */
function formatEvent(event: StreamEvent, resumable: boolean): string {
  const data = JSON.stringify({
    id: event.id,
    type: event.type,
    channel: event.channel,
    subject: event.subject,
    createdAt: event.createdAt,
    data: event.data,
  });
  return `${resumable ? `id: ${event.id}\n` : ''}event: ${event.type}\ndata: ${data}\n\n`;
}
