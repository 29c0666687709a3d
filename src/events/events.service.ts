import { findChannelByCode } from '../catalogue/channels.repository.js';
import { type EventFilter, parseEventTypes } from '../domain/event-filter.js';
import type { AppContext } from '../kernel/context.js';
import { WEBHOOK_EVENT_TYPES } from '../kernel/events/event-types.js';
import { BadRequestError, NotFoundError } from '../shared/errors.js';
import { newestEventId } from './events.repository.js';

/** What a client's stream carries and where it starts. */
export interface StreamRequest {
  filter: EventFilter;
  /** The stream carries the events after this id. */
  after: number;
}

/**
 * Checks a stream request before anything is streamed, so that a refusal is an ordinary
 * error response. `channel` is already scoped to the key. Without a resume point the
 * stream starts after the newest event now.
 */
export async function openStreamRequest(
  ctx: AppContext,
  request: { types?: string; channel?: string; after?: number; lastEventId?: string },
): Promise<StreamRequest> {
  const types = parseEventTypes(request.types ?? '', WEBHOOK_EVENT_TYPES);
  if (!types.ok) {
    throw new BadRequestError(
      'UNKNOWN_EVENT_TYPE',
      `Unknown event types: ${types.unknown.join(', ')}`,
      { unknown: types.unknown, known: WEBHOOK_EVENT_TYPES },
    );
  }
  const channel = request.channel ?? null;
  if (channel !== null && !(await findChannelByCode(ctx.db, channel))) {
    throw new NotFoundError('CHANNEL_NOT_FOUND', `No channel with code ${channel}`, {
      code: channel,
    });
  }
  // EventSource reconnects to the URL it was given, with Last-Event-ID: that is newer.
  const resume = request.lastEventId ?? request.after;
  return {
    filter: { types: types.types, channel },
    after: resume !== undefined ? Number(resume) : await newestEventId(ctx.db),
  };
}
