import type { Transaction } from 'kysely';
import { findItemIdsBySku, insertItem } from '../catalogue/items.repository.js';
import { findLocationsByCode, insertLocation } from '../catalogue/locations.repository.js';
import type { DB } from '../db/schema.js';
import {
  checkHistoryCells,
  type HistoryCells,
  type HistoryColumn,
} from '../domain/history-cells.js';
import { BadRequestError } from '../shared/errors.js';
import { type SalesHistoryRow, upsertSalesHistory } from './history.repository.js';
import {
  type ColumnMapping,
  HISTORY_COLUMNS,
  type HistoryImportSummary,
  type HistoryRowError,
  MAX_REPORTED_ERRORS,
} from './history-import.js';

interface Pending {
  line: number;
  fields: string[];
}

/**
 * The import's state between batches: where each column is, the SKUs and codes already
 * resolved (or found missing), the errors so far and what the summary reports. Holds the
 * rows of one batch only.
 */
export class HistoryBatch {
  rows = 0;
  errorCount = 0;
  readonly errors: HistoryRowError[] = [];
  private readonly index: Record<HistoryColumn, number>;
  private readonly width: number;
  private pending: Pending[] = [];
  private readonly itemIds = new Map<string, number>();
  private readonly locationIds = new Map<string, number>();
  private readonly missingSkus = new Set<string>();
  private readonly missingLocations = new Set<string>();
  private readonly usedItems = new Set<number>();
  private readonly usedLocations = new Set<number>();
  private createdItems = 0;
  private createdLocations = 0;
  private from: string | null = null;
  private through: string | null = null;

  constructor(
    private readonly trx: Transaction<DB>,
    private readonly options: {
      header: string[];
      mapping: ColumnMapping;
      createMissing: boolean;
      now: string;
    },
  ) {
    this.width = options.header.length;
    this.index = headerIndex(options.header, options.mapping);
  }

  /** Queues a data row; returns how many are queued. */
  add(line: number, fields: string[]): number {
    this.rows++;
    this.pending.push({ line, fields });
    return this.pending.length;
  }

  /** Checks the queued rows, resolves their SKUs and locations, and writes them if all is well so far. */
  async flush(): Promise<void> {
    const errors: HistoryRowError[] = [];
    const checked: { line: number; cells: HistoryCells }[] = [];
    for (const { line, fields } of this.pending) {
      if (fields.length !== this.width) {
        errors.push({
          line,
          message: `The row has ${fields.length} field${fields.length === 1 ? '' : 's'}; the header has ${this.width}`,
        });
        continue;
      }
      const result = checkHistoryCells({
        date: fields[this.index.date]!,
        location: fields[this.index.location]!,
        sku: fields[this.index.sku]!,
        quantity: fields[this.index.quantity]!,
      });
      for (const e of result.errors)
        errors.push({ line, column: this.options.mapping[e.column], message: e.message });
      if (result.value) checked.push({ line, cells: result.value });
    }
    this.pending = [];
    await this.resolve(checked);
    const byKey = new Map<string, SalesHistoryRow>();
    for (const { line, cells } of checked) {
      const itemId = this.itemIds.get(cells.sku);
      const locationId = this.locationIds.get(cells.location);
      if (itemId === undefined)
        errors.push({
          line,
          column: this.options.mapping.sku,
          message: `No item has SKU ${JSON.stringify(cells.sku)}`,
        });
      if (locationId === undefined)
        errors.push({
          line,
          column: this.options.mapping.location,
          message: `No location has code ${JSON.stringify(cells.location)}`,
        });
      if (itemId === undefined || locationId === undefined) continue;
      this.note(itemId, locationId, cells.day);
      // The last row for a key wins, as it would imported one after the other.
      byKey.set(`${itemId}|${locationId}|${cells.day}`, {
        itemId,
        locationId,
        day: cells.day,
        quantity: cells.quantity,
      });
    }
    // Cells are checked before the catalogue is asked: put the batch's errors back in line order.
    errors.sort((a, b) => a.line - b.line);
    for (const error of errors) this.fail(error);
    // Once anything is wrong the transaction will be rolled back: only check the rest.
    if (this.errorCount === 0) await upsertSalesHistory(this.trx, [...byKey.values()]);
  }

  summary(): Omit<HistoryImportSummary, 'seconds'> {
    return {
      rows: this.rows,
      items: this.usedItems.size,
      locations: this.usedLocations.size,
      from: this.from,
      through: this.through,
      createdItems: this.createdItems,
      createdLocations: this.createdLocations,
    };
  }

  private fail(error: HistoryRowError): void {
    this.errorCount++;
    if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push(error);
  }

  private note(itemId: number, locationId: number, day: string): void {
    this.usedItems.add(itemId);
    this.usedLocations.add(locationId);
    if (this.from === null || day < this.from) this.from = day;
    if (this.through === null || day > this.through) this.through = day;
  }

  /** Looks up the batch's new SKUs and codes at once; creates the missing ones if asked. */
  private async resolve(checked: readonly { cells: HistoryCells }[]): Promise<void> {
    const skus = new Set<string>();
    const codes = new Set<string>();
    for (const { cells } of checked) {
      if (!this.itemIds.has(cells.sku) && !this.missingSkus.has(cells.sku)) skus.add(cells.sku);
      if (!this.locationIds.has(cells.location) && !this.missingLocations.has(cells.location))
        codes.add(cells.location);
    }
    if (skus.size > 0) {
      const found = await findItemIdsBySku(this.trx, [...skus]);
      for (const sku of skus) {
        const id = found.get(sku) ?? (await this.createItem(sku));
        if (id === undefined) this.missingSkus.add(sku);
        else this.itemIds.set(sku, id);
      }
    }
    if (codes.size > 0) {
      const found = new Map(
        (await findLocationsByCode(this.trx, [...codes])).map((row) => [row.code, row.id]),
      );
      for (const code of codes) {
        const id = found.get(code) ?? (await this.createLocation(code));
        if (id === undefined) this.missingLocations.add(code);
        else this.locationIds.set(code, id);
      }
    }
  }

  /** As POST /v1/items would with the least it needs: named after its SKU, priced 0. */
  private async createItem(sku: string): Promise<number | undefined> {
    if (!this.options.createMissing) return undefined;
    const { now } = this.options;
    this.createdItems++;
    return insertItem(
      this.trx,
      {
        sku,
        name: sku,
        category: 'imported',
        price_cents: 0,
        status: 'active',
        release_date: null,
        backorder_policy: 'incoming',
        backorder_cap: null,
        low_stock_threshold: 0,
        handling_days: 0,
        preorders_enabled: 0,
        service_level: null,
        created_at: now,
        updated_at: now,
      },
      [],
    );
  }

  /** A store named after its code, in UTC: the file says nothing more. */
  private async createLocation(code: string): Promise<number | undefined> {
    if (!this.options.createMissing) return undefined;
    const { now } = this.options;
    this.createdLocations++;
    await insertLocation(this.trx, {
      code,
      name: code,
      kind: 'store',
      time_zone: 'UTC',
      created_at: now,
      updated_at: now,
    });
    const [row] = await findLocationsByCode(this.trx, [code]);
    return row?.id;
  }
}

/** Where each column is in the header (names compared without case); a 400 if any is missing. */
function headerIndex(
  header: readonly string[],
  mapping: ColumnMapping,
): Record<HistoryColumn, number> {
  const names = header.map((name) => name.trim().toLowerCase());
  const index = {} as Record<HistoryColumn, number>;
  const missing: string[] = [];
  for (const column of HISTORY_COLUMNS) {
    const wanted = mapping[column].trim().toLowerCase();
    const at = names.indexOf(wanted);
    if (at === -1) missing.push(mapping[column]);
    else if (names.indexOf(wanted, at + 1) !== -1) {
      throw new BadRequestError(
        'IMPORT_DUPLICATE_COLUMN',
        `The header names ${mapping[column]} twice`,
        {
          header,
        },
      );
    } else index[column] = at;
  }
  if (missing.length > 0) {
    throw new BadRequestError(
      'IMPORT_MISSING_COLUMNS',
      `The header lacks ${missing.join(', ')} (it has ${header.join(',')}); map other names with columns, e.g. location=store,sku=item,quantity=sales`,
      { missing, header, mapping },
    );
  }
  return index;
}
