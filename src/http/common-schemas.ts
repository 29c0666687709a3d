import { type TSchema, Type } from 'typebox';

/** Schemas shared by several capabilities' routes. */

export const Sku = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$',
  description: 'Stock-keeping unit: letters, digits, ".", "_" or "-", up to 64 characters',
  examples: ['KET-01'],
});

export const Code = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$',
  description: 'Business code: letters, digits, ".", "_" or "-", up to 32 characters',
  examples: ['W1'],
});

export const Name = Type.String({ minLength: 1, maxLength: 200 });

/**
 * Dates and times are bounded to the years 1900–2999: nothing in stock keeping is earlier
 * or later, and a bound keeps date arithmetic on either database far from its limits.
 */
const YEARS_1900_TO_2999 = '^(19[0-9]{2}|2[0-9]{3})-';
export const Timestamp = Type.String({
  format: 'date-time',
  pattern: YEARS_1900_TO_2999,
  maxLength: 40,
});
/** Incremental sync: only rows changed at or after this instant, in (updatedAt, key) order. */
export const UpdatedSince = Type.String({
  format: 'date-time',
  pattern: YEARS_1900_TO_2999,
  maxLength: 40,
  description:
    'RFC 3339 date-time, e.g. 2026-12-01T09:00:00Z: only rows changed at or after it, ordered by updatedAt, then key; page with nextCursor as usual',
  examples: ['2026-12-01T09:00:00Z'],
});
export const IsoDate = Type.String({
  format: 'date',
  pattern: YEARS_1900_TO_2999,
  examples: ['2026-12-01'],
});
/** A date a client sends, for schemas that describe it in their own words. */
export const InputDate = (options: { description?: string; examples?: string[] } = {}) =>
  Type.String({
    format: 'date',
    pattern: YEARS_1900_TO_2999,
    examples: ['2026-12-01'],
    ...options,
  });

/**
 * A surrogate key: identity columns are bigint on PostgreSQL and 64-bit rowids on SQLite;
 * ids stay within what a JSON number holds exactly, so 1e308 or 99999999999999999999999
 * is a 400 on both databases instead of an out-of-range error from PostgreSQL.
 */
export const Id = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
export const IdParams = Type.Object({ id: Id });

/**
 * Quantities and counts fit PostgreSQL's 32-bit `integer` columns (2^31−1) with room for
 * the sums the ledger keeps, so a stock level never overflows its column.
 */
export const MAX_QUANTITY = 1_000_000_000;
export const NonNegativeInt = Type.Integer({ minimum: 0, maximum: MAX_QUANTITY });
export const PositiveInt = Type.Integer({ minimum: 1, maximum: MAX_QUANTITY });
/** A line's number within its document, from 1 (documents hold far fewer lines). */
export const LineNumber = Type.Integer({ minimum: 1, maximum: 10_000 });

export const Limit = Type.Integer({
  minimum: 1,
  maximum: 1000,
  default: 100,
  description: 'Page size',
});
export const Cursor = Type.String({
  maxLength: 200,
  description: 'The nextCursor of the previous page',
});

export const PageOf = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()], {
      description: 'Pass as `cursor` for the next page; null on the last page',
    }),
  });

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ examples: ['VALIDATION_FAILED'] }),
      message: Type.String(),
      details: Type.Object({}, { additionalProperties: true }),
      requestId: Type.String(),
    }),
  },
  { $id: 'ErrorResponse', description: 'Every failure has this shape' },
);

const errorRef = Type.Ref('ErrorResponse');

/** Responses every authenticated route can give, for the OpenAPI document. */
export const errorResponses = {
  400: errorRef,
  401: errorRef,
  403: errorRef,
  404: errorRef,
  409: errorRef,
};
