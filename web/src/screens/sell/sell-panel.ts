/**
 * Which of the three panels a quoted line opens. The counter quotes without accepting a
 * backorder, so a line that could be backordered comes back refused with state
 * `backorder` and a dated `backorder`: that is the customer's choice to make, not a "no".
 */

export interface QuotedLine {
  sku: string;
  quantity: number;
  outcome: 'in_stock' | 'backorder' | 'preorder' | 'refused';
  state: string;
  reason: string;
  available: number;
  incoming: number;
  fromStock: { location: string; quantity: number }[];
  backorder: { quantity: number; date: string; confidence: 'confirmed' | 'estimated' } | null;
}

export type Panel =
  | { kind: 'sell'; fromStock: QuotedLine['fromStock'] }
  | {
      kind: 'backorder';
      /** Units handed over now; the rest comes later. */
      now: number;
      later: NonNullable<QuotedLine['backorder']>;
      preorder: boolean;
    }
  | { kind: 'out'; headline: string; reason: string };

export function panelFor(line: QuotedLine): Panel {
  if (line.outcome === 'in_stock') return { kind: 'sell', fromStock: line.fromStock };
  const now = line.fromStock.reduce((s, f) => s + f.quantity, 0);
  if (line.outcome === 'preorder' && line.backorder) {
    return { kind: 'backorder', now, later: line.backorder, preorder: true };
  }
  if (line.backorder && (line.outcome === 'backorder' || line.state === 'backorder')) {
    // A refused backorder has no stock taken in the quote: what this store has goes now.
    const here = line.outcome === 'backorder' ? now : line.quantity - line.backorder.quantity;
    return { kind: 'backorder', now: here, later: line.backorder, preorder: false };
  }
  return { kind: 'out', headline: headlineFor(line), reason: line.reason };
}

function headlineFor(line: QuotedLine): string {
  if (line.state === 'discontinued') {
    return line.available > 0
      ? `Only ${line.available} left, and it will not be restocked`
      : 'Discontinued: it will not be restocked';
  }
  if (line.available > 0) return `Only ${line.available} here, not enough for ${line.quantity}`;
  return line.incoming > 0 ? 'Out of stock, and what is coming is spoken for' : 'Out of stock';
}
