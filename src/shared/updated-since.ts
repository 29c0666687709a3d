import { BadRequestError } from './errors.js';

/**
 * Incremental sync listings (`updatedSince`) run in (updated_at, key…) order. Their cursor
 * carries the last row's updated_at verbatim, not as a number, so it compares with the
 * stored text exactly as the row did; a cursor of an id-ordered listing is refused.
 */
export interface ChangedAfter {
  updatedAt: string;
  key: number[];
}

export function encodeChangedCursor(updatedAt: string, ...key: number[]): string {
  return Buffer.from(`u:${updatedAt}|${key.join(':')}`).toString('base64url');
}

export function decodeChangedCursor(
  cursor: string | undefined,
  parts: number,
): ChangedAfter | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^u:([0-9T:.+Z-]{10,40})\|(\d{1,15}(?::\d{1,15})*)$/.exec(text);
  const key = match?.[2]?.split(':').map(Number);
  if (!match || !key || key.length !== parts) {
    throw new BadRequestError(
      'INVALID_CURSOR',
      'The cursor is not one this API issued for an updatedSince listing',
      { cursor },
    );
  }
  return { updatedAt: match[1]!, key };
}

/**
 * `updatedSince` as stored timestamps are written (UTC, milliseconds, `Z`), so that a
 * text comparison orders it with them. The schema has already checked it is RFC 3339.
 */
export function normaliseSince(value: string): string {
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) {
    throw new BadRequestError('INVALID_TIMESTAMP', `updatedSince ${value} is not a date-time`, {
      updatedSince: value,
    });
  }
  return at.toISOString();
}
