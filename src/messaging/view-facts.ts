import type { Kysely } from 'kysely';
import { findAlternatives } from '../availability/alternatives.service.js';
import { isPostgres } from '../db/dialect.js';
import type { Db } from '../db/schema.js';
import type { MessageKind } from '../domain/customer-messages.js';
import type { AppContext } from '../kernel/context.js';
import { type Clock, systemClock } from '../shared/clock.js';
import { AppError } from '../shared/errors.js';
import { itemOfLine, itemsBySku } from './view-facts.repository.js';
import { int, records, str } from './view-values.js';

/** What a message's view needs from the database beyond its data: names and alternatives. */

/** How many alternatives a message offers at most. */
export const MESSAGE_ALTERNATIVES = 3;

export interface NamedItem {
  sku: string;
  name: string;
}

/** What the database adds to a message's data. */
export interface ViewFacts {
  /** SKU → item name, for the SKUs the data names. */
  itemNames: ReadonlyMap<string, string>;
  /** SKU → price in minor units; a SKU left out has no known price. */
  prices?: ReadonlyMap<string, number>;
  /** Order line id → its item. */
  lineItems: ReadonlyMap<number, NamedItem>;
  /** Items to offer instead, best first; null when none were looked up. */
  alternatives: readonly NamedItem[] | null;
}

export const NO_FACTS: ViewFacts = {
  itemNames: new Map(),
  lineItems: new Map(),
  alternatives: null,
};

/** Reads the item names and alternatives a message's data refers to. */
export async function loadViewFacts(
  db: Db,
  kind: MessageKind,
  data: Record<string, unknown>,
  clock: Clock = systemClock,
): Promise<ViewFacts> {
  const skus = new Set<string>();
  const sku = str(data.sku);
  if (sku) skus.add(sku);
  for (const line of records(data.lines)) {
    const lineSku = str(line.sku);
    if (lineSku) skus.add(lineSku);
  }
  const items = skus.size === 0 ? [] : await itemsBySku(db, [...skus]);
  const lineId = int(data.lineId);
  const line = lineId === null ? undefined : await itemOfLine(db, lineId);

  let alternatives: NamedItem[] | null = null;
  const channel = str(data.channel);
  const itemId = line?.id ?? items.find((i) => i.sku === sku)?.id;
  if (
    (kind === 'unpromised' || kind === 'discontinued') &&
    !Array.isArray(data.alternatives) &&
    itemId !== undefined &&
    channel
  ) {
    alternatives = await alternativesFor(db, clock, {
      itemId: Number(itemId),
      channel,
      quantity: int(data.quantity) ?? 1,
    });
  }
  return {
    itemNames: new Map(items.map((i) => [i.sku, i.name])),
    prices: new Map(items.map((i) => [i.sku, Number(i.price_cents)])),
    lineItems:
      line && lineId !== null ? new Map([[lineId, { sku: line.sku, name: line.name }]]) : new Map(),
    alternatives,
  };
}

/**
 * The alternatives service answers for a context; a message has only its database, so
 * it gets one around it (the service reads only through the db it is handed, and the
 * clock only to tell what is released yet). An unknown channel or item offers nothing
 * rather than stopping the message.
 */
async function alternativesFor(
  db: Db,
  clock: Clock,
  input: { itemId: number; channel: string; quantity: number },
): Promise<NamedItem[]> {
  const kind = isPostgres(db as unknown as Kysely<unknown>) ? 'postgres' : 'sqlite';
  const ctx: AppContext = { db, dbKind: kind, clock };
  try {
    const found = await findAlternatives(db, ctx, {
      ...input,
      quantity: Math.max(1, input.quantity),
      limit: MESSAGE_ALTERNATIVES,
    });
    return found.map((a) => ({ sku: a.sku, name: a.name }));
  } catch (error) {
    if (error instanceof AppError) return [];
    throw error;
  }
}
