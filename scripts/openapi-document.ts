import { buildApp } from '../src/app/build-app.js';
import { openDatabase } from '../src/db/database.js';
import { systemClock } from '../src/shared/clock.js';

/**
 * The OpenAPI document exactly as the app serves it at /openapi.json. It depends on the
 * routes and schemas only, never on data, so an empty in-memory SQLite database will do.
 */
export async function servedOpenApiDocument(): Promise<Record<string, unknown>> {
  const database = openDatabase('file::memory:');
  const app = await buildApp({ db: database.db, dbKind: database.kind, clock: systemClock });
  try {
    const response = await app.inject({ method: 'GET', url: '/openapi.json' });
    if (response.statusCode !== 200) {
      throw new Error(`/openapi.json answered ${response.statusCode}: ${response.body}`);
    }
    return response.json();
  } finally {
    await app.close();
    await database.close();
  }
}
