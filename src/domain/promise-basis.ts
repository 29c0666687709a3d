import type { Confidence } from './item-rules.js';
import type { Peg } from './promising.js';

/**
 * What a promise rests on: a purchase-order line, a transfer, or the supplier's lead time,
 * with the units and the date each brings. The same shape as an order line's promise, so
 * what availability says and what placing the order promises read alike.
 */
export type PromiseBasis =
  | {
      kind: 'purchase_order';
      purchaseOrderId: number;
      lineId: number;
      supplier: string;
      location: string;
      quantity: number;
      expectedDate: string;
      confidence: Confidence;
    }
  | {
      kind: 'transfer';
      transferId: number;
      from: string;
      location: string;
      quantity: number;
      expectedDate: string;
      confidence: Confidence;
    }
  | {
      kind: 'lead_time';
      supplier: string | null;
      leadTimeDays: number | null;
      quantity: number;
      expectedDate: string;
      confidence: 'estimated';
    };

export function basisOf(
  peg: Peg,
  lead: { supplier: string | null; leadTimeDays: number | null },
): PromiseBasis {
  if (peg.kind === 'lead_time') {
    return {
      kind: 'lead_time',
      supplier: lead.supplier,
      leadTimeDays: lead.leadTimeDays,
      quantity: peg.quantity,
      expectedDate: peg.expectedDate,
      confidence: 'estimated',
    };
  }
  const common = {
    location: peg.location,
    quantity: peg.quantity,
    expectedDate: peg.expectedDate,
    confidence: peg.confidence,
  };
  return peg.source.kind === 'purchase_order'
    ? {
        kind: 'purchase_order',
        purchaseOrderId: peg.source.purchaseOrderId,
        lineId: peg.source.lineId,
        supplier: peg.source.supplier,
        ...common,
      }
    : { kind: 'transfer', transferId: peg.source.transferId, from: peg.source.from, ...common };
}

/** "4 on purchase order 7 due 2026-12-01 and 2 on ACME's 10-day lead time". */
export function describePromise(restsOn: readonly PromiseBasis[]): string {
  return restsOn
    .map((b) => {
      if (b.kind === 'purchase_order') {
        return `${b.quantity} on purchase order ${b.purchaseOrderId} due ${b.expectedDate} (${b.confidence})`;
      }
      if (b.kind === 'transfer') {
        return `${b.quantity} on transfer ${b.transferId} due ${b.expectedDate}`;
      }
      return `${b.quantity} on ${b.supplier}'s ${b.leadTimeDays}-day lead time`;
    })
    .join(' and ');
}
