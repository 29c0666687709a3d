import {
  DEFAULT_DATABASE_URL,
  DEFAULT_PG_CONNECT_TIMEOUT_MS,
  DEFAULT_SQLITE_BUSY_TIMEOUT_MS,
  type OpenOptions,
} from '../db/database.js';
import { type EdgeOptions, loadEdgeOptions } from '../http/edge-options.js';
import type { WebhookTargetSettings } from '../kernel/context.js';
import type { GroupCommitSettings } from '../kernel/group-commit/group-commit.js';
import {
  DEFAULT_MESSAGING_SETTINGS,
  type MessagingSettings,
} from '../kernel/messaging-settings.js';
import type { DispatchConfig } from '../messaging/dispatcher.js';
import type { TransportConfig } from '../messaging/transports/log.js';

/** Settings come from the environment only (twelve-factor); this is the one place read. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  /** How the database is opened: connect and lock timeouts. */
  databaseOptions: Pick<
    OpenOptions,
    'pgConnectTimeoutMs' | 'sqliteBusyTimeoutMs' | 'pgNamedStatements'
  >;
  bootstrapAdminKey: string | undefined;
  /** The first staff admin's sign-in, for automated set-ups; otherwise one is generated. */
  bootstrapAdmin: { email: string | undefined; password: string | undefined };
  logLevel: string;
  /** Minutes between sweeps that re-promise backorders resting on overdue supply; 0: off. */
  repromiseIntervalMinutes: number;
  messaging: MessagingSettings;
  transports: TransportConfig;
  dispatch: DispatchConfig;
  /** Whether webhooks may target loopback, private and link-local addresses (off: refused). */
  webhooks: WebhookTargetSettings;
  /** Milliseconds between availability watches (changes, "notify me" waves); 0: off. */
  watchIntervalMs: number;
  /** Minutes between staff alert sweeps (shortage ahead, overdue POs); 0: off. */
  alertIntervalMinutes: number;
  /** Hour of the day (UTC, 0–23) of the nightly replenishment refresh; null: off. */
  replenishmentHourUtc: number | null;
  /** Rate limits, CORS origins and socket timeouts at the HTTP edge. */
  edge: EdgeOptions;
  /** Group commit of order placements: 'off', or what to change from the defaults. */
  groupCommit: 'off' | Partial<GroupCommitSettings>;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got ${JSON.stringify(env.PORT)}`);
  }
  const num = (name: string, fallback: number, min = 0) => number(env, name, fallback, min);
  const smsUrl = env.STOCKROOM_SMS_URL || undefined;
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    databaseOptions: {
      pgConnectTimeoutMs: num('STOCKROOM_PG_CONNECT_TIMEOUT_MS', DEFAULT_PG_CONNECT_TIMEOUT_MS, 1),
      sqliteBusyTimeoutMs: num('STOCKROOM_SQLITE_BUSY_TIMEOUT_MS', DEFAULT_SQLITE_BUSY_TIMEOUT_MS),
      pgNamedStatements: onOff(env, 'STOCKROOM_PG_NAMED_STATEMENTS', true),
    },
    bootstrapAdminKey: env.STOCKROOM_BOOTSTRAP_ADMIN_KEY || undefined,
    bootstrapAdmin: {
      email: env.STOCKROOM_BOOTSTRAP_ADMIN_EMAIL || undefined,
      password: env.STOCKROOM_BOOTSTRAP_ADMIN_PASSWORD || undefined,
    },
    logLevel: env.LOG_LEVEL ?? 'info',
    repromiseIntervalMinutes: num('STOCKROOM_REPROMISE_INTERVAL_MINUTES', 60),
    messaging: {
      shopName: env.STOCKROOM_SHOP_NAME || DEFAULT_MESSAGING_SETTINGS.shopName,
      shopUrl: (env.STOCKROOM_SHOP_URL || DEFAULT_MESSAGING_SETTINGS.shopUrl).replace(/\/+$/, ''),
      mailFrom: env.STOCKROOM_MAIL_FROM || DEFAULT_MESSAGING_SETTINGS.mailFrom,
      delayIncentive: env.STOCKROOM_DELAY_INCENTIVE || null,
      staffEmails: (env.STOCKROOM_STAFF_EMAILS ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
      notifyWaveMultiple: num('STOCKROOM_NOTIFY_WAVE_MULTIPLE', 1, 0.01),
      notifyWaveDelayMinutes: num('STOCKROOM_NOTIFY_WAVE_DELAY_MINUTES', 60),
      ...customerMessageSettings(env, num),
    },
    transports: {
      smtpUrl: env.STOCKROOM_SMTP_URL || undefined,
      sms: smsUrl
        ? {
            url: smsUrl,
            username: env.STOCKROOM_SMS_USERNAME || undefined,
            password: env.STOCKROOM_SMS_PASSWORD || undefined,
            from: env.STOCKROOM_SMS_FROM || 'Stockroom',
          }
        : undefined,
    },
    dispatch: {
      intervalMs: num('STOCKROOM_DISPATCH_INTERVAL_MS', 1000),
      batchSize: num('STOCKROOM_DISPATCH_BATCH', 50, 1),
      maxAttempts: num('STOCKROOM_DISPATCH_MAX_ATTEMPTS', 8, 1),
      retryBaseSeconds: num('STOCKROOM_DISPATCH_RETRY_BASE_SECONDS', 30),
      retryMaxSeconds: num('STOCKROOM_DISPATCH_RETRY_MAX_SECONDS', 3600),
      leaseSeconds: num('STOCKROOM_DISPATCH_LEASE_SECONDS', 120, 1),
      concurrency: num('STOCKROOM_DISPATCH_CONCURRENCY', 8, 1),
    },
    webhooks: { allowPrivateTargets: flag(env, 'STOCKROOM_WEBHOOK_ALLOW_PRIVATE') },
    watchIntervalMs: num('STOCKROOM_WATCH_INTERVAL_MS', 1000),
    alertIntervalMinutes: num('STOCKROOM_ALERT_INTERVAL_MINUTES', 5),
    replenishmentHourUtc: hourOrOff(env, 'STOCKROOM_REPLENISHMENT_HOUR', 2),
    edge: loadEdgeOptions(env, num),
    groupCommit: groupCommitOf(env),
  };
}

/**
 * STOCKROOM_GROUP_COMMIT=off places every order in its own transaction; the three sizes
 * override the defaults of src/orders/order-batcher.ts one by one.
 */
function groupCommitOf(env: NodeJS.ProcessEnv): Config['groupCommit'] {
  const mode = (env.STOCKROOM_GROUP_COMMIT ?? '').trim().toLowerCase();
  if (mode === 'off') return 'off';
  if (mode !== '' && mode !== 'on') {
    throw new Error(`STOCKROOM_GROUP_COMMIT must be on or off, got ${env.STOCKROOM_GROUP_COMMIT}`);
  }
  const whole = (name: string, min: number): number | undefined => {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) {
      throw new Error(`${name} must be a whole number >= ${min}, got ${value}`);
    }
    return n;
  };
  const settings = {
    maxBatch: whole('STOCKROOM_GROUP_COMMIT_MAX_BATCH', 1),
    maxWaitMs: whole('STOCKROOM_GROUP_COMMIT_MAX_WAIT_MS', 0),
    maxInFlight: whole('STOCKROOM_GROUP_COMMIT_IN_FLIGHT', 1),
  };
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
}

/** on or off; unset or empty is the default. Anything else is a mistake. */
function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const value = (env[name] ?? '').trim().toLowerCase();
  if (value === '') return fallback;
  if (value === 'on' || value === 'off') return value === 'on';
  throw new Error(`${name} must be on or off, got ${env[name]}`);
}

/** true/false (also 1/0, yes/no); unset or empty is false. Anything else is a mistake. */
function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const value = (env[name] ?? '').trim().toLowerCase();
  if (value === '' || value === 'false' || value === '0' || value === 'no') return false;
  if (value === 'true' || value === '1' || value === 'yes') return true;
  throw new Error(`${name} must be true or false, got ${env[name]}`);
}

/** An hour of the day, 0–23, or `off`. */
function hourOrOff(env: NodeJS.ProcessEnv, name: string, fallback: number): number | null {
  const value = (env[name] ?? '').trim().toLowerCase();
  if (value === '') return fallback;
  if (value === 'off') return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 23) {
    throw new Error(`${name} must be an hour 0-23 or off, got ${env[name]}`);
  }
  return n;
}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) {
    throw new Error(`${name} must be a number >= ${min}, got ${value}`);
  }
  return n;
}

/** Branding, language, signed links and SMS wording of customer messages (issue 15). */
function customerMessageSettings(
  env: NodeJS.ProcessEnv,
  num: (name: string, fallback: number, min?: number) => number,
) {
  const d = DEFAULT_MESSAGING_SETTINGS;
  const timeZone = env.STOCKROOM_SHOP_TIME_ZONE || d.timeZone;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new Error(
      `STOCKROOM_SHOP_TIME_ZONE must be an IANA time zone, got ${JSON.stringify(timeZone)}`,
    );
  }
  const linkSecret = env.STOCKROOM_LINK_SECRET || null;
  if (linkSecret !== null && linkSecret.length < 32) {
    throw new Error('STOCKROOM_LINK_SECRET must be at least 32 characters');
  }
  return {
    publicUrl: (env.STOCKROOM_PUBLIC_URL || d.publicUrl).replace(/\/+$/, ''),
    logoUrl: env.STOCKROOM_SHOP_LOGO_URL || null,
    defaultLanguage: env.STOCKROOM_SHOP_LANGUAGE || d.defaultLanguage,
    timeZone,
    itemImageUrl: env.STOCKROOM_ITEM_IMAGE_URL || null,
    currency: env.STOCKROOM_CURRENCY || d.currency,
    linkSecret,
    linkTtlDays: num('STOCKROOM_LINK_TTL_DAYS', d.linkTtlDays, 1),
    smsStopText: env.STOCKROOM_SMS_STOP_TEXT || d.smsStopText,
  };
}
