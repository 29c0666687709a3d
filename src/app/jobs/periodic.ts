/**
 * A background job that runs again and again in this process: at once when its last run
 * said there was more to do (a full batch), else after its interval. One run at a time;
 * an error is reported and the job carries on. Failures in a row (the database is down)
 * back off, doubling from a second up to half a minute, so a job polling every 50 ms
 * does not hammer a database that is not there; the first success resets it. Stopping
 * waits for the run in progress.
 */
export interface PeriodicJob {
  name: string;
  intervalMs: number;
  /** Resolves true when it should run again straight away. */
  run(): Promise<boolean>;
  /** Delay before the first run (default: the interval). */
  firstDelayMs?: number;
}

export interface RunningJobs {
  /** Runs a job now (e.g. the dispatcher right after something was queued). */
  poke(name: string): void;
  stop(): Promise<void>;
}

export interface JobReports {
  /** `failures`: how many runs in a row have failed, this one included. */
  onError(job: string, error: unknown, failures: number): void;
  /** A run succeeded after `failures` failed ones. */
  onRecovered?(job: string, failures: number): void;
}

const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;

/** The wait after the n-th failure in a row: never shorter than the job's own interval. */
export function backoffMs(intervalMs: number, failures: number): number {
  const backoff = Math.min(FIRST_BACKOFF_MS * 2 ** Math.min(failures - 1, 16), MAX_BACKOFF_MS);
  return Math.max(intervalMs, backoff);
}

export function startJobs(jobs: readonly PeriodicJob[], reports: JobReports): RunningJobs {
  let stopped = false;
  const state = jobs.map((job) => ({
    job,
    timer: undefined as NodeJS.Timeout | undefined,
    running: Promise.resolve(),
    busy: false,
    failures: 0,
  }));
  const schedule = (s: (typeof state)[number], delay: number) => {
    if (stopped) return;
    clearTimeout(s.timer);
    s.timer = setTimeout(() => tick(s), delay).unref();
  };
  const tick = (s: (typeof state)[number]) => {
    if (stopped || s.busy) return;
    s.busy = true;
    s.running = s.job
      .run()
      .then(
        (again) => {
          if (s.failures > 0) reports.onRecovered?.(s.job.name, s.failures);
          s.failures = 0;
          return again ? 0 : s.job.intervalMs;
        },
        (error: unknown) => {
          s.failures += 1;
          reports.onError(s.job.name, error, s.failures);
          return backoffMs(s.job.intervalMs, s.failures);
        },
      )
      .then((delay) => {
        s.busy = false;
        schedule(s, delay);
      });
  };
  for (const s of state) schedule(s, s.job.firstDelayMs ?? s.job.intervalMs);
  return {
    poke(name) {
      const s = state.find((x) => x.job.name === name);
      // While failing, the backoff stands: a poke is no news that the database is back.
      if (s && !s.busy && s.failures === 0) schedule(s, 0);
    },
    async stop() {
      stopped = true;
      for (const s of state) clearTimeout(s.timer);
      await Promise.all(state.map((s) => s.running));
    },
  };
}
