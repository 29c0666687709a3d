import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { DEFAULT_MESSAGING_SETTINGS } from '../kernel/messaging-settings.js';
import { subscriptionForLink, unsubscribeByLink } from './subscriptions.service.js';
import { confirmPage, donePage } from './unsubscribe-page.js';

const tags = ['subscriptions'];
const FORM = 'application/x-www-form-urlencoded';

const LinkParams = Type.Object({
  token: Type.String({
    pattern: '^[0-9]{1,15}\\.[0-9]{1,12}\\.[A-Za-z0-9_-]{22}$',
    description: 'The signed token of the link in the message (List-Unsubscribe header)',
  }),
});

const html = (description: string) => ({
  description,
  content: { 'text/html': { schema: { type: 'string' } } },
});

/**
 * One-click unsubscribe (RFC 8058) for "notify me" mail: the URL in its List-Unsubscribe
 * header. No API key: the signed token is the credential.
 */
export const unsubscribeRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    // Scoped to this plugin: mail clients POST "List-Unsubscribe=One-Click" as a form.
    app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 1024 }, (_r, body, done) =>
      done(null, body),
    );
    const shopName = () => (ctx.messaging ?? DEFAULT_MESSAGING_SETTINGS).shopName;

    app.get(
      '/v1/unsubscribe/:token',
      {
        config: { access: 'public' },
        schema: {
          tags,
          operationId: 'showUnsubscribePage',
          summary: 'The page an unsubscribe link opens: asks, with a button',
          description:
            'Changes nothing: link scanners and previews fetch links too. The button POSTs to the same URL. A token this server did not sign is 404 UNSUBSCRIBE_LINK_INVALID.',
          params: LinkParams,
          security: [],
          response: { 200: html('The confirmation page'), ...errorResponses },
        },
      },
      async (request, reply) => {
        const found = await subscriptionForLink(ctx, request.params.token);
        return reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(confirmPage(shopName(), found.itemName, request.url));
      },
    );

    app.post(
      '/v1/unsubscribe/:token',
      {
        config: { access: 'public' },
        schema: {
          tags,
          operationId: 'unsubscribeByLink',
          summary: 'Unsubscribe in one click (RFC 8058)',
          description:
            'What a mail client sends for the List-Unsubscribe-Post header (body `List-Unsubscribe=One-Click`, form-encoded), and what the page’s button sends. Any body, or none, is accepted: the signed token decides. Unsubscribing twice is fine; a token this server did not sign is 404 UNSUBSCRIBE_LINK_INVALID.',
          params: LinkParams,
          consumes: [FORM],
          security: [],
          response: { 200: html('Unsubscribed: a page saying so'), ...errorResponses },
        },
      },
      async (request, reply) => {
        const found = await unsubscribeByLink(ctx, request.params.token);
        return reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(donePage(shopName(), found.itemName));
      },
    );
  };
