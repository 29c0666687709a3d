import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import { installAuth } from '../access/auth.js';
import { createKeyCache } from '../access/key-cache.js';
import { keyRoutes } from '../access/keys.routes.js';
import { ApiKey } from '../access/keys.schemas.js';
import { sessionRoutes } from '../access/sessions.routes.js';
import { userRoutes } from '../access/users.routes.js';
import { StaffUser } from '../access/users.schemas.js';
import { alertRoutes } from '../alerts/alerts.routes.js';
import { Alert } from '../alerts/alerts.schemas.js';
import { alternativeRoutes } from '../availability/alternatives.routes.js';
import { Alternative, ItemLink } from '../availability/alternatives.schemas.js';
import { availabilityRoutes } from '../availability/availability.routes.js';
import { ItemAvailability } from '../availability/availability.schemas.js';
import { createChannelCache } from '../catalogue/channels.cache.js';
import { channelRoutes } from '../catalogue/channels.routes.js';
import { Channel } from '../catalogue/channels.schemas.js';
import { categoryRoutes, itemRoutes } from '../catalogue/items.routes.js';
import { Item } from '../catalogue/items.schemas.js';
import { locationRoutes } from '../catalogue/locations.routes.js';
import { Location } from '../catalogue/locations.schemas.js';
import { customerRoutes } from '../customers/customers.routes.js';
import { Customer } from '../customers/customers.schemas.js';
import { createChangeWatch } from '../db/change-watch.js';
import { historyRoutes } from '../demand/history.routes.js';
import type { EventStreamOptions } from '../events/event-hub.js';
import { eventRoutes } from '../events/events.routes.js';
import { holdRoutes } from '../holds/holds.routes.js';
import { Hold } from '../holds/holds.schemas.js';
import { BODY_LIMIT } from '../http/body-limit.js';
import { ErrorResponse } from '../http/common-schemas.js';
import { installEdgeProtections } from '../http/edge.js';
import type { EdgeOptions } from '../http/edge-options.js';
import { installErrorHandling, sendError } from '../http/error-handler.js';
import { healthRoutes } from '../http/health.routes.js';
import { installIdempotency } from '../http/idempotency.js';
import { docsCsp } from '../http/security-headers.js';
import { cachingSerializerFactory } from '../http/serializer-cache.js';
import { installStaffApp } from '../http/staff-app.js';
import { timeoutServerOptions } from '../http/timeouts.js';
import { validatorCompiler } from '../http/validation.js';
import { stockRoutes } from '../inventory/stock.routes.js';
import { LedgerEntry, StockLevel } from '../inventory/stock.schemas.js';
import { StockOverviewRow } from '../inventory/stock-overview.schemas.js';
import { transferRoutes } from '../inventory/transfers.routes.js';
import { TransferDocument } from '../inventory/transfers.schemas.js';
import type { AppContext } from '../kernel/context.js';
import { DEFAULT_MESSAGING_SETTINGS } from '../kernel/messaging-settings.js';
import { renderOutboxMessage } from '../messaging/message-view.js';
import { messageRoutes } from '../messaging/messages.routes.js';
import { Message } from '../messaging/messages.schemas.js';
import { messageTemplateRoutes } from '../messaging/templates.routes.js';
import { MessageTemplateDocument } from '../messaging/templates.schemas.js';
import { batcherStats, drained } from '../orders/order-batcher.js';
import { batcherFor, orderRoutes } from '../orders/orders.routes.js';
import { Order } from '../orders/orders.schemas.js';
import { lineChangePreviewRoutes } from '../purchasing/line-change-preview.routes.js';
import { purchaseOrderImportRoutes } from '../purchasing/purchase-order-import.routes.js';
import { purchaseOrderRoutes } from '../purchasing/purchase-orders.routes.js';
import { PurchaseOrder } from '../purchasing/purchase-orders.schemas.js';
import { supplierRoutes } from '../purchasing/suppliers.routes.js';
import { Supplier, SupplierItem, SupplierPerformance } from '../purchasing/suppliers.schemas.js';
import { supplyRoutes } from '../purchasing/supply.routes.js';
import { Supply } from '../purchasing/supply.schemas.js';
import { forecastRoutes } from '../replenishment/forecast.routes.js';
import { Forecast } from '../replenishment/forecast.schemas.js';
import { replenishmentRoutes } from '../replenishment/replenishment.routes.js';
import { Suggestion } from '../replenishment/replenishment.schemas.js';
import { reportRoutes } from '../reports/reports.routes.js';
import { subscriptionRoutes } from '../subscriptions/subscriptions.routes.js';
import { Subscription } from '../subscriptions/subscriptions.schemas.js';
import { unsubscribeRoutes } from '../subscriptions/unsubscribe.routes.js';
import { webhookRoutes } from '../webhooks/webhooks.routes.js';
import { Webhook } from '../webhooks/webhooks.schemas.js';
import { installEventReactions } from './event-reactions.js';
import { alertShortages } from './jobs/replenishment-job.js';
import { installMetrics, type PoolUsage } from './metrics.js';
import { openApiOptions } from './openapi-document.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

export interface BuildAppOptions {
  logger?: FastifyServerOptions['logger'];
  /** The live event stream: LISTEN URL (PostgreSQL), poll and heartbeat intervals. */
  events?: EventStreamOptions;
  /** Rate limits, CORS and timeouts (`stockroom serve`); without it limits and CORS are off. */
  edge?: EdgeOptions;
  /** The PostgreSQL pool, whose usage GET /metrics reports (src/http/metrics.ts). */
  pool?: PoolUsage | undefined;
  /** The built staff app served at / (default dist/web; src/http/staff-app.ts). */
  staffAppDir?: string;
}

/** Shared schemas, referenced by `$ref` from routes and listed under OpenAPI components. */
const sharedSchemas = [
  ErrorResponse,
  Item,
  Location,
  Channel,
  StockLevel,
  StockOverviewRow,
  LedgerEntry,
  ItemAvailability,
  ApiKey,
  StaffUser,
  Supplier,
  SupplierItem,
  SupplierPerformance,
  PurchaseOrder,
  TransferDocument,
  Supply,
  Order,
  Hold,
  ItemLink,
  Alternative,
  Customer,
  Message,
  MessageTemplateDocument,
  Subscription,
  Alert,
  Webhook,
  Suggestion,
  Forecast,
];

/**
 * Assembles the HTTP API around a context. Listening is the caller's business
 * (src/http/server.ts), so tests drive the same app through inject().
 */
export async function buildApp(
  given: AppContext,
  options: BuildAppOptions = {},
): Promise<FastifyInstance> {
  installEventReactions();
  const app = createFastify(options);
  const { ctx, keys, watch } = accessCaches(app, given, options);
  // Fastify parses text/plain by default; bodies here are JSON only, so anything else is a 415.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  echoRequestId(app);
  installErrorHandling(app);
  await installEdgeProtections(app, options.edge);
  // Before authentication, which reads the staff session cookie.
  await app.register(cookie);
  installAuth(app, ctx, keys);
  installIdempotency(app, ctx);
  // Orders placed at the same moment share transactions (src/orders/place-batch.ts).
  const batcher = batcherFor(ctx);
  if (batcher) app.addHook('onClose', () => drained(batcher));
  // Before any route, so its request counter sees every one of them.
  installMetrics(app, ctx, { pool: options.pool, groupCommit: batcherStats(batcher) });
  for (const schema of sharedSchemas) app.addSchema(schema);

  await app.register(swagger, openApiOptions);
  await app.register(swaggerUi, { routePrefix: '/docs', ...docsCsp });

  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  for (const routes of [
    healthRoutes,
    itemRoutes,
    categoryRoutes,
    locationRoutes,
    channelRoutes,
    stockRoutes,
    availabilityRoutes,
    keyRoutes,
    sessionRoutes,
    userRoutes,
    supplierRoutes,
    purchaseOrderRoutes,
    purchaseOrderImportRoutes,
    historyRoutes,
    transferRoutes,
    supplyRoutes,
    alternativeRoutes,
    holdRoutes,
    (routeCtx: AppContext) => orderRoutes(routeCtx, batcher),
    customerRoutes,
    messageRoutes,
    messageTemplateRoutes,
    subscriptionRoutes,
    unsubscribeRoutes,
    alertRoutes,
    webhookRoutes,
    reportRoutes,
    forecastRoutes,
  ]) {
    await app.register(routes(ctx));
  }
  await app.register(eventRoutes(ctx, options.events));
  await app.register(
    lineChangePreviewRoutes(ctx, {
      render: (db, message) =>
        renderOutboxMessage(db, message, ctx.messaging ?? DEFAULT_MESSAGING_SETTINGS, ctx.clock),
    }),
  );
  await app.register(
    replenishmentRoutes(ctx, { afterRefresh: (outcome) => alertShortages(ctx, outcome) }),
  );
  await installStaffApp(app, options.staffAppDir);
  // Last, so a failure above leaves no connection open; until it is up, no cache is used.
  void watch.start();
  return app;
}

/** Every answer names its request, for the client to quote and the logs to find. */
function echoRequestId(app: FastifyInstance): void {
  // A callback hook, not an async one, on every response: no promise per request.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });
}

/**
 * Keys and channels are cached per app, emptied on any change in any process
 * (src/db/change-watch.ts); PostgreSQL follows changes on the events' LISTEN URL. The
 * routes get a context with the channel cache (ctx.channels).
 */
function accessCaches(app: FastifyInstance, given: AppContext, options: BuildAppOptions) {
  const watch = createChangeWatch({
    db: given.db,
    kind: given.dbKind,
    listenUrl: options.events?.databaseUrl,
    log: app.log,
  });
  app.addHook('onClose', () => watch.close());
  const ctx: AppContext = {
    ...given,
    channels: createChannelCache(given.db, watch),
    accessChanges: watch,
  };
  return { ctx, keys: createKeyCache(ctx, watch), watch };
}

/** The Fastify instance with the options every request depends on: ids, limits, timeouts. */
function createFastify(options: BuildAppOptions): FastifyInstance {
  return Fastify({
    logger: options.logger ?? false,
    // A caller's x-request-id is kept for tracing across services if it looks like an id;
    // anything else (too long, odd characters) is replaced rather than echoed into logs.
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : crypto.randomUUID();
    },
    bodyLimit: BODY_LIMIT,
    ...timeoutServerOptions(options.edge?.timeouts),
    schemaController: { compilersFactory: { buildSerializer: cachingSerializerFactory } },
    // Errors Fastify raises before routing (a malformed URL, say) get the same shape too.
    frameworkErrors: (error, request, reply) =>
      sendError(
        request as FastifyRequest,
        reply as FastifyReply,
        error.statusCode ?? 400,
        error.code === 'FST_ERR_BAD_URL' ? 'MALFORMED_URL' : 'BAD_REQUEST',
        error.message,
      ),
  });
}
