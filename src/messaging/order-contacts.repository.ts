import type { Db } from '../db/schema.js';
import type { OrderContact } from '../domain/customer-messages.js';

/** Orders with the channel and customer a message about them needs. SQL only. */
export async function orderContacts(
  db: Db,
  orderIds: readonly number[],
): Promise<Map<number, OrderContact>> {
  const found = new Map<number, OrderContact>();
  // Chunked: an event batch may touch more orders than a statement takes parameters.
  for (let i = 0; i < orderIds.length; i += 500) {
    const rows = await db
      .selectFrom('orders as o')
      .innerJoin('channels as ch', 'ch.id', 'o.channel_id')
      .leftJoin('customers as c', 'c.id', 'o.customer_id')
      .select([
        'o.id',
        'o.reference',
        'ch.code as channel',
        'ch.kind as channelKind',
        'c.id as customerId',
        'c.name',
        'c.email',
        'c.phone',
        'c.preferred_channel as preferredChannel',
      ])
      .where('o.id', 'in', orderIds.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      found.set(Number(r.id), {
        orderId: Number(r.id),
        reference: r.reference,
        channel: r.channel,
        channelKind: r.channelKind,
        customer:
          r.customerId === null
            ? null
            : {
                id: Number(r.customerId),
                name: r.name!,
                email: r.email,
                phone: r.phone,
                preferredChannel: r.preferredChannel!,
              },
      });
    }
  }
  return found;
}
