import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

/**
 * Two validators. Query strings, path parameters and headers arrive as text, so they
 * are coerced ("5" → 5). Bodies are JSON and must already have the right types: a client
 * that sends "5" for a quantity has a bug we should report, not paper over. Neither
 * strips unknown properties: a misspelt field is a 400, never silently ignored.
 */
const shared: Options = {
  allErrors: true,
  removeAdditional: false,
  useDefaults: true,
  strict: false,
  // Money is validated with multipleOf 0.01; without this 0.07 fails on float rounding.
  multipleOfPrecision: 8,
};

function makeAjv(options: Options): Ajv {
  const ajv = new Ajv({ ...shared, ...options });
  // ajv-formats ships CommonJS with a default export that NodeNext sees as a namespace.
  (addFormats as unknown as typeof addFormats.default)(ajv);
  return ajv;
}

const bodyAjv = makeAjv({ coerceTypes: false });
const textAjv = makeAjv({ coerceTypes: 'array' });

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? bodyAjv : textAjv).compile(schema);
