import type { Db } from '../db/schema.js';
import { holdStateAt } from '../domain/holds.js';
import {
  findHold,
  type HoldLineRow,
  type HoldRow,
  linesOfHold,
} from '../kernel/holds/holds.repository.js';
import { NotFoundError } from '../shared/errors.js';
import type { Hold } from './holds.schemas.js';

/** A hold as the API shows it: its state at `now`, and each line with where it is held. */
export function toHold(row: HoldRow, lines: readonly HoldLineRow[], now: string): Hold {
  const byLine = new Map<number, Hold['lines'][number]>();
  for (const l of lines) {
    const line = byLine.get(l.line_no) ?? {
      line: l.line_no,
      sku: l.sku,
      quantity: 0,
      locations: [],
    };
    line.quantity += l.quantity;
    line.locations.push({ location: l.location, quantity: l.quantity });
    byLine.set(l.line_no, line);
  }
  return {
    id: row.id,
    channel: row.channel,
    reference: row.reference,
    status: holdStateAt(row.status, row.expires_at, now),
    expiresAt: row.expires_at,
    orderId: row.order_id,
    lines: [...byLine.values()],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function loadHold(
  db: Db,
  id: number,
  scope: { channelId: number } | null,
  now: string,
): Promise<Hold> {
  const row = await findHold(db, id, scope);
  if (!row) throw new NotFoundError('HOLD_NOT_FOUND', `No hold with id ${id}`, { id });
  return toHold(row, await linesOfHold(db, id), now);
}
