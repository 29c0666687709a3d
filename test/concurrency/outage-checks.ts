import assert from 'node:assert/strict';
import { auditLedger } from '../../src/inventory/stock.service.js';
import type { AppContext } from '../../src/kernel/context.js';
import { placeOrder, type Sent } from './load.js';

/**
 * After an outage (connections lost, a process killed): every order the API acknowledged
 * with a 201 is in the database, sending the same request again with the same
 * Idempotency-Key replays that order, and the stock ledger audits clean.
 */
export async function assertAcknowledgedOrdersKept(
  ctx: AppContext,
  url: string,
  adminKey: string,
  sent: readonly Sent[],
): Promise<void> {
  const acknowledged = sent.filter((s) => s.status === 201);
  assert.ok(acknowledged.length > 0, 'some orders were acknowledged');
  const ids = acknowledged.map((s) => s.orderId!);
  const stored = await ctx.db.selectFrom('orders').select('id').where('id', 'in', ids).execute();
  assert.equal(stored.length, new Set(ids).size, 'every acknowledged order is stored');

  for (const s of acknowledged) {
    const response = await placeOrder(url, adminKey, s.key, s.body);
    const body = (await response.json()) as { id?: number };
    assert.ok(response.status === 200 || response.status === 201, JSON.stringify(body));
    assert.equal(response.headers.get('idempotent-replayed'), 'true', s.key);
    assert.equal(body.id, s.orderId, `${s.key} replays the order it acknowledged`);
  }

  const audit = await auditLedger(ctx);
  assert.deepEqual(audit.drift, []);
  assert.ok(audit.ok);
}
