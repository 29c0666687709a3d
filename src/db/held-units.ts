import { sql } from 'kysely';

/**
 * `stock.reserved` less the units of holds that have expired but are not released yet
 * (src/kernel/holds/): reads that answer "what is free" must not count them, whether or not
 * the sweep has run. One look-up on the partial index hold_lines_stock_idx per stock row,
 * which finds nothing unless holds have lapsed there, so the statement count of a read
 * stays what it was. Shared by availability and the orders' stock picture, so every read
 * agrees.
 */
export function reservedLessExpiredHolds(now: string) {
  return sql<number>`cast(stock.reserved - coalesce((select sum(hold_lines.held) from hold_lines
    where hold_lines.item_id = stock.item_id and hold_lines.location_id = stock.location_id
      and hold_lines.held > 0 and hold_lines.expires_at <= ${now}), 0) as integer)`;
}
