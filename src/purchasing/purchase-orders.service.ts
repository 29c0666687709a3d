import { findItemIdsBySku } from '../catalogue/items.repository.js';
import { requireItem } from '../catalogue/items.service.js';
import { requireLocation } from '../catalogue/locations.service.js';
import { isUniqueViolation } from '../db/errors.js';
import type { Db } from '../db/schema.js';
import {
  nextState,
  type PurchaseOrderAction,
  type PurchaseOrderState,
  RECEIVABLE_STATES,
  stateAfterLines,
  statesAllowing,
} from '../domain/purchase-order-lifecycle.js';
import { openQuantity } from '../domain/supply.js';
import { lockItems } from '../kernel/backorders/promise.repository.js';
import { fillFromArrival, replanItems } from '../kernel/backorders/promise-queue.js';
import type { Actor, AppContext } from '../kernel/context.js';
import { recordEvent } from '../kernel/events/domain-events.js';
import {
  type IdempotentRequest,
  transactionWithAnswer,
} from '../kernel/idempotency/idempotency.service.js';
import { postMovement } from '../kernel/ledger/movement.js';
import { decodeCursor, type Page, toPage } from '../shared/cursor.js';
import { addDays, isoDate } from '../shared/dates.js';
import { BadRequestError, ConflictError, NotFoundError } from '../shared/errors.js';
import { fromCents, toCents } from '../shared/money.js';
import type { LineRow, PurchaseOrderRow } from './purchase-orders.repository.js';
import * as repo from './purchase-orders.repository.js';
import type {
  Change,
  CreatePurchaseOrderBody,
  ListPurchaseOrdersQuery,
  NewLineBody,
  PurchaseOrder,
  PurchaseOrderLine,
  Receipt,
  ReceiptBody,
  UpdateLineBody,
} from './purchase-orders.schemas.js';
import { leadTimeFor, requireSupplier, unitCostFor } from './suppliers.service.js';

function toLine(row: LineRow): PurchaseOrderLine {
  return {
    id: row.id,
    sku: row.sku,
    quantity: row.quantity_ordered,
    received: row.quantity_received,
    cancelled: row.quantity_cancelled,
    open: openLine(row),
    overReceived: row.quantity_received > row.quantity_ordered,
    unitCost: fromCents(row.unit_cost_cents),
    expectedDate: row.expected_date,
    firstExpectedDate: row.first_expected_date,
    confidence: row.confidence,
    completedAt: row.completed_at,
  };
}

const openLine = (row: LineRow) =>
  openQuantity({
    ordered: row.quantity_ordered,
    received: row.quantity_received,
    cancelled: row.quantity_cancelled,
  });

function toPurchaseOrder(row: PurchaseOrderRow, lines: LineRow[]): PurchaseOrder {
  const mapped = lines.map(toLine);
  const sum = (pick: (l: PurchaseOrderLine) => number) =>
    mapped.reduce((total, l) => total + pick(l), 0);
  return {
    id: row.id,
    supplier: row.supplier,
    location: row.location,
    state: row.state,
    reference: row.reference,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sentAt: row.sent_at,
    confirmedAt: row.confirmed_at,
    closedAt: row.closed_at,
    lines: mapped,
    totals: {
      ordered: sum((l) => l.quantity),
      received: sum((l) => l.received),
      cancelled: sum((l) => l.cancelled),
      open: sum((l) => l.open),
      cost: fromCents(
        lines.reduce(
          (c, l) => c + (l.quantity_ordered - l.quantity_cancelled) * l.unit_cost_cents,
          0,
        ),
      ),
    },
  };
}

async function loadOrder(db: Db, id: number): Promise<PurchaseOrder> {
  const row = await repo.findOrder(db, id);
  if (!row) throw orderNotFound(id);
  return toPurchaseOrder(row, (await repo.linesOf(db, [id])).get(id) ?? []);
}

const orderNotFound = (id: number) =>
  new NotFoundError('PURCHASE_ORDER_NOT_FOUND', `No purchase order ${id}`, { id });

/**
 * Locks the order (see repo.lockOrder), then its items' promise locks (a change to the
 * order may move backorder promises), and returns its current state and lines.
 */
async function lockForChange(db: Db, id: number) {
  const locked = await repo.lockOrder(db, id);
  if (!locked) throw orderNotFound(id);
  const lines = (await repo.linesOf(db, [id])).get(id) ?? [];
  await lockItems(
    db,
    lines.map((l) => l.item_id),
  );
  return { ...locked, lines };
}

/** Fills a new line's defaults from the supplier catalogue: unit cost, lead time. */
async function newLineValues(
  db: Db,
  supplierId: number,
  itemIds: Map<string, number>,
  line: NewLineBody,
  today: string,
  now: string,
) {
  const itemId = itemIds.get(line.sku)!;
  const cost =
    line.unitCost !== undefined
      ? toCents(line.unitCost)
      : await unitCostFor(db, supplierId, itemId);
  if (cost === null) {
    throw new BadRequestError(
      'UNIT_COST_REQUIRED',
      `The supplier has no cost for ${line.sku}: give unitCost or link the item to the supplier`,
      { sku: line.sku },
    );
  }
  return {
    item_id: itemId,
    quantity_ordered: line.quantity,
    quantity_received: 0,
    quantity_cancelled: 0,
    unit_cost_cents: cost,
    expected_date: line.expectedDate ?? addDays(today, await leadTimeFor(db, supplierId, itemId)),
    first_expected_date: null,
    confidence: line.confidence ?? ('estimated' as const),
    completed_at: null,
    created_at: now,
    updated_at: now,
  };
}

async function resolveSkus(db: Db, skus: readonly string[]): Promise<Map<string, number>> {
  const ids = await findItemIdsBySku(db, [...new Set(skus)]);
  const missing = [...new Set(skus)].filter((sku) => !ids.has(sku));
  if (missing.length > 0) {
    throw new NotFoundError('ITEM_NOT_FOUND', `No item with SKU ${missing.join(', ')}`, {
      skus: missing,
    });
  }
  return ids;
}

export async function createPurchaseOrder(
  ctx: AppContext,
  input: CreatePurchaseOrderBody,
  actor: Actor,
  idempotency?: IdempotentRequest,
): Promise<PurchaseOrder> {
  try {
    // Read back in the transaction: with an Idempotency-Key it is the stored answer.
    return await transactionWithAnswer(ctx, idempotency, async (trx) =>
      loadOrder(trx, await insertPurchaseOrder(trx, input, actor, ctx.clock.now())),
    );
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new ConflictError(
        'DUPLICATE_REFERENCE',
        `Supplier ${input.supplier} already has a purchase order with reference ${input.reference}`,
        { supplier: input.supplier, reference: input.reference ?? null },
      );
    }
    throw error;
  }
}

/**
 * Writes a draft order and its lines in the caller's transaction and returns its id:
 * createPurchaseOrder for one order, the CSV import for many in one transaction.
 */
export async function insertPurchaseOrder(
  trx: Db,
  input: CreatePurchaseOrderBody,
  actor: Actor,
  at: Date,
): Promise<number> {
  const now = at.toISOString();
  const today = isoDate(at);
  const supplier = await requireSupplier(trx, input.supplier);
  const location = await requireLocation(trx, input.location);
  const itemIds = await resolveSkus(
    trx,
    input.lines.map((l) => l.sku),
  );
  const lines = [];
  for (const line of input.lines)
    lines.push(await newLineValues(trx, supplier.id, itemIds, line, today, now));
  const orderId = await repo.insertOrder(trx, {
    supplier_id: supplier.id,
    location_id: location.id,
    state: 'draft',
    reference: input.reference ?? null,
    created_by: actor,
    created_at: now,
    updated_at: now,
    sent_at: null,
    confirmed_at: null,
    closed_at: null,
  });
  await repo.insertLines(
    trx,
    lines.map((l) => ({ ...l, purchase_order_id: orderId })),
  );
  return orderId;
}

export function getPurchaseOrder(ctx: AppContext, id: number): Promise<PurchaseOrder> {
  return loadOrder(ctx.db, id);
}

export async function listPurchaseOrders(
  ctx: AppContext,
  query: ListPurchaseOrdersQuery,
): Promise<Page<PurchaseOrder>> {
  const [afterId = 0] = decodeCursor(query.cursor);
  const [supplier, location, item] = await Promise.all([
    query.supplier === undefined ? undefined : requireSupplier(ctx.db, query.supplier),
    query.location === undefined ? undefined : requireLocation(ctx.db, query.location),
    query.sku === undefined ? undefined : requireItem(ctx.db, query.sku),
  ]);
  const rows = await repo.listOrders(ctx.db, {
    afterId,
    limit: query.limit + 1,
    ...(query.state !== undefined && { state: query.state }),
    ...(supplier && { supplierId: supplier.id }),
    ...(location && { locationId: location.id }),
    ...(item && { itemId: item.id }),
  });
  const lines = await repo.linesOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  return toPage(
    rows,
    query.limit,
    (row) => toPurchaseOrder(row, lines.get(row.id) ?? []),
    (row) => [row.id],
  );
}

/** send, confirm or cancel: a conditional state change, recorded in the history. */
export async function transition(
  ctx: AppContext,
  id: number,
  action: PurchaseOrderAction,
  actor: Actor,
  reason?: string,
): Promise<PurchaseOrder> {
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const order = await lockForChange(trx, id);
    const to = nextState(order.state, action);
    if (to === null) {
      throw new ConflictError(
        'INVALID_TRANSITION',
        `Cannot ${action} a purchase order that is ${order.state}${
          action === 'cancel' && order.state === 'partially_received'
            ? ': part of it has arrived, so close the open lines short instead'
            : ''
        }`,
        { id, state: order.state, action, allowedFrom: statesAllowing(action) },
      );
    }
    const stamps =
      action === 'send'
        ? { sent_at: now }
        : action === 'confirm'
          ? { confirmed_at: now }
          : { closed_at: now };
    await repo.setOrderState(trx, id, order.state, to, stamps);
    await repo.touchOrder(trx, id, now);
    if (action === 'send') await repo.stampFirstExpectedDates(trx, id);
    if (action === 'cancel') await repo.cancelOpenRemainders(trx, id, now);
    // The supplier confirming the order is what makes its dates confirmed (DESIGN §1).
    const confirmedLines =
      action === 'confirm'
        ? order.lines.filter((l) => l.completed_at === null && l.confidence === 'estimated')
        : [];
    for (const line of confirmedLines)
      await repo.updateLine(trx, line.id, { confidence: 'confirmed' }, now);
    if (order.state !== 'draft') {
      await repo.insertChanges(trx, [
        {
          purchase_order_id: id,
          line_id: null,
          field: 'state',
          old_value: order.state,
          new_value: to,
          reason: reason ?? null,
          actor,
          created_at: now,
        },
        ...confirmedLines.map((line) => ({
          purchase_order_id: id,
          line_id: line.id,
          field: 'confidence',
          old_value: 'estimated',
          new_value: 'confirmed',
          reason: reason ?? null,
          actor,
          created_at: now,
        })),
      ]);
    }
    if (order.state !== 'draft' || action === 'send') {
      await replanItems(
        trx,
        order.lines.map((l) => l.item_id),
        {
          reason: `purchase order ${id} ${({ send: 'sent', confirm: 'confirmed', cancel: 'cancelled' } as const)[action]}`,
          actor,
          now,
        },
      );
    }
    await recordEvent(trx, {
      type: `purchase_order.${to}`,
      subject: `purchase_order:${id}`,
      payload: {
        purchaseOrderId: id,
        lines: order.lines.map((l) => ({
          lineId: l.id,
          itemId: l.item_id,
          sku: l.sku,
          open: openLine(l),
        })),
        reason: reason ?? null,
      },
      actor,
      now,
    });
  });
  return loadOrder(ctx.db, id);
}

function requireLine(order: { lines: LineRow[] }, id: number, lineId: number): LineRow {
  const line = order.lines.find((l) => l.id === lineId);
  if (!line) {
    throw new NotFoundError('LINE_NOT_FOUND', `Purchase order ${id} has no line ${lineId}`, {
      id,
      lines: [lineId],
    });
  }
  return line;
}

function requireDraft(order: { state: PurchaseOrderState }, id: number, what: string): void {
  if (order.state !== 'draft') {
    throw new ConflictError(
      'PURCHASE_ORDER_NOT_DRAFT',
      `Lines can be ${what} only while the order is a draft`,
      {
        id,
        state: order.state,
      },
    );
  }
}

export async function addLine(
  ctx: AppContext,
  id: number,
  input: NewLineBody,
  _actor: Actor,
  idempotency?: IdempotentRequest,
): Promise<PurchaseOrder> {
  const now = ctx.clock.now().toISOString();
  return transactionWithAnswer(ctx, idempotency, async (trx) => {
    const order = await lockForChange(trx, id);
    requireDraft(order, id, 'added');
    const itemIds = await resolveSkus(trx, [input.sku]);
    const values = await newLineValues(
      trx,
      order.supplier_id,
      itemIds,
      input,
      isoDate(ctx.clock.now()),
      now,
    );
    await repo.insertLines(trx, [{ ...values, purchase_order_id: id }]);
    await repo.touchOrder(trx, id, now);
    return loadOrder(trx, id);
  });
}

export async function removeLine(
  ctx: AppContext,
  id: number,
  lineId: number,
): Promise<PurchaseOrder> {
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const order = await lockForChange(trx, id);
    requireLine(order, id, lineId);
    requireDraft(order, id, 'removed');
    if (order.lines.length === 1) {
      throw new ConflictError(
        'LAST_LINE',
        'An order keeps at least one line: cancel the order instead',
        {
          id,
          line: lineId,
        },
      );
    }
    await repo.deleteLine(trx, lineId);
    await repo.touchOrder(trx, id, now);
  });
  return loadOrder(ctx.db, id);
}

/**
 * Changes a line. In a draft anything goes. Once sent, the order is a commitment: only
 * the expected date and confidence move, and the quantity can only go down (never below
 * what has arrived); every change is kept in the history and raised as an event, for
 * re-promising backorders.
 */
export async function updateLine(
  ctx: AppContext,
  id: number,
  lineId: number,
  input: UpdateLineBody,
  actor: Actor,
): Promise<PurchaseOrder> {
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    const order = await lockForChange(trx, id);
    const line = requireLine(order, id, lineId);
    if (order.state === 'draft') {
      if (input.quantity === 0) {
        throw new BadRequestError(
          'INVALID_QUANTITY',
          'A draft line needs a positive quantity; remove the line instead',
          {
            line: lineId,
          },
        );
      }
      await repo.updateLine(
        trx,
        lineId,
        {
          ...(input.quantity !== undefined && { quantity_ordered: input.quantity }),
          ...(input.unitCost !== undefined && { unit_cost_cents: toCents(input.unitCost) }),
          ...(input.expectedDate !== undefined && { expected_date: input.expectedDate }),
          ...(input.confidence !== undefined && { confidence: input.confidence }),
        },
        now,
      );
      await repo.touchOrder(trx, id, now);
      return;
    }
    await changeSentLine(
      trx,
      { id, state: order.state, lines: order.lines },
      line,
      input,
      actor,
      now,
    );
  });
  return loadOrder(ctx.db, id);
}

async function changeSentLine(
  trx: Db,
  order: { id: number; state: PurchaseOrderState; lines: LineRow[] },
  line: LineRow,
  input: UpdateLineBody,
  actor: Actor,
  now: string,
): Promise<void> {
  const { id } = order;
  const details = { id, line: line.id, state: order.state };
  if (order.state === 'received' || order.state === 'cancelled') {
    throw new ConflictError(
      'PURCHASE_ORDER_CLOSED',
      `Purchase order ${id} is ${order.state}; its lines no longer change`,
      details,
    );
  }
  if (line.completed_at !== null) {
    throw new ConflictError(
      'LINE_COMPLETE',
      `Line ${line.id} is complete: everything it was going to bring has arrived or been closed`,
      details,
    );
  }
  if (input.unitCost !== undefined && toCents(input.unitCost) !== line.unit_cost_cents) {
    throw new ConflictError(
      'LINE_LOCKED',
      'The unit cost is fixed once the order is sent',
      details,
    );
  }
  const effective = line.quantity_ordered - line.quantity_cancelled;
  if (input.quantity !== undefined && input.quantity > effective) {
    throw new ConflictError(
      'LINE_LOCKED',
      `Once sent, a line can only go down (it brings ${effective}); order more on a new purchase order`,
      {
        ...details,
        quantity: effective,
      },
    );
  }
  if (input.quantity !== undefined && input.quantity < line.quantity_received) {
    throw new ConflictError(
      'QUANTITY_BELOW_RECEIVED',
      `${line.quantity_received} have already arrived on line ${line.id}`,
      {
        ...details,
        received: line.quantity_received,
      },
    );
  }

  const changes: { field: string; old: string; next: string }[] = [];
  if (input.expectedDate !== undefined && input.expectedDate !== line.expected_date) {
    changes.push({ field: 'expectedDate', old: line.expected_date, next: input.expectedDate });
  }
  if (input.confidence !== undefined && input.confidence !== line.confidence) {
    changes.push({ field: 'confidence', old: line.confidence, next: input.confidence });
  }
  if (input.quantity !== undefined && input.quantity !== effective) {
    changes.push({ field: 'quantity', old: String(effective), next: String(input.quantity) });
  }
  if (changes.length === 0) return;
  await repo.touchOrder(trx, id, now);

  await repo.updateLine(
    trx,
    line.id,
    {
      ...(input.expectedDate !== undefined && { expected_date: input.expectedDate }),
      ...(input.confidence !== undefined && { confidence: input.confidence }),
    },
    now,
  );
  if (input.quantity !== undefined && input.quantity !== effective) {
    // Guarded again in SQL: the order lock makes it redundant today, the CHECK forever.
    if (!(await repo.reduceLine(trx, line.id, input.quantity, now))) {
      throw new ConflictError(
        'QUANTITY_BELOW_RECEIVED',
        `Line ${line.id} changed while closing it`,
        details,
      );
    }
    await settleState(trx, id, order.state, actor, now);
  }
  await repo.insertChanges(
    trx,
    changes.map((c) => ({
      purchase_order_id: id,
      line_id: line.id,
      field: c.field,
      old_value: c.old,
      new_value: c.next,
      reason: input.reason ?? null,
      actor,
      created_at: now,
    })),
  );
  await replanItems(trx, [line.item_id], {
    reason: `purchase order ${id} line ${line.id}: ${changes
      .map((c) => `${c.field} ${c.old} → ${c.next}`)
      .join(', ')}`,
    actor,
    now,
  });
  await recordEvent(trx, {
    type: 'purchase_order.line_changed',
    subject: `purchase_order:${id}`,
    payload: {
      purchaseOrderId: id,
      lineId: line.id,
      itemId: line.item_id,
      sku: line.sku,
      changes: Object.fromEntries(changes.map((c) => [c.field, { old: c.old, new: c.next }])),
      reason: input.reason ?? null,
    },
    actor,
    now,
  });
}

/** Moves the order to where its lines now leave it (partially_received, received...). */
async function settleState(
  trx: Db,
  id: number,
  state: PurchaseOrderState,
  actor: Actor,
  now: string,
): Promise<PurchaseOrderState> {
  const lines = (await repo.linesOf(trx, [id])).get(id) ?? [];
  const to = stateAfterLines(
    state,
    lines.map((l) => ({ open: openLine(l), received: l.quantity_received })),
  );
  if (to !== state) {
    await repo.setOrderState(
      trx,
      id,
      state,
      to,
      to === 'received' || to === 'cancelled' ? { closed_at: now } : {},
    );
    await repo.insertChanges(trx, [
      {
        purchase_order_id: id,
        line_id: null,
        field: 'state',
        old_value: state,
        new_value: to,
        reason: null,
        actor,
        created_at: now,
      },
    ]);
  }
  return to;
}

function normaliseReceipt(input: ReceiptBody): string {
  return JSON.stringify(
    [...input.lines].sort((a, b) => a.line - b.line).map((l) => [l.line, l.quantity]),
  );
}

/**
 * Records goods arriving against an order's lines at its location: on_hand grows through
 * ledger rows referencing the order and receipt, lines and order state move on, and a
 * domain event tells later capabilities (backorder filling) what arrived. The client's
 * receipt id makes it safe to retry: the same id returns the first result.
 */
export async function receive(
  ctx: AppContext,
  id: number,
  input: ReceiptBody,
  actor: Actor,
): Promise<{ replayed: boolean; receipt: Receipt }> {
  const lineIds = input.lines.map((l) => l.line);
  if (new Set(lineIds).size !== lineIds.length) {
    throw new BadRequestError('DUPLICATE_RECEIPT_LINE', 'Each line may appear once in a receipt', {
      lines: lineIds,
    });
  }
  const now = ctx.clock.now().toISOString();
  return ctx.db.transaction().execute(async (trx) => {
    const order = await lockForChange(trx, id);
    const previous = await repo.findReceipt(trx, id, input.receiptId);
    if (previous) {
      if (previous.request !== normaliseReceipt(input)) {
        throw new ConflictError(
          'RECEIPT_ID_CONFLICT',
          `Receipt ${input.receiptId} was already recorded with different lines`,
          { id, receiptId: input.receiptId },
        );
      }
      return { replayed: true, receipt: JSON.parse(previous.response) as Receipt };
    }
    if (!RECEIVABLE_STATES.includes(order.state)) {
      throw new ConflictError(
        'NOT_RECEIVABLE',
        `Cannot receive against a purchase order that is ${order.state}`,
        {
          id,
          state: order.state,
          receivableStates: RECEIVABLE_STATES,
        },
      );
    }
    const unknown = lineIds.filter((lineId) => !order.lines.some((l) => l.id === lineId));
    if (unknown.length > 0) {
      throw new NotFoundError(
        'LINE_NOT_FOUND',
        `Purchase order ${id} has no line ${unknown.join(', ')}`,
        {
          id,
          lines: unknown,
        },
      );
    }
    const location = await trx
      .selectFrom('locations')
      .select('code')
      .where('id', '=', order.location_id)
      .executeTakeFirstOrThrow();

    const received: Receipt['lines'] = [];
    // Lines in id order, stock rows in item order: the fixed lock order of DESIGN section 2.
    const byLine = [...input.lines].sort((a, b) => a.line - b.line);
    for (const { line: lineId, quantity } of byLine) {
      const line = order.lines.find((l) => l.id === lineId)!;
      const overReceived = quantity > openLine(line);
      await repo.receiveOnLine(trx, lineId, quantity, now);
      received.push({ line: lineId, sku: line.sku, quantity, overReceived });
    }
    const stockMoves = byLine
      .map((l) => ({ ...l, line: order.lines.find((row) => row.id === l.line)! }))
      .sort((a, b) => a.line.item_id - b.line.item_id || a.line.id - b.line.id);
    for (const move of stockMoves) {
      await postMovement(trx, {
        key: { itemId: move.line.item_id, locationId: order.location_id },
        sku: move.line.sku,
        location: location.code,
        type: 'receipt',
        delta: move.quantity,
        reason: 'purchase order receipt',
        reference: `po:${id}/receipt:${input.receiptId}`,
        actor,
        now,
      });
    }
    // Arrivals fill the backorders waiting for them before anyone else can buy the units.
    const change = { reason: `purchase order ${id} received`, actor, now };
    for (const move of stockMoves) {
      await fillFromArrival(
        trx,
        {
          itemId: move.line.item_id,
          locationId: order.location_id,
          source: {
            kind: 'purchase_order',
            purchaseOrderId: id,
            lineId: move.line.id,
            supplier: '',
          },
          units: move.quantity,
        },
        change,
      );
    }
    await settleState(trx, id, order.state, actor, now);
    await repo.touchOrder(trx, id, now);
    await replanItems(
      trx,
      stockMoves.map((m) => m.line.item_id),
      change,
    );

    const receipt: Receipt = {
      receiptId: input.receiptId,
      purchaseOrderId: id,
      receivedAt: now,
      lines: received,
      purchaseOrder: await loadOrder(trx, id),
    };
    const { id: receiptPk } = await trx
      .insertInto('receipts')
      .values({
        purchase_order_id: id,
        receipt_id: input.receiptId,
        request: normaliseReceipt(input),
        response: JSON.stringify(receipt),
        actor,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('receipt_lines')
      .values(
        received.map((r) => ({
          receipt_pk: receiptPk,
          line_id: r.line,
          quantity: r.quantity,
          over_received: r.overReceived ? 1 : 0,
        })),
      )
      .execute();
    await recordEvent(trx, {
      type: 'purchase_order.received',
      subject: `purchase_order:${id}`,
      payload: {
        purchaseOrderId: id,
        receiptId: input.receiptId,
        locationId: order.location_id,
        location: location.code,
        lines: received.map((r) => ({
          ...r,
          itemId: order.lines.find((l) => l.id === r.line)!.item_id,
        })),
      },
      actor,
      now,
    });
    return { replayed: false, receipt };
  });
}

export async function listChanges(ctx: AppContext, id: number): Promise<{ items: Change[] }> {
  const order = await repo.findOrder(ctx.db, id);
  if (!order) throw orderNotFound(id);
  const rows = await repo.listChanges(ctx.db, id);
  return {
    items: rows.map((r) => ({
      id: r.id,
      line: r.line_id,
      field: r.field,
      oldValue: r.old_value,
      newValue: r.new_value,
      reason: r.reason,
      actor: r.actor,
      at: r.created_at,
    })),
  };
}
