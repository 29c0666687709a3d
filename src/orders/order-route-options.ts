import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../http/common-schemas.js';

/** What the order route groups share; orders.routes.ts declares them on one app. */

export type OrderRoutesApp = Parameters<FastifyPluginAsyncTypebox>[0];

export const sellers = ['admin', 'staff', 'channel'] as const;
export const staff = ['admin', 'staff'] as const;
export const order = { $ref: 'Order' } as const;
export const tags = ['orders'];
export const withIdempotency = { ...errorResponses, 422: { $ref: 'ErrorResponse' } } as const;
