/**
 * Typed calls to the Stockroom API with nothing but fetch and the generated types in
 * ./stockroom-api.ts: a changed route or schema shows up here as a type error (tsc checks
 * this file), and test/routes/openapi-client.test.ts runs these calls against a server.
 *
 *   node --import tsx clients/example.ts http://127.0.0.1:3000 <API key> [sku]
 */
import { pathToFileURL } from 'node:url';
import type { components, operations } from './stockroom-api.js';

type Json<R> = R extends { content: { 'application/json': infer Body } } ? Body : never;

export type Item = components['schemas']['Item'];
export type NewItem = operations['createItem']['requestBody']['content']['application/json'];
export type ItemPage = Json<operations['listItems']['responses'][200]>;
export type ListItemsQuery = NonNullable<operations['listItems']['parameters']['query']>;
export type Availability = Json<operations['getItemAvailability']['responses'][200]>;
export type AvailabilityQuery = operations['getItemAvailability']['parameters']['query'];
export type ErrorBody = components['schemas']['ErrorResponse'];

export interface Stockroom {
  baseUrl: string;
  apiKey: string;
}

/** Any refusal: the HTTP status with the API's error document. */
export class StockroomError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(`${status} ${body.error.code}: ${body.error.message}`);
  }
}

async function call<T>(
  api: Stockroom,
  method: string,
  path: string,
  options: { query?: Record<string, string | number | boolean | undefined>; body?: unknown } = {},
): Promise<T> {
  const url = new URL(path, api.baseUrl);
  for (const [name, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${api.apiKey}`,
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const body: unknown = await response.json();
  if (!response.ok) throw new StockroomError(response.status, body as ErrorBody);
  return body as T;
}

export const createItem = (api: Stockroom, item: NewItem) =>
  call<Item>(api, 'POST', '/v1/items', { body: item });

export const listItems = (api: Stockroom, query: ListItemsQuery = {}) =>
  call<ItemPage>(api, 'GET', '/v1/items', { query });

export const getItemAvailability = (api: Stockroom, sku: string, query: AvailabilityQuery) =>
  call<Availability>(api, 'GET', `/v1/availability/${encodeURIComponent(sku)}`, { query });

async function main([baseUrl, apiKey, sku]: string[]): Promise<void> {
  if (!baseUrl || !apiKey) throw new Error('usage: clients/example.ts BASE_URL API_KEY [SKU]');
  const api = { baseUrl, apiKey };
  const page = await listItems(api, { limit: 5 });
  for (const item of page.items) console.log(`${item.sku}\t${item.name}`);
  const first = sku ?? page.items[0]?.sku;
  if (first) {
    const answer = await getItemAvailability(api, first, { quantity: 1 });
    console.log(`${first}: ${answer.state}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
}
