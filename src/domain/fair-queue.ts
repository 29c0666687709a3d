/**
 * The fair queue (issue 15, item 3): units arriving at a location — a purchase-order
 * receipt, a transfer, a restocked return, units a cancellation frees, stock found — go
 * to the lines waiting for the item there in queue order, whatever supply each line was
 * promised. So when a later purchase order lands before an earlier one, the customer who
 * ordered first is served first, and whoever is still waiting is then re-pegged to the
 * supply that remains (replanQueue, in the same queue order).
 *
 * Queue order is the order of placement (the order line id), unless staff put a line
 * ahead: every `high` line comes before every `normal` one, each group first placed
 * first. Promises (replanQueue) walk the queue in this same order.
 */

export type LinePriority = 'high' | 'normal';

/** A line's place in its item's queue. */
export interface InQueue {
  lineId: number;
  priority: LinePriority;
}

/** Queue order: staff priority first, then first placed first. */
export function compareQueue(a: InQueue, b: InQueue): number {
  return rank(a.priority) - rank(b.priority) || a.lineId - b.lineId;
}

const rank = (priority: LinePriority) => (priority === 'high' ? 0 : 1);

/** A line waiting for the item at the arrival's location. */
export interface WaitingHere extends InQueue {
  waiting: number;
}

export interface Fill {
  lineId: number;
  quantity: number;
}

/**
 * Shares arriving units among the lines waiting for them at that location, in queue
 * order: each line takes all it waits for before the next gets any. What is left is
 * for sale.
 */
export function planFairFill(
  units: number,
  queue: readonly WaitingHere[],
): { fills: Fill[]; left: number } {
  const fills: Fill[] = [];
  let left = units;
  for (const line of [...queue].sort(compareQueue)) {
    if (left <= 0) break;
    const quantity = Math.min(line.waiting, left);
    if (quantity <= 0) continue;
    fills.push({ lineId: line.lineId, quantity });
    left -= quantity;
  }
  return { fills, left: Math.max(left, 0) };
}

/** One part of a line's promise: a peg to supply (by supplyKey) or to lead time (null). */
export interface PromisePart {
  id: number;
  supply: string | null;
  quantity: number;
  expectedDate: string;
}

export interface PartsTaken {
  /** Filled units that had no promise behind them. */
  unpromised: number;
  takes: { id: number; take: number }[];
}

/**
 * Which parts of a line's promise its filled units settle: its units on the arriving
 * supply first (that supply now brings less), then units nothing was promised for, then
 * lead-time estimates, then other supply, latest due first, so the earliest promises
 * stay with whoever is still waiting until the re-plan shares them out again.
 */
export function partsFilled(
  quantity: number,
  unpromised: number,
  parts: readonly PromisePart[],
  arriving: string | null,
): PartsTaken {
  const takes: PartsTaken['takes'] = [];
  let want = quantity;
  const take = (list: readonly PromisePart[]) => {
    for (const part of list) {
      const n = Math.min(part.quantity, want);
      if (n <= 0) continue;
      takes.push({ id: part.id, take: n });
      want -= n;
    }
  };
  take(parts.filter((p) => arriving !== null && p.supply === arriving));
  const fromUnpromised = Math.min(want, Math.max(unpromised, 0));
  want -= fromUnpromised;
  take(parts.filter((p) => p.supply === null));
  take(
    parts
      .filter((p) => p.supply !== null && p.supply !== arriving)
      .sort((a, b) => b.expectedDate.localeCompare(a.expectedDate) || b.id - a.id),
  );
  if (want > 0) {
    throw new Error(`A line promised ${quantity - want} of the ${quantity} units filled`);
  }
  return { unpromised: fromUnpromised, takes };
}
