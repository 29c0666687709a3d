import { DEFAULT_DATABASE_URL } from './db/database.js';

/** Settings come from the environment only (twelve-factor); this is the one place read. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  bootstrapAdminKey: string | undefined;
  logLevel: string;
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
  };
}
