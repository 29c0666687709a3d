import type { ChannelScope } from '../access/channel-scope.js';
import type { AppContext } from '../kernel/context.js';
import { NotFoundError } from '../shared/errors.js';
import { findOrder } from './orders.repository.js';
import { type OrderReturnRow, orderReturnsOf } from './returns.repository.js';
import type { OrderReturn, OrderReturnList } from './returns.schemas.js';

export function toOrderReturn(row: OrderReturnRow): OrderReturn {
  return {
    id: row.id,
    orderId: row.order_id,
    line: row.line_no,
    sku: row.sku,
    quantity: row.quantity,
    location: row.location,
    disposition: row.disposition,
    reason: row.reason,
    actor: row.actor,
    createdAt: row.created_at,
  };
}

/** An order's returns, oldest first; another channel's order is a 404 for a channel key. */
export async function listOrderReturns(
  ctx: AppContext,
  id: number,
  scope: ChannelScope,
): Promise<OrderReturnList> {
  if (!(await findOrder(ctx.db, id, scope))) {
    throw new NotFoundError('ORDER_NOT_FOUND', `No order ${id}`, { id });
  }
  return { items: (await orderReturnsOf(ctx.db, id)).map(toOrderReturn) };
}
