import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { pgAdminUrl } from './databases.js';

/** What each operation of a measured stretch cost in CPU, in ms, on every side. */
export interface CpuCost {
  /** This process: user + system, all its threads (the bench client and, in process, the service). */
  cpuPerOp: number;
  /** The PostgreSQL server, when it runs on this machine. */
  serverCpuPerOp: number | undefined;
  /** How busy the whole machine's CPU was meanwhile (0–1). */
  machineBusy: number | undefined;
}

/** Starts a measured stretch; the function returned ends it, dividing by `operations`. */
export function cpuWindow(): (operations: number) => CpuCost {
  const cpuStart = process.cpuUsage();
  const serverStart = postgresCpuMs();
  const machineStart = machineTicks();
  return (operations) => {
    const cpu = process.cpuUsage(cpuStart);
    const serverEnd = postgresCpuMs();
    const n = Math.max(1, operations);
    return {
      cpuPerOp: (cpu.user + cpu.system) / 1000 / n,
      serverCpuPerOp:
        serverStart === undefined || serverEnd === undefined
          ? undefined
          : (serverEnd - serverStart) / n,
      machineBusy: busyShare(machineStart, machineTicks()),
    };
  };
}

/**
 * CPU milliseconds the PostgreSQL server on this machine has used so far, read from /proc:
 * each live postgres process's own user + system time, plus the time of the backends that
 * have exited (the postmaster's reaped children). Undefined when the server is not on this
 * machine or /proc cannot be read, so figures from elsewhere are never mixed in.
 *
 * Why: on a 2-core machine the bench client, the service and PostgreSQL share the cores,
 * so the service's own CPU per order says only half of what an order costs.
 */
function postgresCpuMs(): number | undefined {
  if (!serverIsLocal) return undefined;
  let ticks = 0;
  let found = false;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    const fields = statFields(pid);
    if (fields?.comm !== 'postgres') continue;
    found = true;
    // After the comm: state, ppid, … utime (14), stime (15), cutime (16), cstime (17).
    const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields.rest[i]));
    ticks += utime! + stime! + cutime! + cstime!;
  }
  return found ? (ticks * 1000) / clockTicks() : undefined;
}

const serverIsLocal = ['127.0.0.1', 'localhost', '[::1]', ''].includes(
  new URL(pgAdminUrl).hostname,
);

function statFields(pid: string): { comm: string; rest: string[] } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // it exited between the listing and the read
  }
  // The command name is in parentheses and may itself hold spaces or parentheses.
  const close = text.lastIndexOf(')');
  return {
    comm: text.slice(text.indexOf('(') + 1, close),
    rest: text
      .slice(close + 2)
      .trim()
      .split(' '),
  };
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })) || 100;
    } catch {
      ticksPerSecond = 100; // Linux's USER_HZ nearly everywhere
    }
  }
  return ticksPerSecond;
}

/** The machine's CPU time so far, busy and in all, in clock ticks (Linux's /proc/stat). */
function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    // cpu  user nice system idle iowait irq softirq steal …
    const t = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = t.reduce((a, b) => a + b, 0);
    return { busy: total - t[3]! - t[4]!, total };
  } catch {
    return undefined;
  }
}

/** The share of the machine's CPU that was busy between two readings of machineTicks. */
function busyShare(
  start: ReturnType<typeof machineTicks>,
  end: ReturnType<typeof machineTicks>,
): number | undefined {
  if (!start || !end || end.total === start.total) return undefined;
  return (end.busy - start.busy) / (end.total - start.total);
}
