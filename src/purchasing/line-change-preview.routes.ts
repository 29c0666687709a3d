import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import { LineChangePreview } from './line-change-preview.schemas.js';
import { previewLineChange, type RenderQueuedMessage } from './preview-line-change.js';
import { LineParams, UpdateLineBody } from './purchase-orders.schemas.js';

const staff = ['admin', 'staff'] as const;

/** The preview of a line change; the app passes messaging's renderer in. */
export const lineChangePreviewRoutes =
  (ctx: AppContext, options: { render: RenderQueuedMessage }): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/v1/purchase-orders/:id/lines/:line/preview',
      {
        config: { access: staff },
        schema: {
          tags: ['purchasing'],
          operationId: 'previewPurchaseOrderLineChange',
          summary: 'Preview a line change: who is re-promised, which messages go out',
          description:
            'Takes the body PATCH /v1/purchase-orders/{id}/lines/{line} takes and answers what that change would do, changing nothing: the line before and after, and every waiting customer order line whose promise moves, with its old and new date, the customer (contact masked) and the message they would get (kind, subject, first lines). Refuses what the change refuses, with the same errors.',
          params: LineParams,
          body: UpdateLineBody,
          response: { 200: LineChangePreview, ...errorResponses },
        },
      },
      async (request) =>
        previewLineChange(
          ctx,
          request.params.id,
          request.params.line,
          request.body,
          request.principal!.actor,
          options.render,
        ),
    );
  };
