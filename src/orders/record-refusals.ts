import type { Insertable } from 'kysely';
import type { LostDemandTable } from '../db/tables/orders.js';
import type { AppContext } from '../kernel/context.js';
import {
  type Answer,
  claimWithAnswers,
  type IdempotentRequest,
} from '../kernel/idempotency/idempotency.service.js';
import { insertLostDemand } from './order-writes.repository.js';

/** A refused order, ready to record: its key's answer and the demand it lost. */
export interface RefusalRecord {
  request: IdempotentRequest;
  answer: Answer;
  lostDemand: Insertable<LostDemandTable>[];
}

/**
 * Refusals recorded in one transaction, however many: every key claimed with its answer in
 * one statement, then the lost demand of the refusals that claimed theirs in one insert.
 * Says for each refusal whether it claimed its key: false when a copy of the request
 * claimed it first, whose answer stands and whose lost demand is the one counted.
 */
export function recordRefusals(
  ctx: AppContext,
  refusals: readonly RefusalRecord[],
): Promise<boolean[]> {
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const claimed = await claimWithAnswers(trx, refusals, now);
    const lost = refusals.filter((_, i) => claimed[i]).flatMap((r) => r.lostDemand);
    if (lost.length > 0) await insertLostDemand(trx, lost);
    return claimed;
  });
}
