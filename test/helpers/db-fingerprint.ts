import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../src/kernel/context.js';

/**
 * The tables a refused request must leave alone: stock and its ledger, transfers, orders
 * and their promises, purchasing and supply, customers and what is sent to them. API keys
 * are left out (authentication may note when a key was last used).
 */
const TABLES = [
  'items',
  'item_tags',
  'locations',
  'channels',
  'channel_locations',
  'stock',
  'stock_ledger',
  'transfers',
  'transfer_receipts',
  'suppliers',
  'supplier_items',
  'purchase_orders',
  'purchase_order_lines',
  'purchase_order_changes',
  'receipts',
  'receipt_lines',
  'domain_events',
  'customers',
  'orders',
  'order_lines',
  'allocations',
  'backorder_pegs',
  'item_promises',
  'promise_changes',
  'lost_demand',
  'idempotency_keys',
  'fulfilments',
  'fulfilment_lines',
  'order_returns',
  'supplier_returns',
  'holds',
  'hold_lines',
  'item_links',
  'outbox_messages',
  'message_templates',
  'webhooks',
  'subscriptions',
  'staff_alerts',
  'staff_users',
  'staff_sessions',
] as const;

/**
 * A hash of every row of those tables (rows sorted, so the order a database returns them
 * in does not matter). Equal before and after a request: the request changed nothing.
 */
export async function databaseFingerprint(ctx: AppContext): Promise<string> {
  const hash = createHash('sha256');
  for (const [table, tableHash] of Object.entries(await tableFingerprints(ctx)))
    hash.update(`${table}:${tableHash}\n`);
  return hash.digest('hex');
}

/** One hash per table, to tell which tables a request changed. */
export async function tableFingerprints(ctx: AppContext): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const table of TABLES) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(
      ctx.db,
    );
    const lines = rows.map((row) => JSON.stringify(row)).sort();
    hashes[table] = createHash('sha256').update(lines.join('\n')).digest('hex');
  }
  return hashes;
}

/** The tables whose rows differ between two fingerprints. */
export function changedTables(before: Record<string, string>, after: Record<string, string>) {
  return Object.keys(after).filter((table) => before[table] !== after[table]);
}
