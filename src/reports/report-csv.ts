import { stringify } from 'csv-stringify/sync';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TObject } from 'typebox';

/**
 * CSV is asked for with `format=csv`, or by an Accept header that names text/csv (an
 * explicit `format=json` wins, so a browser link can always get JSON).
 */
export function wantsCsv(request: FastifyRequest, format: 'json' | 'csv' | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  const accept = request.headers.accept ?? '';
  return accept.split(',').some((part) => part.split(';')[0]?.trim().toLowerCase() === 'text/csv');
}

/** The rows as CSV, columns in the order of the row schema, nulls as empty cells. */
export function rowsToCsv(rowSchema: TObject, rows: readonly Record<string, unknown>[]): string {
  const columns = Object.keys(rowSchema.properties);
  return stringify(
    rows.map((row) => columns.map((c) => row[c] ?? '')),
    { header: true, columns, cast: { boolean: (value: boolean) => String(value) } },
  );
}

/** Sends a report as JSON, or its rows as a CSV attachment named after it. */
export function sendReport(
  request: FastifyRequest,
  reply: FastifyReply,
  options: { name: string; format: 'json' | 'csv' | undefined; rowSchema: TObject },
  report: { rows: readonly Record<string, unknown>[] },
) {
  if (!wantsCsv(request, options.format)) return reply.send(report);
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${options.name}.csv"`)
    .send(rowsToCsv(options.rowSchema, report.rows));
}

/** The 200 response of a report in both forms, for the OpenAPI document. */
export const reportResponse = (schema: TObject, name: string) => ({
  description: `The ${name} report as JSON, or its rows as CSV (header row, same fields)`,
  content: {
    'application/json': { schema },
    'text/csv': { schema: { type: 'string' } },
  },
});
