import type { MessageKind } from '../domain/customer-messages.js';

/**
 * For each kind, outbox data as its cause writes it (src/domain/customer-messages.ts and
 * the alert and watcher code), for previews and tests. Item names and alternatives are
 * normally looked up when the message is rendered; `name` and `alternatives` here stand
 * in for items a preview's database does not have.
 */
export const SAMPLE_DATA: Record<MessageKind, Record<string, unknown>> = {
  backorder_confirmed: {
    customerName: 'Ann',
    orderId: 1042,
    reference: 'WEB-1042',
    channel: 'web',
    channelKind: 'online',
    lines: [
      {
        sku: 'KET-01',
        name: 'Kettle',
        quantity: 2,
        promisedDate: '2026-12-11',
        confidence: 'confirmed',
        preorder: false,
      },
      {
        sku: 'TOA-02',
        name: 'Toaster',
        quantity: 1,
        promisedDate: null,
        confidence: null,
        preorder: false,
      },
      {
        sku: 'MUG-NEW',
        name: 'Winter mug',
        quantity: 4,
        promisedDate: '2027-01-15',
        confidence: 'confirmed',
        preorder: true,
      },
    ],
  },
  promised: repromise({ oldDate: null, newDate: '2026-12-11', confidence: 'estimated' }),
  delay: repromise({ oldDate: '2026-12-11', newDate: '2026-12-16', confidence: 'confirmed' }),
  earlier_date: repromise({
    oldDate: '2026-12-16',
    newDate: '2026-12-11',
    confidence: 'confirmed',
  }),
  unpromised: {
    ...repromise({ oldDate: '2026-12-11', newDate: null, confidence: null }),
    alternatives: [
      { sku: 'KET-02', name: 'Glass kettle' },
      { sku: 'KET-03', name: 'Travel kettle' },
    ],
  },
  ready: {
    customerName: 'Ann',
    orderId: 1042,
    reference: 'WEB-1042',
    channel: 'web',
    channelKind: 'online',
    lineId: 7,
    sku: 'KET-01',
    name: 'Kettle',
    quantity: 2,
  },
  shipped: {
    customerName: 'Ann',
    orderId: 1042,
    reference: 'WEB-1042',
    channel: 'web',
    channelKind: 'online',
    fulfilmentId: 'SHIP-1',
    lines: [
      { sku: 'KET-01', name: 'Kettle', quantity: 2 },
      { sku: 'TOA-02', name: 'Toaster', quantity: 1 },
    ],
  },
  discontinued: {
    customerName: 'Ann',
    orderId: 1042,
    reference: 'WEB-1042',
    channel: 'web',
    lineId: 7,
    sku: 'KET-01',
    name: 'Kettle',
    quantity: 2,
    alternatives: [
      { sku: 'KET-02', name: 'Glass kettle' },
      { sku: 'KET-03', name: 'Travel kettle' },
    ],
  },
  back_in_stock: {
    customerName: 'Ann',
    sku: 'KET-01',
    name: 'Kettle',
    channel: 'web',
    available: 2,
    subscriptionId: 12,
    token: 'sample-token',
  },
  alert_low_stock: {
    alertId: 3,
    kind: 'low_stock',
    message: 'KET-01 on web: 2 available, threshold 3',
    sku: 'KET-01',
    channel: 'web',
    available: 2,
    threshold: 3,
  },
  alert_shortage_ahead: {
    alertId: 4,
    kind: 'shortage_ahead',
    message: 'KET-01: 5 units on backorder with no supply to promise them',
    sku: 'KET-01',
    unpromised: 5,
  },
  alert_po_overdue: {
    alertId: 5,
    kind: 'po_overdue',
    message: 'Purchase order 12 from ACME was expected on 2026-11-20 and is not received',
    purchaseOrderId: 12,
    supplier: 'ACME',
    expectedDate: '2026-11-20',
  },
};

function repromise(dates: {
  oldDate: string | null;
  newDate: string | null;
  confidence: string | null;
}): Record<string, unknown> {
  return {
    customerName: 'Ann',
    orderId: 1042,
    reference: 'WEB-1042',
    channel: 'web',
    channelKind: 'online',
    lineId: 7,
    sku: 'KET-01',
    name: 'Kettle',
    quantity: 2,
    ...dates,
    reason: 'purchase order line changed',
  };
}
