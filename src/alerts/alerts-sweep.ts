import { OPEN_STATES } from '../domain/purchase-order-lifecycle.js';
import type { AppContext } from '../kernel/context.js';
import { DEFAULT_MESSAGING_SETTINGS } from '../kernel/messaging-settings.js';
import {
  findOverduePurchaseOrderLines,
  findShortages,
  type NewAlert,
  type OverdueLineRow,
  openSubjects,
  resolveAlert,
  type ShortageRow,
} from './alerts.repository.js';
import { openAlert } from './open-alert.js';
import { isProjectedSubject } from './projected-shortages.js';

/**
 * The alerts no single change raises, found by looking at everything periodically:
 * shortage ahead (backordered units that no purchase order or transfer brings) and
 * purchase orders overdue (a line's expected date has passed and it has not all come).
 * Opens an alert for each new cause and resolves those whose cause is gone.
 *
 * Each alert opens or resolves in its own small transaction, so one failure leaves the
 * others done; the failures are thrown together at the end. Several processes may sweep
 * at once: the alert's open key lets only one of them open it.
 */
export async function sweepAlerts(ctx: AppContext): Promise<{ opened: number; resolved: number }> {
  const now = ctx.clock.now().toISOString();
  const today = now.slice(0, 10);
  const settings = ctx.messaging ?? DEFAULT_MESSAGING_SETTINGS;

  const shortages = (await findShortages(ctx.db)).map(shortageAlert);
  const overdue = overdueAlerts(await findOverduePurchaseOrderLines(ctx.db, OPEN_STATES, today));

  let opened = 0;
  let resolved = 0;
  const failures: unknown[] = [];
  const attempt = async (step: () => Promise<boolean>) => {
    try {
      return await step();
    } catch (error) {
      failures.push(error);
      return false;
    }
  };

  for (const [kind, alerts] of [
    ['shortage_ahead', shortages],
    ['po_overdue', overdue],
  ] as const) {
    // Projected stock-outs are shortage_ahead alerts too, kept by the replenishment refresh.
    const open = new Set(
      [...(await openSubjects(ctx.db, kind))].filter((s) => !isProjectedSubject(s)),
    );
    const current = new Set(alerts.map((a) => a.subject));
    for (const alert of alerts) {
      if (open.has(alert.subject)) continue;
      const isNew = await attempt(() =>
        ctx.db
          .transaction()
          .execute(async (trx) => (await openAlert(trx, alert, settings, now)) !== null),
      );
      if (isNew) opened += 1;
    }
    for (const subject of open) {
      if (current.has(subject)) continue;
      if (await attempt(() => resolveAlert(ctx.db, kind, subject, now))) resolved += 1;
    }
  }

  if (failures.length > 0) {
    throw new AggregateError(failures, `${failures.length} staff alerts could not be updated`);
  }
  return { opened, resolved };
}

function shortageAlert(row: ShortageRow): NewAlert {
  const waiting = row.unpromised + row.estimated;
  const parts = [
    row.unpromised > 0 ? `${row.unpromised} unpromised` : null,
    row.estimated > 0 ? `${row.estimated} promised on the supplier lead time alone` : null,
  ].filter(Boolean);
  return {
    kind: 'shortage_ahead',
    subject: `item:${row.sku}`,
    itemId: row.itemId,
    message: `${row.sku}: ${waiting} backordered ${waiting === 1 ? 'unit has' : 'units have'} no purchase order or transfer bringing ${waiting === 1 ? 'it' : 'them'} (${parts.join(', ')}) on ${row.lines} order ${row.lines === 1 ? 'line' : 'lines'}`,
    details: {
      sku: row.sku,
      unpromisedUnits: row.unpromised,
      estimatedUnits: row.estimated,
      waitingLines: row.lines,
    },
  };
}

/** One alert per purchase order, listing its overdue lines (rows come ordered by order). */
function overdueAlerts(rows: readonly OverdueLineRow[]): NewAlert[] {
  const byOrder = new Map<number, OverdueLineRow[]>();
  for (const row of rows) {
    const lines = byOrder.get(row.purchaseOrderId);
    if (lines) lines.push(row);
    else byOrder.set(row.purchaseOrderId, [row]);
  }
  return [...byOrder].map(([purchaseOrderId, lines]) => {
    const { supplier } = lines[0]!;
    const units = lines.reduce((sum, l) => sum + l.open, 0);
    const earliest = lines.map((l) => l.expectedDate).sort()[0]!;
    return {
      kind: 'po_overdue',
      subject: `purchase_order:${purchaseOrderId}`,
      purchaseOrderId,
      message: `Purchase order ${purchaseOrderId} from ${supplier} is overdue: ${units} ${units === 1 ? 'unit' : 'units'} on ${lines.length} ${lines.length === 1 ? 'line' : 'lines'} expected since ${earliest} ${units === 1 ? 'has' : 'have'} not arrived`,
      details: {
        purchaseOrderId,
        supplier,
        lines: lines.map((l) => ({ sku: l.sku, expectedDate: l.expectedDate, open: l.open })),
      },
    };
  });
}
