import { createHash } from 'node:crypto';
import type { Db } from '../db/schema.js';
import {
  type IdempotentRequest,
  replay,
  unlessRefusal,
} from '../kernel/idempotency/idempotency.service.js';
import { canonicalJson } from '../shared/canonical-json.js';
import type { Order, PlaceOrderBody } from './orders.schemas.js';

/** Same key, same body: whatever the first request was answered. */
export interface Placed {
  status: number;
  order: Order;
  replayed: boolean;
}

/** An order's key answers the body alone: key order inside it does not matter. */
export function orderRequest(
  scope: string,
  idempotencyKey: string,
  input: PlaceOrderBody,
): IdempotentRequest {
  return {
    scope,
    key: idempotencyKey,
    requestHash: createHash('sha256').update(canonicalJson(input)).digest('hex'),
  };
}

/**
 * The answer stored under the key, if any: the order again, or its refusal raised again
 * (422 when the key was used for another body).
 */
export async function replayOrder(db: Db, request: IdempotentRequest): Promise<Placed | undefined> {
  const answer = await replay(db, request);
  if (!answer) return undefined;
  const { status, body } = unlessRefusal(answer);
  return { status, order: body as Order, replayed: true };
}
