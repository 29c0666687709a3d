import type { AppContext } from '../kernel/context.js';
import { DEFAULT_MESSAGING_SETTINGS } from '../kernel/messaging-settings.js';
import { type NewAlert, openSubjects, resolveAlert } from './alerts.repository.js';
import { openAlert } from './open-alert.js';

/**
 * An item × location the forecast runs out before its next receipt, as plain data (the
 * replenishment refresh computes them; src/app hands them over).
 */
export interface ProjectedShortageFacts {
  itemId: number;
  sku: string;
  location: string;
  projectedStockoutDate: string;
  /** The first receipt due after the stock-out; null when none is on its way. */
  nextReceiptDate: string | null;
  /** When an order sent today would arrive. */
  orderArrivalDate: string;
  backordered: number;
}

/**
 * shortage_ahead alerts from projected stock-outs use the subject `item:SKU@LOCATION`;
 * the backorder-based ones of the sweep use `item:SKU`. Each source opens and resolves
 * only its own subjects.
 */
export const projectedSubject = (sku: string, location: string) => `item:${sku}@${location}`;
export const isProjectedSubject = (subject: string) => subject.includes('@');

/**
 * Makes the open projected shortage alerts match the latest projections: opens one per
 * new item × location, resolves those no longer projected. Like the sweep, each alert in
 * its own small transaction; failures are thrown together at the end.
 */
export async function syncProjectedShortages(
  ctx: AppContext,
  shortages: readonly ProjectedShortageFacts[],
): Promise<{ opened: number; resolved: number }> {
  const now = ctx.clock.now().toISOString();
  const settings = ctx.messaging ?? DEFAULT_MESSAGING_SETTINGS;
  const open = [...(await openSubjects(ctx.db, 'shortage_ahead'))].filter(isProjectedSubject);
  const alerts = shortages.map(projectedAlert);
  const current = new Set(alerts.map((a) => a.subject));
  const failures: unknown[] = [];
  let opened = 0;
  let resolved = 0;
  for (const alert of alerts) {
    if (open.includes(alert.subject)) continue;
    try {
      const id = await ctx.db.transaction().execute((trx) => openAlert(trx, alert, settings, now));
      if (id !== null) opened += 1;
    } catch (error) {
      failures.push(error);
    }
  }
  for (const subject of open) {
    if (current.has(subject)) continue;
    try {
      if (await resolveAlert(ctx.db, 'shortage_ahead', subject, now)) resolved += 1;
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) {
    throw new AggregateError(failures, `${failures.length} shortage alerts could not be updated`);
  }
  return { opened, resolved };
}

function projectedAlert(s: ProjectedShortageFacts): NewAlert {
  const coming =
    s.nextReceiptDate === null
      ? 'nothing on order arrives before then'
      : `the next receipt is due ${s.nextReceiptDate}`;
  const owed =
    s.backordered > 0
      ? `; ${s.backordered} backordered ${s.backordered === 1 ? 'unit' : 'units'} waiting`
      : '';
  return {
    kind: 'shortage_ahead',
    subject: projectedSubject(s.sku, s.location),
    itemId: s.itemId,
    message: `${s.sku} at ${s.location} is projected to run out on ${s.projectedStockoutDate}: ${coming}, and an order sent today would arrive ${s.orderArrivalDate}${owed}`,
    details: {
      sku: s.sku,
      location: s.location,
      projectedStockoutDate: s.projectedStockoutDate,
      nextReceiptDate: s.nextReceiptDate,
      orderArrivalDate: s.orderArrivalDate,
      backorderedUnits: s.backordered,
    },
  };
}
