import type { Alert } from './types';

export interface AlertAction {
  /** Names the action and its target, so the link reads well out of context. */
  label: string;
  to: string;
}

const KIND_LABELS: Record<Alert['kind'], string> = {
  low_stock: 'Low stock',
  shortage_ahead: 'Shortage ahead',
  po_overdue: 'Purchase order overdue',
};

export function alertKindLabel(kind: Alert['kind']): string {
  return KIND_LABELS[kind];
}

/**
 * Where an alert is acted on. Alerts have no action of their own in the API: each resolves
 * by itself when its cause goes away, so the link goes where staff remove the cause.
 */
export function alertAction(alert: Alert): AlertAction {
  const sku = alert.sku;
  switch (alert.kind) {
    case 'po_overdue':
      return alert.purchaseOrderId === undefined
        ? { label: 'Open purchasing', to: '/purchasing' }
        : {
            label: `Open purchase order ${alert.purchaseOrderId}`,
            to: `/purchasing/orders/${alert.purchaseOrderId}`,
          };
    case 'shortage_ahead':
      // item:SKU is backorders nothing brings; item:SKU@LOCATION a projected stock-out.
      if (alert.subject.includes('@'))
        return {
          label: `Review suggested orders for ${sku ?? 'the item'}`,
          to: '/purchasing/suggestions',
        };
      return sku === undefined
        ? { label: 'Open backorders', to: '/backorders' }
        : {
            label: `Decide on ${sku} backorders`,
            to: `/backorders?sku=${encodeURIComponent(sku)}`,
          };
    case 'low_stock':
      return sku === undefined
        ? { label: 'Open stock', to: '/stock' }
        : { label: `Open item ${sku}`, to: `/items/${encodeURIComponent(sku)}` };
  }
}
