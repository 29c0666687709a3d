import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** The app a route plugin declares its routes on, for plugins split into one function per route. */
export type RoutesApp = Parameters<FastifyPluginAsyncTypebox>[0];

/** Who may read availability: every key, a channel key limited to its channel. */
export const readers = ['admin', 'staff', 'channel'] as const;
