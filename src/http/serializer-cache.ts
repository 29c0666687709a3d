import { createHash } from 'node:crypto';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

type Factory = ReturnType<typeof SerializerSelector>;
type Serialize = (data: unknown) => string;

/**
 * Fastify compiles a response serializer (fast-json-stringify) for every route and status
 * when an app starts: about a second and a half for this API, most of its start-up. The
 * tests start an app per test, so the same schemas were compiled thousands of times. The
 * compiled function depends only on the response schema and the shared schemas it may
 * reference, so it is kept per process under a digest of both.
 */
const compiled = new Map<string, Serialize>();
const defaultFactory: Factory = SerializerSelector();

export const cachingSerializerFactory: Factory = (externalSchemas, serializerOptions) => {
  const compile = defaultFactory(externalSchemas, serializerOptions);
  const context = digest(JSON.stringify([externalSchemas, serializerOptions ?? null]));
  return (route) => {
    const key = `${context}:${digest(JSON.stringify(route.schema))}`;
    let serialize = compiled.get(key);
    if (!serialize) {
      serialize = compile(route) as Serialize;
      compiled.set(key, serialize);
    }
    return serialize;
  };
};

function digest(text: string): string {
  return createHash('sha1').update(text).digest('base64url');
}
