import { type Compilable, type CompiledQuery, PostgresAdapter } from 'kysely';
import type { Db } from './schema.js';

type Slot = readonly [key: string, index: number] | undefined;
type Params = Record<string, string | number | readonly (string | number)[]>;

/** Stands for a parameter while the query is built once; never reaches a database. */
const SENTINEL = '\u0000stockroom-param:';

/**
 * A query built and compiled once per shape (dialect and list lengths), then run with
 * new values: on a look-up the query builder costs more than SQLite takes to answer
 * (building, then compiling, a dozen-clause SELECT is tens of microseconds). The query is
 * built with stand-in values, and each stand-in's place among the compiled parameters is
 * remembered; every value must therefore reach the SQL as a bound parameter (a `where`,
 * an `in` list), which building checks: a value the builder inlined or dropped is an error.
 * The SQL still comes from the builder, so it stays in the repository that owns it.
 */
export function preparedQuery<P extends Params, R>(
  build: (db: Db, params: P) => Compilable<R>,
): (db: Db, params: P) => Promise<R[]> {
  const compiled = new Map<string, { query: CompiledQuery<R>; slots: Slot[] }>();
  return async (db, params) => {
    const shape = shapeOf(db, params);
    let entry = compiled.get(shape);
    if (!entry) {
      entry = compileWithStandIns(db, params, build);
      compiled.set(shape, entry);
    }
    const values = entry.query.parameters.map((constant, i) => {
      const slot = entry.slots[i];
      if (!slot) return constant;
      const value = params[slot[0]]!;
      return Array.isArray(value) ? value[slot[1]] : value;
    });
    const result = await db.executeQuery<R>({ ...entry.query, parameters: values });
    return result.rows;
  };
}

function shapeOf(db: Db, params: Params): string {
  let shape = db.getExecutor().adapter instanceof PostgresAdapter ? 'pg' : 'sqlite';
  for (const key in params) {
    const value = params[key];
    if (Array.isArray(value)) shape += `|${key}:${value.length}`;
  }
  return shape;
}

function compileWithStandIns<P extends Params, R>(
  db: Db,
  params: P,
  build: (db: Db, params: P) => Compilable<R>,
) {
  const standIns: Params = {};
  for (const [key, value] of Object.entries(params)) {
    standIns[key] = Array.isArray(value)
      ? value.map((_, i) => `${SENTINEL}${key}:${i}`)
      : `${SENTINEL}${key}:-1`;
  }
  const query = build(db, standIns as P).compile();
  const slots = query.parameters.map((p): Slot => {
    if (typeof p !== 'string' || !p.startsWith(SENTINEL)) return undefined;
    const [key, index] = p.slice(SENTINEL.length).split(':') as [string, string];
    return [key, Number(index)] as const;
  });
  const used = new Set(slots.flatMap((s) => (s ? [`${s[0]}:${s[1]}`] : [])));
  for (const [key, value] of Object.entries(params)) {
    const count = Array.isArray(value) ? value.length : 1;
    for (let i = 0; i < count; i++) {
      if (!used.has(`${key}:${Array.isArray(value) ? i : -1}`)) {
        throw new Error(`preparedQuery: ${key} is not a bound parameter of the query`);
      }
    }
  }
  if (query.sql.includes(SENTINEL)) throw new Error('preparedQuery: a value was inlined');
  return { query, slots };
}
