/**
 * Ids skipped while tailing the events table, kept for a while in case they appear.
 *
 * PostgreSQL hands out sequence values when rows are inserted, not when they commit: a
 * transaction holding id 41 may commit after another has committed 42, and a reader that
 * has moved past 42 would never see 41. A skipped id is either such a late commit or a
 * rolled-back insert (whose value is simply lost); only time tells them apart, so each is
 * remembered for `windowMs` and looked for again. SQLite commits one writer at a time, so
 * there it sees none.
 */
export class IdGaps {
  /** id → when to stop looking for it (ms). Ids are added in ascending order. */
  private readonly deadlines = new Map<number, number>();

  constructor(
    private readonly windowMs: number,
    /** A bound on memory and on the size of the re-query: the oldest are let go first. */
    private readonly max = 10_000,
  ) {}

  get size(): number {
    return this.deadlines.size;
  }

  /** Notes the ids missing between `after` and each of `ids` (ascending, all above it). */
  noteRead(after: number, ids: readonly number[], now: number): void {
    let previous = after;
    for (const id of ids) {
      // Only the newest `max` of a huge hole (a large rolled-back batch) are worth keeping.
      for (let missing = Math.max(previous + 1, id - this.max); missing < id; missing++) {
        this.deadlines.set(missing, now + this.windowMs);
      }
      previous = id;
    }
    for (const id of this.deadlines.keys()) {
      if (this.deadlines.size <= this.max) break;
      this.deadlines.delete(id);
    }
  }

  has(id: number): boolean {
    return this.deadlines.has(id);
  }

  /** Stops looking for an id: it has been found. */
  delete(id: number): void {
    this.deadlines.delete(id);
  }

  /** Drops the ids looked for long enough and returns them. */
  expire(now: number): number[] {
    const expired: number[] = [];
    for (const [id, deadline] of this.deadlines) {
      if (deadline <= now) expired.push(id);
    }
    for (const id of expired) this.deadlines.delete(id);
    return expired;
  }

  /** The ids still looked for, ascending. */
  pending(): number[] {
    return [...this.deadlines.keys()].sort((a, b) => a - b);
  }

  clear(): void {
    this.deadlines.clear();
  }
}
