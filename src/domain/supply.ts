/**
 * Incoming supply (DESIGN sections 4 and 6): open purchase-order lines and transfers in
 * transit, in the order promises are made from them. Pure functions over plain data.
 */
import type { Confidence } from './item-rules.js';

export type SupplySource =
  | { kind: 'purchase_order'; purchaseOrderId: number; lineId: number; supplier: string }
  | { kind: 'transfer'; transferId: number; from: string };

export interface SupplyLine {
  source: SupplySource;
  /** Where the units will arrive. */
  location: string;
  expectedDate: string;
  confidence: Confidence;
  /** Units still to come. */
  open: number;
}

/** What a purchase-order line still brings; an over-receipt brings nothing more. */
export function openQuantity(line: {
  ordered: number;
  received: number;
  cancelled: number;
}): number {
  return Math.max(0, line.ordered - line.received - line.cancelled);
}

/** A stable name for a supply source, for the pegs the orders capability keeps. */
export function supplyKey(source: SupplySource): string {
  return source.kind === 'purchase_order'
    ? `po_line:${source.lineId}`
    : `transfer:${source.transferId}`;
}

const confidenceRank: Record<Confidence, number> = { confirmed: 0, estimated: 1 };

function sourceRank(source: SupplySource): [number, number] {
  return source.kind === 'transfer' ? [0, source.transferId] : [1, source.lineId];
}

/**
 * Promise order: earliest expected date first. On the same day a confirmed date comes
 * before an estimate (the safer promise), a transfer before a purchase order (it is our
 * own stock, already on its way), and then the older document first, so that the order
 * never depends on how a query happened to return rows.
 */
export function compareSupply(a: SupplyLine, b: SupplyLine): number {
  if (a.expectedDate !== b.expectedDate) return a.expectedDate < b.expectedDate ? -1 : 1;
  const byConfidence = confidenceRank[a.confidence] - confidenceRank[b.confidence];
  if (byConfidence !== 0) return byConfidence;
  const [kindA, idA] = sourceRank(a.source);
  const [kindB, idB] = sourceRank(b.source);
  return kindA - kindB || idA - idB;
}

export interface SupplySummary {
  total: number;
  nextExpectedDate: string | null;
  lines: SupplyLine[];
}

/** Drops lines with nothing left to come and sorts the rest in promise order. */
export function summariseSupply(lines: readonly SupplyLine[]): SupplySummary {
  const open = lines.filter((l) => l.open > 0).sort(compareSupply);
  return {
    total: open.reduce((sum, l) => sum + l.open, 0),
    nextExpectedDate: open[0]?.expectedDate ?? null,
    lines: open,
  };
}

export interface SupplyTake {
  source: SupplySource;
  quantity: number;
  expectedDate: string;
  confidence: Confidence;
}

export interface SupplyWalk {
  takes: SupplyTake[];
  /** Units the supply could not cover. */
  shortfall: number;
  /** The latest date among the takes: when the last unit is due; null if nothing taken. */
  lastDate: string | null;
  /** 'estimated' if any take rests on an estimate. */
  confidence: Confidence | null;
}

/**
 * Takes `needed` units from supply in promise order, skipping what earlier claims
 * already hold (`held`, by supplyKey). This is the walk the orders capability pegs
 * backorders with.
 */
export function walkSupply(
  lines: readonly SupplyLine[],
  needed: number,
  held: ReadonlyMap<string, number> = new Map(),
): SupplyWalk {
  const takes: SupplyTake[] = [];
  let remaining = needed;
  for (const line of [...lines].sort(compareSupply)) {
    if (remaining === 0) break;
    const free = line.open - (held.get(supplyKey(line.source)) ?? 0);
    if (free <= 0) continue;
    const quantity = Math.min(free, remaining);
    takes.push({
      source: line.source,
      quantity,
      expectedDate: line.expectedDate,
      confidence: line.confidence,
    });
    remaining -= quantity;
  }
  return {
    takes,
    shortfall: remaining,
    lastDate: takes.at(-1)?.expectedDate ?? null,
    confidence:
      takes.length === 0
        ? null
        : takes.some((t) => t.confidence === 'estimated')
          ? 'estimated'
          : 'confirmed',
  };
}
