import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { findUnstorableStrings, lineAt } from '../shared/text.js';

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
  refusingUnstorableText((httpPart === 'body' ? bodyAjv : textAjv).compile(schema));

type Validator = ((data: unknown, dataContext?: unknown) => boolean) & {
  errors?: ErrorObject[] | null;
  schemaEnv?: unknown;
};

/**
 * Every validated part of every request (body, query, params, headers) is first walked
 * for text no database can store — U+0000 and lone surrogates — so each route refuses it
 * with the same 400 VALIDATION_FAILED on SQLite and PostgreSQL, without a schema keyword
 * on each string. A text body (a CSV file) is told the line the character is on.
 */
function refusingUnstorableText(validate: ValidateFunction): Validator {
  const validator: Validator = (data, dataContext) => {
    const found = findUnstorableStrings(data);
    if (found.length > 0) {
      validator.errors = found.map((bad) => {
        const line = typeof data === 'string' ? lineAt(data, bad.index) : undefined;
        const where = bad.inPropertyName ? 'has a property name containing' : 'contains';
        return {
          keyword: 'storableText',
          instancePath: bad.path,
          schemaPath: '#',
          params: line === undefined ? {} : { line },
          message: `${where} ${bad.what}${line === undefined ? '' : ` on line ${line}`}, which cannot be stored`,
        };
      });
      return false;
    }
    // Ajv coerces or defaults a root value only through its parent, which Fastify passes.
    const valid = (validate as Validator)(data, dataContext);
    validator.errors = validate.errors;
    return valid;
  };
  validator.schemaEnv = validate.schemaEnv;
  return validator;
}
