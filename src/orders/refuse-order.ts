import type { ResolvedChannel } from '../catalogue/channels.service.js';
import type { AppContext } from '../kernel/context.js';
import type { GroupCommit } from '../kernel/group-commit/group-commit.js';
import {
  type IdempotentRequest,
  refusalAnswer,
} from '../kernel/idempotency/idempotency.service.js';
import { type AppError, ConflictError } from '../shared/errors.js';
import type { AssessedLine } from './assessed-line.js';
import { type RefusalRecord, recordRefusals } from './record-refusals.js';
import { type AlternativesMemo, alternativesFor } from './requested-lines.js';

/** Refusals recorded together; undefined for those of a batch that failed as a whole. */
export type RefusalBatcher = GroupCommit<RefusalRecord, boolean | undefined>;

/**
 * Records each refused line as lost demand and the refusal as the key's answer, then
 * returns the error naming every failing line with what would help the customer.
 * `claimed` is false when a concurrent copy of the request took the key first: its
 * answer stands, and the lost demand is not counted twice. With a batcher the refusal is
 * recorded in one transaction with the others of the moment (src/orders/record-refusals.ts);
 * with a memo, alternatives are shared with the refusals of the same batch.
 */
export async function refuseOrder(
  ctx: AppContext,
  channel: ResolvedChannel,
  lines: readonly AssessedLine[],
  request: IdempotentRequest,
  shared: {
    batcher?: RefusalBatcher | undefined;
    alternatives?: AlternativesMemo | undefined;
  } = {},
): Promise<{ error: AppError; claimed: boolean }> {
  const now = ctx.clock.now().toISOString();
  // Read outside any transaction: alternatives hold no lock while they are looked up.
  const failing = await failingLines(ctx, channel, lines, shared.alternatives);
  const error = new ConflictError(
    'ORDER_REFUSED',
    `The order cannot be placed: ${failing.map((f) => `line ${f.line} (${f.sku}) is ${f.state}`).join('; ')}`,
    { lines: failing },
  );
  const record: RefusalRecord = {
    request,
    // Metrics count refusals by this JSON's leading code (order-metrics.repository.ts).
    answer: refusalAnswer(409, error),
    lostDemand: failing.map((f) => ({
      item_id: lines[f.line - 1]!.item.id,
      channel_id: channel.id,
      quantity: f.quantity,
      state: f.state,
      available: f.available,
      created_at: now,
    })),
  };
  const claimed =
    (await shared.batcher?.submit(record)) ?? (await recordRefusals(ctx, [record]))[0]!;
  return { error, claimed };
}

/** Each refused line, numbered as in the request, with alternatives and how to subscribe. */
function failingLines(
  ctx: AppContext,
  channel: ResolvedChannel,
  lines: readonly AssessedLine[],
  memo: AlternativesMemo | undefined,
) {
  return Promise.all(
    lines
      .map((line, index) => ({ line, number: index + 1 }))
      .filter(({ line }) => line.outcome === 'refused')
      .map(async ({ line, number }) => ({
        line: number,
        sku: line.request.sku,
        quantity: line.request.quantity,
        state: line.state,
        reason: line.reason,
        available: line.available,
        incoming: line.incoming,
        ...(line.promise &&
          line.promise.quantity > 0 && {
            backorder: { quantity: line.promise.quantity, date: line.promise.promisedDate },
          }),
        alternatives: await alternativesFor(ctx, line, channel.code, memo),
        subscribe: {
          method: 'POST',
          path: '/v1/subscriptions',
          body: { sku: line.request.sku, channel: channel.code },
        },
      })),
  );
}
