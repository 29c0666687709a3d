import type { Transaction } from 'kysely';
import { channelScopeOf } from '../access/channel-scope.js';
import type { Principal } from '../access/principal.js';
import { requireChannel } from '../catalogue/channels.service.js';
import type { DB } from '../db/schema.js';
import type { AppContext } from '../kernel/context.js';
import { recordEvents } from '../kernel/events/domain-events.js';
import { requireActiveHold } from '../kernel/holds/hold-state.js';
import {
  claimHoldForOrder,
  findHold,
  type HoldLineRow,
  linesOfHold,
  setHoldOrder,
  takeHeldUnits,
} from '../kernel/holds/holds.repository.js';
import { holdEvent } from '../kernel/holds/release-holds.js';
import {
  type IdempotentRequest,
  transactionWithAnswer,
} from '../kernel/idempotency/idempotency.service.js';
import type { AssessedLine } from './assessed-line.js';
import type { ConvertHoldBody } from './convert-hold.schemas.js';
import type { Order, PlaceOrderBody } from './orders.schemas.js';
import { customerOf } from './place-order.js';
import { readStockPicture } from './stock-picture.repository.js';
import { writeOrder } from './write-order.js';

/**
 * A hold becomes an order with the same units: its held units become the lines'
 * allocations in one transaction, with no second reservation (stock.reserved does not
 * change, so nobody can take the units in between). Only an active, unexpired hold: the
 * claim is one conditional statement, so a release, expiry or second conversion racing it
 * makes this one answer 409 HOLD_RELEASED / HOLD_EXPIRED / HOLD_CONVERTED.
 */
export async function convertHold(
  ctx: AppContext,
  holdId: number,
  body: ConvertHoldBody,
  principal: Principal,
  idempotency: IdempotentRequest | undefined,
): Promise<Order> {
  const scope = channelScopeOf(principal);
  const now = ctx.clock.now().toISOString();
  const found = requireActiveHold(holdId, await findHold(ctx.db, holdId, scope), now);
  const lines = await linesOfHold(ctx.db, holdId);
  const input: PlaceOrderBody = { ...body, channel: found.channel, lines: orderLines(lines) };
  const existingCustomer = await customerOf(ctx, input, principal);
  return transactionWithAnswer(ctx, idempotency, async (trx) => {
    if (!(await claimHoldForOrder(trx, holdId, now))) {
      requireActiveHold(holdId, await findHold(trx, holdId, scope), now);
      throw new Error(`Hold ${holdId} is active but could not be claimed`);
    }
    const taken = await takeHeldUnits(trx, [holdId], undefined);
    const held = taken.reduce((s, t) => s + t.held, 0);
    if (held !== lines.reduce((s, l) => s + l.quantity, 0)) {
      throw new Error(`Hold ${holdId} held ${held} units, not what its lines say`);
    }
    const channel = await requireChannel(trx, found.channel);
    const assessed = await heldLines(trx, holdId, lines, channel.locations, now);
    const order = await writeOrder(
      trx,
      { channel, input, existingCustomer, assessed, actor: principal.actor },
      now,
      { reserve: false },
    );
    await setHoldOrder(trx, holdId, order.id);
    await recordEvents(trx, [
      holdEvent('hold.converted', found, principal.actor, now, { orderId: order.id }),
    ]);
    return order;
  });
}

/** The hold's lines as order lines: one per hold line, all of its units. */
function orderLines(lines: readonly HoldLineRow[]): PlaceOrderBody['lines'] {
  const byLine = new Map<number, { sku: string; quantity: number }>();
  for (const l of lines) {
    const line = byLine.get(l.line_no) ?? { sku: l.sku, quantity: 0 };
    line.quantity += l.quantity;
    byLine.set(l.line_no, line);
  }
  return [...byLine.values()];
}

/**
 * Each hold line as an assessed line taken wholly from stock, its takes exactly where the
 * hold kept the units.
 */
async function heldLines(
  trx: Transaction<DB>,
  holdId: number,
  lines: readonly HoldLineRow[],
  channelLocations: readonly { locationId: number; code: string }[],
  now: string,
): Promise<AssessedLine[]> {
  const itemIds = [...new Set(lines.map((l) => l.item_id))];
  const picture = await readStockPicture(
    trx,
    { itemIds },
    channelLocations.map((l) => l.locationId),
    now,
  );
  const items = new Map(picture.items.map((i) => [i.id, i]));
  const out: AssessedLine[] = [];
  for (const l of lines) {
    const previous = out[l.line_no - 1];
    const take = { locationId: l.location_id, location: l.location, quantity: l.quantity };
    if (previous) {
      previous.takes.push(take);
      previous.request.quantity += l.quantity;
      continue;
    }
    out.push({
      request: { sku: l.sku, itemId: l.item_id, quantity: l.quantity, acceptBackorder: false },
      item: items.get(l.item_id)!,
      outcome: 'in_stock',
      state: 'in_stock',
      reason: `held by hold ${holdId}`,
      available: 0,
      incoming: 0,
      takes: [take],
      promise: null,
      preorder: false,
      supplier: { code: null, leadTimeDays: null },
    });
  }
  for (const line of out) {
    line.reason = `${line.request.quantity} held by hold ${holdId}`;
  }
  return out;
}
