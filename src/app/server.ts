import type { FastifyInstance } from 'fastify';
import { bootstrapAdminKey } from '../access/keys.service.js';
import { bootstrapAdminUser } from '../access/users.service.js';
import { type Database, openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { requestLoggerOptions } from '../http/log-redaction.js';
import type { AppContext } from '../kernel/context.js';
import { renderOutboxMessage } from '../messaging/message-view.js';
import { unsentMessagesWarning } from '../messaging/transports/log.js';
import { defaultGroupCommit } from '../orders/order-batcher.js';
import { systemClock } from '../shared/clock.js';
import { buildApp } from './build-app.js';
import type { Config } from './config.js';
import { createDispatcher } from './dispatcher-setup.js';
import { startBackgroundJobs } from './jobs/background-jobs.js';

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  url: string;
  /** Stops taking connections, lets in-flight requests finish, then closes the database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Runs after migrations, before listening: `npm start` loads the demo store here. */
  beforeListen?: (ctx: AppContext) => Promise<void>;
  /** Where to print the bootstrap admin key (stdout by default). */
  announce?: (line: string) => void;
  /** Where the server log goes (stdout by default); tests read it from here. */
  logStream?: NodeJS.WritableStream;
}

export async function startServer(
  config: Config,
  options: StartOptions = {},
): Promise<RunningServer> {
  const announce = options.announce ?? ((line: string) => process.stdout.write(`${line}\n`));
  const database = openDatabase(config.databaseUrl, config.databaseOptions);
  try {
    await migrateToLatest(database.db);
    const ctx: AppContext = {
      db: database.db,
      dbKind: database.kind,
      clock: systemClock,
      messaging: config.messaging,
      webhooks: config.webhooks,
      groupCommit:
        config.groupCommit === 'off'
          ? 'off'
          : { ...defaultGroupCommit(database.kind), ...config.groupCommit },
    };
    const bootstrap = await bootstrapAdminKey(ctx, config.bootstrapAdminKey);
    if (bootstrap && !bootstrap.preset) {
      announce(`Created the first admin API key (shown once, store it now): ${bootstrap.key}`);
    } else if (bootstrap) {
      announce('Created the admin API key from STOCKROOM_BOOTSTRAP_ADMIN_KEY');
    }
    const firstAdmin = await bootstrapAdminUser(ctx, config.bootstrapAdmin);
    await options.beforeListen?.(ctx);
    const app = await buildApp(ctx, {
      logger: requestLoggerOptions(config.logLevel, options.logStream),
      edge: config.edge,
      // The live stream LISTENs on its own connection (PostgreSQL; SQLite polls).
      events: { databaseUrl: config.databaseUrl },
      pool: database.pool,
    });
    const url = await app.listen({ port: config.port, host: config.host });
    announce(
      `Stockroom listening on ${url} (database ${database.location}); API docs at ${url}/docs`,
    );
    if (firstAdmin && !firstAdmin.preset) {
      announce(
        `Staff app at ${url}/: sign in as ${firstAdmin.email} with password ${firstAdmin.password} (shown once; change it under Settings)`,
      );
    } else if (firstAdmin) {
      announce(
        `Created the first staff admin ${firstAdmin.email} from STOCKROOM_BOOTSTRAP_ADMIN_*`,
      );
    }
    const unsent = unsentMessagesWarning(config.transports);
    if (unsent) app.log.warn(unsent);
    const dispatcher = createDispatcher(config, renderOutboxMessage, (entry, line) =>
      app.log.info(entry, line),
    );
    const jobs = startBackgroundJobs(ctx, config, dispatcher, app.log);
    return {
      app,
      database,
      url,
      async stop() {
        // Node closes idle keep-alive connections once, as closing starts; one busy with a
        // response then would stay open for Fastify's keepAliveTimeout (72 s) after it
        // (fastify/fastify#7044). Keep closing those that fall idle until all are gone.
        const jobsStopped = jobs.stop();
        const idleSweep = setInterval(() => app.server.closeIdleConnections(), 100);
        try {
          await app.close();
        } finally {
          clearInterval(idleSweep);
        }
        await jobsStopped;
        await dispatcher.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** SIGTERM and SIGINT stop the server gracefully; a second signal exits at once. */
export function stopOnSignals(server: RunningServer): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    server.app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    server
      .stop()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        server.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
