import { DEFAULT_DATABASE_URL } from './db/database.js';

/** Settings come from the environment only (twelve-factor); this is the one place read. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  bootstrapAdminKey: string | undefined;
  logLevel: string;
  /** Minutes between sweeps that re-promise backorders resting on overdue supply; 0: off. */
  repromiseIntervalMinutes: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got ${JSON.stringify(env.PORT)}`);
  }
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    bootstrapAdminKey: env.STOCKROOM_BOOTSTRAP_ADMIN_KEY || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    repromiseIntervalMinutes: minutes(env.STOCKROOM_REPROMISE_INTERVAL_MINUTES, 60),
  };
}

function minutes(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    throw new Error(`STOCKROOM_REPROMISE_INTERVAL_MINUTES must be minutes >= 0, got ${value}`);
  }
  return n;
}
