import type { AppContext } from '../kernel/context.js';
import { decodeCursor, type Page, toPage } from '../shared/cursor.js';
import { NotFoundError } from '../shared/errors.js';
import type { AlertListRow } from './alerts.repository.js';
import * as repo from './alerts.repository.js';
import type { Alert, AlertCounts, ListAlertsQuery } from './alerts.schemas.js';

function toAlert(row: AlertListRow): Alert {
  return {
    id: Number(row.id),
    kind: row.kind,
    subject: row.subject,
    ...(row.sku !== null && { sku: row.sku }),
    ...(row.channel !== null && { channel: row.channel }),
    ...(row.purchase_order_id !== null && { purchaseOrderId: Number(row.purchase_order_id) }),
    message: row.message,
    details: JSON.parse(row.details) as Record<string, unknown>,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
  };
}

export async function listAlerts(ctx: AppContext, query: ListAlertsQuery): Promise<Page<Alert>> {
  const [beforeId = 0] = decodeCursor(query.cursor);
  const rows = await repo.listAlerts(ctx.db, {
    state: query.state,
    limit: query.limit + 1,
    ...(query.kind !== undefined && { kind: query.kind }),
    ...(beforeId > 0 && { beforeId }),
  });
  return toPage(rows, query.limit, toAlert, (row) => [Number(row.id)]);
}

export async function getAlert(ctx: AppContext, id: number): Promise<Alert> {
  const row = await repo.findAlert(ctx.db, id);
  if (!row) throw new NotFoundError('ALERT_NOT_FOUND', `No alert with id ${id}`, { id });
  return toAlert(row);
}

export async function countOpenAlerts(ctx: AppContext): Promise<AlertCounts> {
  const counts = await repo.countOpenByKind(ctx.db);
  const byKind = {
    low_stock: counts.get('low_stock') ?? 0,
    shortage_ahead: counts.get('shortage_ahead') ?? 0,
    po_overdue: counts.get('po_overdue') ?? 0,
  };
  return { open: byKind.low_stock + byKind.shortage_ahead + byKind.po_overdue, byKind };
}
