import type { Transaction } from 'kysely';
import type { ResolvedChannel } from '../catalogue/channels.service.js';
import { resolveChannel } from '../catalogue/channels.service.js';
import type { DB } from '../db/schema.js';
import { availableAt } from '../domain/availability.js';
import {
  DEFAULT_TTL_SECONDS,
  expiryOf,
  type HoldLinePlan,
  type HoldLineRequest,
  planHold,
  withinHoldCap,
} from '../domain/holds.js';
import type { Actor, AppContext } from '../kernel/context.js';
import { recordEvents } from '../kernel/events/domain-events.js';
import { holdEvent, releaseLapsedHoldsBefore } from '../kernel/holds/release-holds.js';
import {
  type IdempotentRequest,
  transactionWithAnswer,
} from '../kernel/idempotency/idempotency.service.js';
import { reserveStock } from '../kernel/ledger/stock.repository.js';
import { AppError, BadRequestError, ConflictError, NotFoundError } from '../shared/errors.js';
import { toHold } from './hold-document.js';
import {
  insertHold,
  insertHoldLines,
  itemsBySku,
  lockChannelCap,
  stockOf,
  unitsHeldBy,
} from './holds.repository.js';
import type { CreateHoldBody, Hold } from './holds.schemas.js';

/**
 * Placing a hold: every line held in full from the channel's locations, or nothing held
 * (a hold never backorders). Units are reserved with the conditional statement orders
 * use, row by row in item then location order, each row first freed of lapsed holds; a
 * row that moved between the read and the reservation (PostgreSQL) starts it over.
 */

const MAX_ATTEMPTS = 20;

class StockMoved extends Error {}

interface Resolved {
  channel: ResolvedChannel;
  requests: (HoldLineRequest & { sku: string })[];
  ttlSeconds: number;
}

export async function createHold(
  ctx: AppContext,
  input: CreateHoldBody & { channel: string },
  actor: Actor,
  idempotency: IdempotentRequest | undefined,
): Promise<Hold> {
  const resolved = await resolveHold(ctx, input);
  for (let attempt = 1; ; attempt++) {
    try {
      return await transactionWithAnswer(ctx, idempotency, (trx) =>
        holdOnce(ctx, trx, resolved, input.reference ?? null, actor),
      );
    } catch (error) {
      if (!(error instanceof StockMoved)) throw error;
      if (attempt === MAX_ATTEMPTS) {
        throw new AppError('unavailable', 'CONTENDED', 'Stock kept changing while holding; retry', {
          attempts: attempt,
        });
      }
    }
  }
}

/** SKUs to items and line locations to ids: unknown ones are refused before any lock. */
async function resolveHold(ctx: AppContext, input: CreateHoldBody & { channel: string }) {
  const channel = await resolveChannel(ctx, input.channel);
  const skus = [...new Set(input.lines.map((l) => l.sku))];
  const items = new Map((await itemsBySku(ctx.db, skus)).map((i) => [i.sku, i.id]));
  const missing = skus.filter((sku) => !items.has(sku));
  if (missing.length > 0) {
    throw new NotFoundError('ITEM_NOT_FOUND', `Unknown SKU(s): ${missing.join(', ')}`, {
      skus: missing,
    });
  }
  const codes = channel.locations.map((l) => l.code);
  const requests = input.lines.map((line) => {
    if (line.location === undefined) {
      return { sku: line.sku, itemId: items.get(line.sku)!, quantity: line.quantity };
    }
    const here = channel.locations.find((l) => l.code === line.location);
    if (!here) {
      throw new BadRequestError(
        'LOCATION_NOT_ON_CHANNEL',
        `Channel ${channel.code} does not sell from location ${line.location}; it sells from ${codes.length > 0 ? codes.join(', ') : 'no location'}`,
        { channel: channel.code, location: line.location, locations: codes },
      );
    }
    return {
      sku: line.sku,
      itemId: items.get(line.sku)!,
      quantity: line.quantity,
      locationId: here.locationId,
    };
  });
  return { channel, requests, ttlSeconds: input.ttlSeconds ?? DEFAULT_TTL_SECONDS };
}

async function holdOnce(
  ctx: AppContext,
  trx: Transaction<DB>,
  { channel, requests, ttlSeconds }: Resolved,
  reference: string | null,
  actor: Actor,
): Promise<Hold> {
  const clock = ctx.clock.now();
  const now = clock.toISOString();
  const expiresAt = expiryOf(clock, ttlSeconds);
  const wanted = requests.reduce((s, r) => s + r.quantity, 0);
  const cap = await lockChannelCap(trx, channel.id);
  if (cap !== null) {
    const holding = await unitsHeldBy(trx, channel.id, now);
    if (!withinHoldCap(cap, holding, wanted)) {
      throw new ConflictError(
        'HOLD_LIMIT_EXCEEDED',
        `Channel ${channel.code} may hold at most ${cap} units at once; it holds ${holding}, and this hold asks for ${wanted}`,
        { channel: channel.code, maxHeldUnits: cap, held: holding, requested: wanted },
      );
    }
  }
  const locationIds = channel.locations.map((l) => l.locationId);
  const plans = await planFromStock(trx, requests, locationIds, now);
  refuseShortLines(requests, plans);
  const rows = reservations(requests, plans);
  await releaseLapsedHoldsBefore(trx, rows, now);
  for (const row of rows) {
    if (!(await reserveStock(trx, row, row.quantity, { respectSafetyStock: true }, now))) {
      throw new StockMoved();
    }
  }
  const holdId = await insertHold(trx, {
    channel_id: channel.id,
    reference,
    status: 'active',
    expires_at: expiresAt,
    order_id: null,
    created_by: actor,
    created_at: now,
    updated_at: now,
  });
  const codes = new Map(channel.locations.map((l) => [l.locationId, l.code]));
  const lines = requests.flatMap((r, index) =>
    plans[index]!.takes.map((t) => ({
      line_no: index + 1,
      item_id: r.itemId,
      sku: r.sku,
      location_id: t.locationId,
      location: codes.get(t.locationId)!,
      quantity: t.quantity,
      held: t.quantity,
    })),
  );
  await insertHoldLines(
    trx,
    lines.map(({ sku: _sku, location: _location, ...line }) => ({
      ...line,
      hold_id: holdId,
      expires_at: expiresAt,
    })),
  );
  const row = {
    id: holdId,
    channel_id: channel.id,
    channel: channel.code,
    reference,
    status: 'active' as const,
    expires_at: expiresAt,
    order_id: null,
    created_at: now,
    updated_at: now,
  };
  const hold = toHold(row, lines, now);
  await recordEvents(trx, [
    holdEvent('hold.created', row, actor, now, { expiresAt, lines: hold.lines }),
  ]);
  return hold;
}

async function planFromStock(
  trx: Transaction<DB>,
  requests: readonly HoldLineRequest[],
  locationIds: readonly number[],
  now: string,
): Promise<HoldLinePlan[]> {
  const itemIds = [...new Set(requests.map((r) => r.itemId))];
  const stock = locationIds.length === 0 ? [] : await stockOf(trx, itemIds, locationIds, now);
  const free = new Map(
    stock.map((s) => [
      `${s.item_id}:${s.location_id}`,
      availableAt({
        location: '',
        onHand: s.on_hand,
        reserved: s.reserved,
        safetyStock: s.safety_stock,
      }),
    ]),
  );
  return planHold(requests, locationIds, free);
}

/** 409 HOLD_INSUFFICIENT_STOCK naming every line that cannot be held in full. */
function refuseShortLines(
  requests: readonly (HoldLineRequest & { sku: string })[],
  plans: readonly HoldLinePlan[],
): void {
  const short = requests
    .map((r, index) => ({ line: index + 1, sku: r.sku, quantity: r.quantity, plan: plans[index]! }))
    .filter((l) => l.plan.shortfall > 0)
    .map(({ plan, ...l }) => ({ ...l, available: plan.available }));
  if (short.length === 0) return;
  throw new ConflictError(
    'HOLD_INSUFFICIENT_STOCK',
    short
      .map((l) => `line ${l.line} (${l.sku}): ${l.available} available for ${l.quantity} wanted`)
      .join('; '),
    { lines: short },
  );
}

/** The units to reserve, summed per stock row, in item then location order. */
function reservations(
  requests: readonly HoldLineRequest[],
  plans: readonly HoldLinePlan[],
): { itemId: number; locationId: number; quantity: number }[] {
  const rows = new Map<string, { itemId: number; locationId: number; quantity: number }>();
  for (const [index, r] of requests.entries()) {
    for (const t of plans[index]!.takes) {
      const key = `${r.itemId}:${t.locationId}`;
      const row = rows.get(key) ?? { itemId: r.itemId, locationId: t.locationId, quantity: 0 };
      row.quantity += t.quantity;
      rows.set(key, row);
    }
  }
  return [...rows.values()].sort((a, b) => a.itemId - b.itemId || a.locationId - b.locationId);
}
