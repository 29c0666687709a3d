interface Parameter {
  in?: string;
  required?: boolean;
  schema?: { default?: unknown };
}

/**
 * A query parameter with a default is optional for the caller: validation fills the default
 * in. Our TypeBox query schemas list such properties as required, so that handlers always
 * see a value, and @fastify/swagger copies that into the document, which would make every
 * generated client send `limit` or `quantity`. This puts the caller's view back.
 */
export function optionalDefaultedQueryParameters<T extends { paths?: object }>(document: T): T {
  for (const pathItem of Object.values(document.paths ?? {}) as Record<string, unknown>[]) {
    for (const operation of Object.values(pathItem ?? {})) {
      const parameters = (operation as { parameters?: Parameter[] } | null)?.parameters;
      for (const parameter of Array.isArray(parameters) ? parameters : []) {
        if (parameter.in === 'query' && parameter.schema?.default !== undefined) {
          parameter.required = false;
        }
      }
    }
  }
  return document;
}
