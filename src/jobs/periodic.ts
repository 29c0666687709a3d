/**
 * A background job that runs again and again in this process: at once when its last run
 * said there was more to do (a full batch), else after its interval. One run at a time;
 * an error is logged and the job carries on. Stopping waits for the run in progress.
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

export function startJobs(
  jobs: readonly PeriodicJob[],
  onError: (job: string, error: unknown) => void,
): RunningJobs {
  let stopped = false;
  const state = jobs.map((job) => ({
    job,
    timer: undefined as NodeJS.Timeout | undefined,
    running: Promise.resolve(),
    busy: false,
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
      .catch((error: unknown) => {
        onError(s.job.name, error);
        return false;
      })
      .then((again) => {
        s.busy = false;
        schedule(s, again ? 0 : s.job.intervalMs);
      });
  };
  for (const s of state) schedule(s, s.job.firstDelayMs ?? s.job.intervalMs);
  return {
    poke(name) {
      const s = state.find((x) => x.job.name === name);
      if (s && !s.busy) schedule(s, 0);
    },
    async stop() {
      stopped = true;
      for (const s of state) clearTimeout(s.timer);
      await Promise.all(state.map((s) => s.running));
    },
  };
}
