import { availableAt } from '../domain/availability.js';
import { planAllocation } from '../domain/promising.js';
import type { AppContext } from '../kernel/context.js';
import { releaseLapsedHoldsOn } from '../kernel/holds/release-holds.js';
import { ConflictError, InsufficientStockError } from '../shared/errors.js';
import { lockOrderLines, requireLines } from './locked-order.js';
import { channelOfOrder, editOrder, type OrderEdit, recordLineChange } from './order-edit.js';
import { uncancelOnLine } from './order-edits.repository.js';
import type { UncancelBody } from './order-edits.schemas.js';
import type { Order } from './orders.schemas.js';
import { reserveForLine } from './reallocation.js';
import { lockStockPicture } from './stock-picture.repository.js';

/**
 * Cancelled units of a line come back, reserved: from the channel's free stock in priority
 * order, as placing takes stock. Reserve-only by rule: an uncancel never backorders, so
 * when fewer units are free than asked it is refused (409 INSUFFICIENT_STOCK) and nothing
 * changes; the customer can order again to wait in the queue from now.
 */
export async function uncancelLine(
  ctx: AppContext,
  edit: OrderEdit,
  lineNo: number,
  input: UncancelBody,
): Promise<Order> {
  const channel = await channelOfOrder(ctx, edit.id, edit.scope);
  return editOrder(ctx, edit, async ({ trx, now }) => {
    const lines = await lockOrderLines(trx, edit.id, edit.scope);
    requireLines(edit.id, lines, [lineNo]);
    const line = lines.find((l) => l.line_no === lineNo)!;
    const cancelled = line.quantity_cancelled;
    const quantity = input.quantity ?? cancelled;
    if (cancelled === 0 || quantity > cancelled) {
      throw new ConflictError(
        cancelled === 0 ? 'NOTHING_CANCELLED' : 'UNCANCEL_EXCEEDS_CANCELLED',
        `Line ${lineNo} has ${cancelled} cancelled; cannot take back ${quantity}`,
        { id: edit.id, line: lineNo, cancelled, quantity },
      );
    }
    const locationIds = channel.locations.map((l) => l.locationId);
    await releaseLapsedHoldsOn(trx, { itemIds: [line.item_id], locationIds }, now);
    const picture = await lockStockPicture(trx, [line.sku], locationIds, now);
    const locations = channel.locations.map((l) => {
      const row = picture.stockRows.find((r) => r.location_id === l.locationId);
      const free = row
        ? availableAt({
            location: l.code,
            onHand: row.on_hand,
            reserved: row.reserved,
            safetyStock: row.safety_stock,
          })
        : 0;
      return { locationId: l.locationId, available: free };
    });
    const plan = planAllocation(locations, quantity);
    if (plan.shortfall > 0) {
      const available = quantity - plan.shortfall;
      throw new InsufficientStockError(
        `Only ${available} of ${line.sku} free on channel ${channel.code}; cannot take back ${quantity} cancelled`,
        { id: edit.id, line: lineNo, sku: line.sku, available, quantity },
      );
    }
    const takes = [...plan.takes].sort((a, b) => a.locationId - b.locationId);
    for (const take of takes) {
      // The rows were read locked: a refusal here is a broken invariant, not a race.
      if (!(await reserveForLine(trx, line, take.locationId, take.quantity, now))) {
        throw new Error(`Stock of ${line.sku} at ${take.locationId} moved under its lock`);
      }
    }
    // A preorder with nothing waiting ships on its release date again, as when placed.
    const releaseDate =
      line.preorder === 1 && line.quantity_backordered === 0 ? line.release_date : null;
    const promise =
      releaseDate === null ? undefined : { date: releaseDate, confidence: 'confirmed' as const };
    if (!(await uncancelOnLine(trx, line.id, quantity, promise, now))) {
      throw new Error(`Line ${line.id} lost cancelled units under the order lock`);
    }
    const codes = new Map(channel.locations.map((l) => [l.locationId, l.code]));
    await recordLineChange(
      trx,
      edit,
      line,
      'uncancelled',
      {
        quantity,
        allocations: takes.map((t) => ({
          location: codes.get(t.locationId),
          quantity: t.quantity,
        })),
      },
      now,
    );
  });
}
