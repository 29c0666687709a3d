import { resolveChannel } from '../catalogue/channels.service.js';
import type { AppContext } from '../kernel/context.js';
import { assessLines } from './assess-lines.js';
import { type AssessedLine, basisOf } from './assessed-line.js';
import { sellingPoint } from './counter-location.js';
import type { Quote, QuoteBody } from './orders.schemas.js';
import { alternativesFor, resolveLines } from './requested-lines.js';

/** What an order would get now, line by line, without committing anything. */
export async function quoteOrder(ctx: AppContext, input: QuoteBody): Promise<Quote> {
  const { channel, stockFrom, pickup } = sellingPoint(
    await resolveChannel(ctx, input.channel),
    input.location,
    input.pickupLocation,
  );
  const now = ctx.clock.now().toISOString();
  const { requests, picture } = await resolveLines(ctx.db, input.lines, channel, now);
  const assessed = await assessLines(ctx.db, channel, requests, now, {
    withSupply: true,
    snapshot: picture,
    ...(stockFrom === undefined ? {} : { stockFrom }),
    ...(pickup === undefined ? {} : { pickup }),
  });
  const lines = await Promise.all(
    assessed.map((line, index) => quotedLine(ctx, line, index + 1, channel.code)),
  );
  return { channel: channel.code, purchasable: lines.every((l) => l.outcome !== 'refused'), lines };
}

async function quotedLine(
  ctx: AppContext,
  a: AssessedLine,
  line: number,
  channel: string,
): Promise<Quote['lines'][number]> {
  return {
    line,
    sku: a.request.sku,
    quantity: a.request.quantity,
    outcome: a.outcome,
    state: a.state,
    reason: a.reason,
    available: a.available,
    incoming: a.incoming,
    fromStock: a.takes.map((t) => ({ location: t.location, quantity: t.quantity })),
    backorder:
      a.promise && a.promise.quantity > 0
        ? {
            quantity: a.promise.quantity,
            date: a.promise.promisedDate!,
            confidence: a.promise.confidence!,
            restsOn: a.promise.pegs.map((p) => basisOf(p, a.supplier)),
          }
        : null,
    alternatives:
      a.outcome === 'refused' || a.state === 'backorder'
        ? await alternativesFor(ctx, a, channel)
        : [],
  };
}
