import type { Alternative } from '../availability/alternatives.schemas.js';
import { findAlternatives } from '../availability/alternatives.service.js';
import type { ResolvedChannel } from '../catalogue/channels.service.js';
import type { Db } from '../db/schema.js';
import type { AppContext } from '../kernel/context.js';
import { NotFoundError } from '../shared/errors.js';
import type { AssessedLine } from './assessed-line.js';
import type { QuoteBody } from './orders.schemas.js';
import { readStockPicture } from './stock-picture.repository.js';

/**
 * The lines as item ids, with a first picture of their stock: unknown SKUs are a 404
 * naming every one.
 */
export async function resolveLines(
  db: Db,
  lines: QuoteBody['lines'],
  channel: ResolvedChannel,
  now: string,
) {
  const picture = await readStockPicture(
    db,
    { skus: [...new Set(lines.map((l) => l.sku))] },
    channel.locations.map((l) => l.locationId),
    now,
  );
  const bySku = new Map(picture.items.map((i) => [i.sku, i]));
  const missing = [...new Set(lines.map((l) => l.sku).filter((sku) => !bySku.has(sku)))];
  if (missing.length > 0) {
    throw new NotFoundError('ITEM_NOT_FOUND', `Unknown SKU(s): ${missing.join(', ')}`, {
      skus: missing,
    });
  }
  const requests = lines.map((l) => ({
    sku: l.sku,
    itemId: bySku.get(l.sku)!.id,
    quantity: l.quantity,
    acceptBackorder: l.acceptBackorder ?? false,
    releaseDate: bySku.get(l.sku)!.release_date,
  }));
  return { requests, picture };
}

/**
 * Alternatives already being looked up, by item, channel and quantity: the refusals of one
 * batch share them (a rush on a sold-out item reads them once, not once per customer).
 */
export type AlternativesMemo = Map<string, Promise<Alternative[]>>;

/** What the customer could buy instead of a line that cannot be had now. */
export function alternativesFor(
  ctx: AppContext,
  line: AssessedLine,
  channel: string,
  memo?: AlternativesMemo,
): Promise<Alternative[]> {
  const input = { itemId: line.item.id, channel, quantity: line.request.quantity };
  if (!memo) return findAlternatives(ctx.db, ctx, input);
  const key = `${input.itemId} ${channel} ${input.quantity}`;
  let found = memo.get(key);
  if (!found) {
    found = findAlternatives(ctx.db, ctx, input);
    memo.set(key, found);
  }
  return found;
}
