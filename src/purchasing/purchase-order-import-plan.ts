import {
  type Catalogue,
  IMPORT_COLUMNS,
  type ImportColumn,
  type ImportedOrder,
  type ImportRow,
  MAX_LINES_PER_ORDER,
  type PlannedOrder,
  type RowError,
  show,
} from './purchase-order-import.js';
import type { CreatePurchaseOrderBody } from './purchase-orders.schemas.js';

type Fail = (column: ImportColumn, code: string, message: string) => void;

/**
 * Checks the rows against the catalogue and against each other, and groups them into
 * orders by reference. Codes left empty were reported by checkRow and are not looked up.
 */
export function planImport(
  rows: readonly ImportRow[],
  catalogue: Catalogue,
): { orders: PlannedOrder[]; errors: RowError[] } {
  const errors: RowError[] = [];
  const byReference = new Map<string, PlannedOrder>();
  for (const row of rows) {
    const fail: Fail = (column, code, message) => {
      errors.push({ line: row.line, column, code, message });
    };
    checkCodes(row, catalogue, fail);
    if (row.reference !== '') addToOrder(byReference, row, fail);
  }
  const orders = [...byReference.values()];
  errors.push(...existingReferences(orders, catalogue));
  return { orders, errors };
}

/** The row's supplier, location and SKU exist, and its cost can default if left empty. */
function checkCodes(row: ImportRow, catalogue: Catalogue, fail: Fail): void {
  const supplierKnown = row.supplier !== '' && catalogue.hasSupplier(row.supplier);
  const skuKnown = row.sku !== '' && catalogue.hasSku(row.sku);
  if (row.supplier !== '' && !supplierKnown) {
    fail('supplier', 'SUPPLIER_NOT_FOUND', `No supplier with code ${show(row.supplier)}`);
  }
  if (row.location !== '' && !catalogue.hasLocation(row.location)) {
    fail('location', 'LOCATION_NOT_FOUND', `No location with code ${show(row.location)}`);
  }
  if (row.sku !== '' && !skuKnown) {
    fail('sku', 'ITEM_NOT_FOUND', `No item with SKU ${show(row.sku)}`);
  }
  if (
    row.costFromSupplier &&
    supplierKnown &&
    skuKnown &&
    !catalogue.supplies(row.supplier, row.sku)
  ) {
    fail(
      'unit_cost',
      'UNIT_COST_REQUIRED',
      `Supplier ${row.supplier} has no cost for ${row.sku}: give unit_cost or link the item to the supplier`,
    );
  }
}

/** One reference is one order: the first row names its supplier and location. */
function addToOrder(byReference: Map<string, PlannedOrder>, row: ImportRow, fail: Fail): void {
  const order = byReference.get(row.reference);
  if (!order) {
    byReference.set(row.reference, {
      reference: row.reference,
      supplier: row.supplier,
      location: row.location,
      line: row.line,
      rows: [row],
    });
  } else if (order.supplier !== row.supplier || order.location !== row.location) {
    fail(
      'reference',
      'REFERENCE_CONFLICT',
      `Reference ${show(row.reference)} is for supplier ${order.supplier} at ${order.location} on line ${order.line}; one reference is one order`,
    );
  } else if (order.rows.length >= MAX_LINES_PER_ORDER) {
    fail(
      'reference',
      'TOO_MANY_LINES',
      `Order ${show(row.reference)} would have more than ${MAX_LINES_PER_ORDER} lines`,
    );
  } else {
    order.rows.push(row);
  }
}

function existingReferences(orders: readonly PlannedOrder[], catalogue: Catalogue): RowError[] {
  return orders
    .filter(
      (order) =>
        catalogue.hasSupplier(order.supplier) &&
        catalogue.hasReference(order.supplier, order.reference),
    )
    .map((order) => ({
      line: order.line,
      column: 'reference' as const,
      code: 'REFERENCE_EXISTS',
      message: `Supplier ${order.supplier} already has a purchase order with reference ${show(order.reference)}`,
    }));
}

/** Errors in file order: by line, then by column as the columns are listed. */
export function sortErrors(errors: readonly RowError[]): RowError[] {
  const rank = (column: ImportColumn | null) =>
    column === null ? -1 : IMPORT_COLUMNS.indexOf(column);
  return [...errors].sort((a, b) => a.line - b.line || rank(a.column) - rank(b.column));
}

/** The createPurchaseOrder input for a planned order whose rows all passed. */
export function toCreateBody(order: PlannedOrder): CreatePurchaseOrderBody {
  return {
    supplier: order.supplier,
    location: order.location,
    reference: order.reference,
    lines: order.rows.map((row) => {
      if (!row.values) throw new Error(`Line ${row.line} was not checked before import`);
      return { sku: row.sku, ...row.values };
    }),
  };
}

export function summarise(order: PlannedOrder): ImportedOrder {
  return {
    reference: order.reference,
    supplier: order.supplier,
    location: order.location,
    lines: order.rows.length,
    units: order.rows.reduce((n, row) => n + (row.values?.quantity ?? 0), 0),
  };
}
