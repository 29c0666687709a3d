import type { SwaggerOptions } from '@fastify/swagger';
import { optionalDefaultedQueryParameters } from '../http/openapi-parameters.js';

/** What the served OpenAPI document says about the API as a whole; routes add the rest. */
export const openApiOptions: SwaggerOptions = {
  openapi: {
    openapi: '3.1.0',
    info: {
      title: 'Stockroom API',
      version: '1',
      description:
        'Inventory availability: stock across stores, warehouses and channels, and an honest answer to "can this be bought now, and if not, when?". Every failure has the shape {error: {code, message, details, requestId}}.',
      // package.json says UNLICENSED: the service is private, not open source. SPDX has no
      // identifier for that, so it is a LicenseRef (SPDX's form for a licence of one's own).
      license: { name: 'Proprietary: all rights reserved', identifier: 'LicenseRef-Proprietary' },
      contact: { name: 'Stockroom maintainers' },
    },
    // Relative, so the document (and the /docs page) works behind any host or proxy.
    servers: [{ url: '/', description: 'The server that serves this document' }],
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <key>' },
        staffSession: {
          type: 'apiKey',
          in: 'cookie',
          name: 'stockroom_session',
          description:
            'The staff app’s session (POST /v1/session). Requests that change something also send X-CSRF-Token.',
        },
      },
    },
    security: [{ apiKey: [] }, { staffSession: [] }],
    tags: [
      { name: 'catalogue', description: 'Items, locations and channels' },
      {
        name: 'stock',
        description: 'Stock levels, adjustments, counts, transfers and the ledger',
      },
      { name: 'availability', description: 'Availability answers and listings feeds' },
      {
        name: 'purchasing',
        description: 'Purchase orders, their receipts and CSV import, and incoming supply',
      },
      {
        name: 'orders',
        description:
          'Quotes and orders placed by channels: reservations, backorders, promised dates, cancellations, fulfilment and lost demand',
      },
      {
        name: 'holds',
        description:
          'Checkout holds: stock a cart keeps for a while, extended, released, expired or converted into an order',
      },
      { name: 'demand', description: 'Sales history imported from outside, the base of demand' },
      { name: 'access', description: 'API keys and their roles (admin, staff, channel)' },
      { name: 'suppliers', description: 'Suppliers, what they sell us, and how they perform' },
      { name: 'operations', description: 'Health and readiness' },
      { name: 'events', description: 'The live event stream (Server-Sent Events)' },
      { name: 'customers', description: 'Customers and their contact details' },
      {
        name: 'messages',
        description:
          'The outbox of customer messages, staff alerts and webhook deliveries; templates',
      },
      {
        name: 'subscriptions',
        description: '"Notify me": queues for items to come back in stock, served in waves',
      },
      {
        name: 'alerts',
        description: 'Staff alerts: low stock, shortage ahead, overdue purchase orders',
      },
      { name: 'webhooks', description: 'Signed deliveries of events to integrators’ URLs' },
      {
        name: 'replenishment',
        description: 'Reorder points per item × location and suggested purchase orders',
      },
      {
        name: 'reports',
        description:
          'What sold, what ran out, what waited and what sits on the shelf: JSON or CSV, for staff',
      },
      {
        name: 'forecasts',
        description:
          'Daily demand forecasts per item × location, by the model that wins each series’ backtest',
      },
    ],
  },
  transformObject: (document) =>
    optionalDefaultedQueryParameters(
      'openapiObject' in document ? document.openapiObject : document.swaggerObject,
    ),
  refResolver: {
    buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`),
  },
};
