import { requireItem } from '../catalogue/items.service.js';
import { requireLocation } from '../catalogue/locations.service.js';
import type { AppContext } from '../kernel/context.js';
import { decodeCursor, type Page, toPage } from '../shared/cursor.js';
import { requireTransfer, toTransferDocument } from './transfer-document.js';
import * as repo from './transfers.repository.js';
import type { ListTransfersQuery, TransferDocument } from './transfers.schemas.js';

/**
 * Two-step transfers (DESIGN section 6): units leave the source when dispatched, travel
 * (counted as incoming at the destination until they arrive), and are received at the
 * destination, in one or several receipts. Each step is one transaction that moves
 * on_hand through postMovement and writes a domain event beside it; each has its file,
 * re-exported here for callers written against this module. Reads are here.
 */
export { dispatchTransfer } from './dispatch-transfer.js';
export { receiveTransfer } from './receive-transfer.js';
export { rescheduleTransfer } from './reschedule-transfer.js';
export { toTransferDocument } from './transfer-document.js';

export async function getTransfer(ctx: AppContext, id: number): Promise<TransferDocument> {
  return toTransferDocument(await requireTransfer(ctx.db, id));
}

export async function listTransfers(
  ctx: AppContext,
  query: ListTransfersQuery,
): Promise<Page<TransferDocument>> {
  const [afterId = 0] = decodeCursor(query.cursor);
  const [item, location] = await Promise.all([
    query.sku === undefined ? undefined : requireItem(ctx.db, query.sku),
    query.location === undefined ? undefined : requireLocation(ctx.db, query.location),
  ]);
  const rows = await repo.listTransfers(ctx.db, {
    afterId,
    limit: query.limit + 1,
    ...(query.state !== undefined && { state: query.state }),
    ...(item && { itemId: item.id }),
    ...(location && { locationId: location.id }),
  });
  return toPage(rows, query.limit, toTransferDocument, (row) => [row.id]);
}
