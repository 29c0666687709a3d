import { sql } from 'kysely';

/**
 * `stock.reserved` less the units of holds that have expired but are not released yet
 * (src/kernel/holds/): reads that answer "what is free" must not count them, whether or not
 * the sweep has run. Unless customers wait for the item: lapsed units, like cancelled
 * ones, fill waiting lines first, which only the sweep does (it takes the queue's locks),
 * so until it runs they are for nobody else. One look-up on the partial index hold_lines_stock_idx per stock row,
 * which finds nothing unless holds have lapsed there, so the statement count of a read
 * stays what it was. Shared by availability and the orders' stock picture, so every read
 * agrees.
 */
export function reservedLessExpiredHolds(now: string) {
  return sql<number>`cast(stock.reserved - coalesce((select sum(hold_lines.held) from hold_lines
    where hold_lines.item_id = stock.item_id and hold_lines.location_id = stock.location_id
      and hold_lines.held > 0 and hold_lines.expires_at <= ${now}
      and ${noneWaitingFor(sql.ref('stock.item_id'))}), 0) as integer)`;
}

/** No order line of the item has units waiting (order_lines_item_idx). */
export function noneWaitingFor(itemId: ReturnType<typeof sql.ref>) {
  return sql<boolean>`not exists (select 1 from order_lines
    where order_lines.item_id = ${itemId} and order_lines.quantity_backordered > 0)`;
}
