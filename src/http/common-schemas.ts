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

export const Timestamp = Type.String({ format: 'date-time' });
export const IsoDate = Type.String({ format: 'date', examples: ['2026-12-01'] });

export const NonNegativeInt = Type.Integer({ minimum: 0, maximum: 1_000_000_000 });
export const PositiveInt = Type.Integer({ minimum: 1, maximum: 1_000_000_000 });

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
