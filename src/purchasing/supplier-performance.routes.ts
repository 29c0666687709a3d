import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../http/common-schemas.js';
import type { AppContext } from '../kernel/context.js';
import * as performance from './supplier-performance.service.js';
import { SupplierParams } from './suppliers.schemas.js';

const staff = ['admin', 'staff'] as const;
const tags = ['suppliers'];

export const supplierPerformanceRoutes =
  (ctx: AppContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/v1/suppliers/:code/performance',
      {
        config: { access: staff },
        schema: {
          tags,
          operationId: 'getSupplierPerformance',
          summary: 'How a supplier has performed: lead time, on-time rate, fill rate',
          description:
            'Measured over the lines of every purchase order sent to the supplier, overall and per item. On time means delivered in full by the first promised date.',
          params: SupplierParams,
          response: { 200: { $ref: 'SupplierPerformance' }, ...errorResponses },
        },
      },
      async (request) => performance.getSupplierPerformance(ctx, request.params.code),
    );
  };
