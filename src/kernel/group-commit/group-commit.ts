/**
 * Group commit: requests that arrive while a batch is being written wait and are written
 * together by the next one, so a process pays one transaction (one commit, one set of
 * round trips) per batch instead of per request. Under light load a batch holds one
 * request and starts on the next turn of the event loop, so nobody waits for company;
 * under heavy load batches grow by themselves up to `maxBatch`.
 *
 * `run` answers every input of a batch, in order. If it throws, every input of that batch
 * gets `fallback`'s answer, or is rejected with the error when there is no fallback.
 */

export interface GroupCommitSettings {
  /** The most requests one batch takes. */
  maxBatch: number;
  /**
   * How long the first waiting request may wait for others, in milliseconds; 0 waits only
   * for the current turn of the event loop (setImmediate).
   */
  maxWaitMs: number;
  /** Batches written at once, each in its own transaction (1 on SQLite's one connection). */
  maxInFlight: number;
}

export interface GroupCommitStats {
  batches: number;
  inputs: number;
  largest: number;
  failed: number;
}

interface Waiting<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

export class GroupCommit<I, O> {
  private readonly waiting: Waiting<I, O>[] = [];
  private inFlight = 0;
  private scheduled = false;
  private idle: (() => void)[] = [];
  /** Batches written and requests in them, for metrics and tests. */
  readonly stats: GroupCommitStats = { batches: 0, inputs: 0, largest: 0, failed: 0 };

  constructor(
    private readonly run: (inputs: readonly I[]) => Promise<readonly O[]>,
    readonly settings: GroupCommitSettings,
    private readonly fallback?: (inputs: readonly I[], error: unknown) => readonly O[],
  ) {
    for (const [name, value] of Object.entries(settings)) {
      if (!Number.isInteger(value) || value < (name === 'maxWaitMs' ? 0 : 1)) {
        throw new RangeError(`group commit ${name} must be a whole number, got ${value}`);
      }
    }
  }

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves once nothing is waiting or being written (for shutting down). */
  drained(): Promise<void> {
    if (this.waiting.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private schedule(): void {
    if (this.inFlight >= this.settings.maxInFlight) return;
    if (this.waiting.length >= this.settings.maxBatch) {
      this.flush();
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    const go = () => {
      this.scheduled = false;
      this.flush();
    };
    if (this.settings.maxWaitMs > 0) setTimeout(go, this.settings.maxWaitMs);
    else setImmediate(go);
  }

  private flush(): void {
    while (this.waiting.length > 0 && this.inFlight < this.settings.maxInFlight) {
      const batch = this.waiting.splice(0, this.settings.maxBatch);
      this.stats.batches++;
      this.stats.inputs += batch.length;
      this.stats.largest = Math.max(this.stats.largest, batch.length);
      this.inFlight++;
      this.write(batch).finally(() => {
        this.inFlight--;
        if (this.waiting.length > 0) this.schedule();
        else if (this.inFlight === 0) for (const done of this.idle.splice(0)) done();
      });
    }
  }

  private async write(batch: Waiting<I, O>[]): Promise<void> {
    try {
      const outputs = await this.run(batch.map((w) => w.input));
      for (const [i, w] of batch.entries()) w.resolve(outputs[i]!);
    } catch (error) {
      this.stats.failed++;
      if (!this.fallback) {
        for (const w of batch) w.reject(error);
        return;
      }
      const outputs = this.fallback(
        batch.map((w) => w.input),
        error,
      );
      for (const [i, w] of batch.entries()) w.resolve(outputs[i]!);
    }
  }
}
