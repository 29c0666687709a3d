import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import {
  LanguageQuery,
  MessageTemplateList,
  PreviewBody,
  PutTemplateBody,
  RenderedPreview,
  TemplateParams,
} from './templates.schemas.js';
import * as templates from './templates.service.js';

const readers = ['admin', 'staff'] as const;
const editors = ['admin'] as const;
const template = { $ref: 'MessageTemplate' } as const;
const tags = ['messages'];

export const messageTemplateRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    readRoutes(app, ctx);
    editRoutes(app, ctx);
  };

type App = Parameters<FastifyPluginAsyncTypebox>[0];

/** Reading the templates in force. */
function readRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/v1/message-templates',
    {
      config: { access: readers },
      schema: {
        tags,
        operationId: 'listMessageTemplates',
        summary: 'List the templates of every message kind',
        description:
          'Customer kinds (backorder_confirmed, promised, delay, earlier_date, unpromised, ready, shipped, discontinued, back_in_stock) then staff alerts (alert_*). `customised` tells an override from the built-in default. `language` lists the templates a customer with that language gets (built in: en, de); `language` in each answer says which language its words are in.',
        querystring: LanguageQuery,
        response: { 200: MessageTemplateList, ...errorResponses },
      },
    },
    async (request) => templates.listTemplates(ctx, request.query),
  );

  app.get(
    '/v1/message-templates/:kind',
    {
      config: { access: readers },
      schema: {
        tags,
        operationId: 'getMessageTemplate',
        summary: 'Read the template of one message kind',
        params: TemplateParams,
        querystring: LanguageQuery,
        response: { 200: template, ...errorResponses },
      },
    },
    async (request) => templates.getTemplate(ctx, request.params.kind, request.query),
  );
}

/** Overriding a template, going back to the default, and trying one out. */
function editRoutes(app: App, ctx: AppContext): void {
  app.put(
    '/v1/message-templates/:kind',
    {
      config: { access: editors },
      schema: {
        tags,
        operationId: 'replaceMessageTemplate',
        summary: 'Replace the template of one message kind',
        description:
          'All four parts are Mustache templates and all are required. With `language` other than the shop’s, this is the translation customers with that language get. A part that does not parse (an unclosed section, say) is refused with 400 VALIDATION_FAILED naming it. Messages already rendered keep their words; the new template applies from the next message’s first attempt.',
        params: TemplateParams,
        querystring: LanguageQuery,
        body: PutTemplateBody,
        response: { 200: template, ...errorResponses },
      },
    },
    async (request) =>
      templates.putTemplate(
        ctx,
        request.params.kind,
        request.body,
        request.principal!.actor,
        request.query,
      ),
  );

  app.delete(
    '/v1/message-templates/:kind',
    {
      config: { access: editors },
      schema: {
        tags,
        operationId: 'resetMessageTemplate',
        summary: 'Go back to the built-in template of one message kind',
        params: TemplateParams,
        querystring: LanguageQuery,
        response: {
          204: Type.Null({ description: 'The default is in force' }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      await templates.resetTemplate(ctx, request.params.kind, request.query);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/v1/message-templates/:kind/preview',
    {
      config: { access: readers },
      // No body at all previews the sample, as `{}` does.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags,
        operationId: 'previewMessageTemplate',
        summary: 'Render the template of one message kind',
        description:
          'Renders `template` (a draft of all four parts, as PUT takes them: what an editor shows before saving; a part that does not parse is 400 VALIDATION_FAILED naming it under /template) or else the template in force, with `data` (outbox data as the message’s cause writes it), or with sample data for the kind when none is given (an empty body or `{}`). Item names and alternatives are looked up as for a real message. Sends nothing.',
        params: TemplateParams,
        querystring: LanguageQuery,
        body: PreviewBody,
        response: { 200: RenderedPreview, ...errorResponses },
      },
    },
    async (request) =>
      templates.previewTemplate(ctx, request.params.kind, request.body, request.query),
  );
}
