import type { CreateItemBody } from '../../../src/catalogue/items.schemas.js';
import { STATUS_OF_KIND } from '../../../src/http/error-status.js';
import { adjustStock } from '../../../src/inventory/stock.service.js';
import { dispatchTransfer } from '../../../src/inventory/transfers.service.js';
import type { AppContext } from '../../../src/kernel/context.js';
import {
  createPurchaseOrder,
  transition,
} from '../../../src/purchasing/purchase-orders.service.js';
import { fixedClock } from '../../../src/shared/clock.js';
import { addDays } from '../../../src/shared/dates.js';
import { AppError } from '../../../src/shared/errors.js';
import { TEST_NOW } from '../../helpers/app.js';
import type { TestDatabase } from '../../helpers/databases.js';
import { insertItem, insertLocation } from '../../helpers/factories.js';

/** What the world is built from: scenarios name items and locations by index. */

export const TODAY = TEST_NOW.slice(0, 10);

export const propertyContext = (database: TestDatabase): AppContext => ({
  db: database.db,
  dbKind: database.kind,
  clock: fixedClock(TEST_NOW),
});

export async function insertLocations(
  ctx: AppContext,
  kinds: readonly ('store' | 'warehouse')[],
): Promise<{ codes: string[]; ids: number[] }> {
  const codes: string[] = [];
  const ids: number[] = [];
  for (const kind of kinds) {
    const { code } = await insertLocation(ctx, { kind });
    codes.push(code);
    const row = await ctx.db
      .selectFrom('locations')
      .select('id')
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    ids.push(row.id);
  }
  return { codes, ids };
}

export async function insertItems(
  ctx: AppContext,
  specs: readonly Partial<CreateItemBody>[],
): Promise<{ skus: string[]; ids: number[] }> {
  const skus: string[] = [];
  const ids: number[] = [];
  for (const spec of specs) {
    const { sku } = await insertItem(ctx, spec);
    skus.push(sku);
    const row = await ctx.db
      .selectFrom('items')
      .select('id')
      .where('sku', '=', sku)
      .executeTakeFirstOrThrow();
    ids.push(row.id);
  }
  return { skus, ids };
}

/** Opening units arrive as a receipt, so that the ledger accounts for them. */
export async function receiveOpeningStock(
  ctx: AppContext,
  sku: string,
  location: string,
  onHand: number,
  actor: string,
): Promise<void> {
  await adjustStock(
    ctx,
    { sku, location, delta: onHand, type: 'receipt', reason: 'opening stock' },
    actor,
  );
}

export interface PurchaseOrderSpec {
  /** Index among the suppliers given (modulo their number); the first when absent. */
  supplier?: number;
  loc: number;
  confirm: boolean;
  lines: { item: number; quantity: number; days: number }[];
}

export interface SentPurchaseOrder {
  id: number;
  loc: number;
  lineIds: number[];
  /** Each line's expected date as sent. */
  sentDates: Map<number, string>;
}

/**
 * Purchase orders through the real use cases, sent (and some confirmed) so that they can
 * be received against and promised from.
 */
export async function sendPurchaseOrders(
  ctx: AppContext,
  specs: readonly PurchaseOrderSpec[],
  names: { suppliers: readonly string[]; codes: readonly string[]; skus: readonly string[] },
  actor: string,
): Promise<SentPurchaseOrder[]> {
  const pos: SentPurchaseOrder[] = [];
  for (const spec of specs) {
    const draft = await createPurchaseOrder(
      ctx,
      {
        supplier: names.suppliers[(spec.supplier ?? 0) % names.suppliers.length]!,
        location: names.codes[spec.loc]!,
        lines: spec.lines.map((l) => ({
          sku: names.skus[l.item]!,
          quantity: l.quantity,
          unitCost: 5,
          expectedDate: addDays(TODAY, l.days),
        })),
      },
      actor,
    );
    await transition(ctx, draft.id, 'send', actor);
    if (spec.confirm) await transition(ctx, draft.id, 'confirm', actor);
    pos.push({
      id: draft.id,
      loc: spec.loc,
      lineIds: draft.lines.map((l) => l.id),
      sentDates: new Map(draft.lines.map((l) => [l.id, l.expectedDate])),
    });
  }
  return pos;
}

export interface TransferSpec {
  item: number;
  from: number;
  to: number;
  quantity: number;
  days: number;
}

/**
 * Units already on their way when the commands start, for the first arrivals. A dispatch
 * the opening stock cannot cover is refused (a 4xx) and left out. Returns the transfer ids.
 */
export async function dispatchOpeningTransfers(
  ctx: AppContext,
  specs: readonly TransferSpec[],
  names: { codes: readonly string[]; skus: readonly string[] },
  actor: string,
): Promise<number[]> {
  const ids: number[] = [];
  for (const spec of specs) {
    try {
      const transfer = await dispatchTransfer(
        ctx,
        {
          sku: names.skus[spec.item]!,
          from: names.codes[spec.from]!,
          to: names.codes[spec.to]!,
          quantity: spec.quantity,
          expectedDate: addDays(TODAY, spec.days),
        },
        actor,
      );
      ids.push(transfer.id);
    } catch (error) {
      if (!(error instanceof AppError) || STATUS_OF_KIND[error.kind] >= 500) throw error;
    }
  }
  return ids;
}
