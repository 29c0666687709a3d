import type { Selectable } from 'kysely';
import type { Db } from '../db/schema.js';
import type { AlertKind, StaffAlertsTable } from '../db/tables/communication.js';
import type { PurchaseOrderState } from '../domain/purchase-order-lifecycle.js';

/** Staff alerts: at most one open per cause, each emailed to staff once when it opens. */

export type AlertRow = Selectable<StaffAlertsTable>;

export interface NewAlert {
  kind: AlertKind;
  /** What it is about: `item:KET-01/web`, `item:KET-01`, `purchase_order:12`. */
  subject: string;
  itemId?: number | null;
  channelId?: number | null;
  purchaseOrderId?: number | null;
  message: string;
  details: Record<string, unknown>;
}

export const openKey = (kind: AlertKind, subject: string) => `${kind}:${subject}`;

/**
 * Inserts an alert unless one is already open for the same kind and subject. The unique
 * open_key decides, not a prior read, so two processes raising the same alert at once
 * open it once: the second insert waits for the first to commit and then does nothing.
 * Returns the new id, or null when an alert was already open.
 */
export async function insertAlert(db: Db, alert: NewAlert, now: string): Promise<number | null> {
  const inserted = await db
    .insertInto('staff_alerts')
    .values({
      kind: alert.kind,
      subject: alert.subject,
      item_id: alert.itemId ?? null,
      channel_id: alert.channelId ?? null,
      purchase_order_id: alert.purchaseOrderId ?? null,
      open_key: openKey(alert.kind, alert.subject),
      message: alert.message,
      details: JSON.stringify(alert.details),
      created_at: now,
      resolved_at: null,
    })
    .onConflict((oc) => oc.column('open_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted ? Number(inserted.id) : null;
}

/** Closes the open alert of this kind and subject; false when none was open. */
export async function resolveAlert(
  db: Db,
  kind: AlertKind,
  subject: string,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('staff_alerts')
    .set({ resolved_at: now, open_key: null })
    .where('open_key', '=', openKey(kind, subject))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Of the given open keys (openKey), those of alerts open now. */
export async function openAlertKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
  const open = new Set<string>();
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await db
      .selectFrom('staff_alerts')
      .select('open_key')
      .where('open_key', 'in', keys.slice(i, i + 500))
      .execute();
    for (const r of rows) if (r.open_key !== null) open.add(r.open_key);
  }
  return open;
}

/** Subjects of the alerts of a kind that are open now. */
export async function openSubjects(db: Db, kind: AlertKind): Promise<Set<string>> {
  const rows = await db
    .selectFrom('staff_alerts')
    .select('subject')
    .where('kind', '=', kind)
    .where('resolved_at', 'is', null)
    .execute();
  return new Set(rows.map((r) => r.subject));
}

export type AlertState = 'open' | 'resolved' | 'all';

export interface AlertListRow extends AlertRow {
  sku: string | null;
  channel: string | null;
}

function selectAlerts(db: Db) {
  return db
    .selectFrom('staff_alerts')
    .leftJoin('items', 'items.id', 'staff_alerts.item_id')
    .leftJoin('channels', 'channels.id', 'staff_alerts.channel_id')
    .selectAll('staff_alerts')
    .select(['items.sku', 'channels.code as channel']);
}

/** Newest first. */
export function listAlerts(
  db: Db,
  filter: { kind?: AlertKind; state: AlertState; beforeId?: number; limit: number },
): Promise<AlertListRow[]> {
  let query = selectAlerts(db).orderBy('staff_alerts.id', 'desc').limit(filter.limit);
  if (filter.kind !== undefined) query = query.where('staff_alerts.kind', '=', filter.kind);
  if (filter.state === 'open') query = query.where('staff_alerts.resolved_at', 'is', null);
  if (filter.state === 'resolved') query = query.where('staff_alerts.resolved_at', 'is not', null);
  if (filter.beforeId !== undefined) query = query.where('staff_alerts.id', '<', filter.beforeId);
  return query.execute();
}

/** Open alerts per kind, in one grouped statement over the open ones. */
export async function countOpenByKind(db: Db): Promise<Map<AlertKind, number>> {
  const rows = await db
    .selectFrom('staff_alerts')
    .select(['kind', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('resolved_at', 'is', null)
    .groupBy('kind')
    .execute();
  return new Map(rows.map((r) => [r.kind, Number(r.n)]));
}

export function findAlert(db: Db, id: number): Promise<AlertListRow | undefined> {
  return selectAlerts(db).where('staff_alerts.id', '=', id).executeTakeFirst();
}

export interface ShortageRow {
  itemId: number;
  sku: string;
  /** Backordered units with no supply and no lead-time promise. */
  unpromised: number;
  /** Backordered units promised only on the supplier lead time: no order placed for them. */
  estimated: number;
  /** Order lines with units of either kind. */
  lines: number;
}

/**
 * Per item, the backordered units that no purchase order or transfer is bringing: those
 * unpromised, and those pegged to neither (a lead-time estimate). One statement over the
 * waiting lines, whatever their number.
 */
export async function findShortages(db: Db): Promise<ShortageRow[]> {
  const rows = await db
    .selectFrom('order_lines as l')
    .innerJoin('items as i', 'i.id', 'l.item_id')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('backorder_pegs')
          .select(['order_line_id', (e) => e.fn.sum<number>('quantity').as('estimated')])
          .where('purchase_order_line_id', 'is', null)
          .where('transfer_id', 'is', null)
          .groupBy('order_line_id')
          .as('p'),
      (join) => join.onRef('p.order_line_id', '=', 'l.id'),
    )
    .select((eb) => [
      'l.item_id',
      'i.sku',
      eb.fn.sum<number>('l.quantity_unpromised').as('unpromised'),
      eb.fn.sum<number>(eb.fn.coalesce('p.estimated', eb.lit(0))).as('estimated'),
      eb.fn.countAll<number>().as('lines'),
    ])
    .where('l.quantity_backordered', '>', 0)
    .where((eb) => eb.or([eb('l.quantity_unpromised', '>', 0), eb('p.estimated', '>', 0)]))
    .groupBy(['l.item_id', 'i.sku'])
    .orderBy('l.item_id')
    .execute();
  return rows.map((r) => ({
    itemId: Number(r.item_id),
    sku: r.sku,
    unpromised: Number(r.unpromised),
    estimated: Number(r.estimated),
    lines: Number(r.lines),
  }));
}

export interface OverdueLineRow {
  purchaseOrderId: number;
  supplier: string;
  sku: string;
  expectedDate: string;
  open: number;
}

/**
 * Lines of orders out with the supplier that were due before `today` and still bring
 * something, by order then line.
 */
export async function findOverduePurchaseOrderLines(
  db: Db,
  states: readonly PurchaseOrderState[],
  today: string,
): Promise<OverdueLineRow[]> {
  const rows = await db
    .selectFrom('purchase_order_lines as line')
    .innerJoin('purchase_orders as po', 'po.id', 'line.purchase_order_id')
    .innerJoin('suppliers as s', 's.id', 'po.supplier_id')
    .innerJoin('items as i', 'i.id', 'line.item_id')
    .select((eb) => [
      'po.id as purchaseOrderId',
      's.code as supplier',
      'i.sku',
      'line.expected_date as expectedDate',
      eb(
        eb('line.quantity_ordered', '-', eb.ref('line.quantity_received')),
        '-',
        eb.ref('line.quantity_cancelled'),
      ).as('open'),
    ])
    .where('po.state', 'in', states)
    .where('line.expected_date', '<', today)
    .where((eb) =>
      eb(
        eb('line.quantity_ordered', '-', eb.ref('line.quantity_received')),
        '>',
        eb.ref('line.quantity_cancelled'),
      ),
    )
    .orderBy('po.id')
    .orderBy('line.id')
    .execute();
  return rows.map((r) => ({
    purchaseOrderId: Number(r.purchaseOrderId),
    supplier: r.supplier,
    sku: r.sku,
    expectedDate: r.expectedDate,
    open: Number(r.open),
  }));
}
