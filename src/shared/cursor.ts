import { BadRequestError } from './errors.js';

/**
 * Opaque pagination cursors. Lists are ordered by internal keys; the cursor is the last
 * key seen, base64url-encoded so that clients treat it as a token, not arithmetic on ids.
 */
export function encodeCursor(...key: number[]): string {
  return Buffer.from(`k:${key.join(':')}`).toString('base64url');
}

/** Decodes a cursor made of `parts` numbers; no cursor means "from the start" (zeros). */
export function decodeCursor(cursor: string | undefined, parts = 1): number[] {
  if (cursor === undefined || cursor === '') return new Array<number>(parts).fill(0);
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^k:(\d{1,15}(?::\d{1,15})*)$/.exec(text);
  const key = match?.[1]?.split(':').map(Number);
  if (!key || key.length !== parts) {
    throw new BadRequestError('INVALID_CURSOR', 'The cursor is not one this API issued', {
      cursor,
    });
  }
  return key;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Rows were fetched with limit + 1, so one extra row means another page exists. */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  map: (row: R) => T,
  keyOf: (row: R) => number[],
): Page<T> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return {
    items: pageRows.map(map),
    nextCursor: hasMore && last !== undefined ? encodeCursor(...keyOf(last)) : null,
  };
}
