import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../shared/errors.js';
import {
  type Catalogue,
  type ImportColumn,
  ImportInvalidError,
  MAX_REPORTED_ERRORS,
  MAX_ROWS,
  type RowError,
} from './purchase-order-import.js';
import {
  checkRow,
  readConfidence,
  readDate,
  readQuantity,
  readUnitCost,
} from './purchase-order-import-cells.js';
import { readPurchaseOrderCsv } from './purchase-order-import-csv.js';
import { planImport, sortErrors, summarise, toCreateBody } from './purchase-order-import-plan.js';

const HEADER = 'supplier,location,reference,sku,quantity,unit_cost,expected_date,confidence';
const csv = (...lines: string[]) => lines.join('\n');

/** The error a file-level refusal raises, for asserting its status and code. */
function refusal(text: string): AppError {
  try {
    readPurchaseOrderCsv(text);
  } catch (error) {
    assert.ok(error instanceof AppError, String(error));
    return error;
  }
  assert.fail('expected the file to be refused');
}

const codes = (errors: readonly RowError[]) =>
  errors.map((e) => [e.line, e.column, e.code] as const);

describe('cell readers', () => {
  it('reads quantities: positive whole numbers only', () => {
    const table: [string, number | string][] = [
      ['1', 1],
      ['24', 24],
      ['007', 7],
      ['1000000000', 1_000_000_000],
      ['', 'VALUE_REQUIRED'],
      ['0', 'INVALID_QUANTITY'],
      ['-3', 'INVALID_QUANTITY'],
      ['2.5', 'INVALID_QUANTITY'],
      ['1e3', 'INVALID_QUANTITY'],
      ['ten', 'INVALID_QUANTITY'],
      ['1000000001', 'INVALID_QUANTITY'],
    ];
    for (const [text, expected] of table) {
      const result = readQuantity(text);
      const got = result.ok ? result.value : result.code;
      assert.equal(got, expected, `quantity ${JSON.stringify(text)}`);
    }
  });

  it('reads unit costs: empty is the default, at most 2 decimals, never negative', () => {
    const table: [string, number | undefined | string][] = [
      ['', undefined],
      ['12', 12],
      ['12.5', 12.5],
      ['12.50', 12.5],
      ['0.99', 0.99],
      ['.5', 0.5],
      ['0', 0],
      ['12.500', 12.5],
      ['10000000', 10_000_000],
      ['12.505', 'INVALID_UNIT_COST'],
      ['-1', 'INVALID_UNIT_COST'],
      ['-0.5', 'INVALID_UNIT_COST'],
      ['abc', 'INVALID_UNIT_COST'],
      ['€12', 'INVALID_UNIT_COST'],
      ['1,5', 'INVALID_UNIT_COST'],
      ['1e2', 'INVALID_UNIT_COST'],
      ['.', 'INVALID_UNIT_COST'],
      ['10000000.01', 'INVALID_UNIT_COST'],
    ];
    for (const [text, expected] of table) {
      const result = readUnitCost(text);
      const got = result.ok ? result.value : result.code;
      assert.equal(got, expected, `unit_cost ${JSON.stringify(text)}`);
    }
    const negative = readUnitCost('-4.20');
    assert.ok(!negative.ok && /negative/.test(negative.message), JSON.stringify(negative));
    const fine = readUnitCost('1.234');
    assert.ok(!fine.ok && /more than 2 decimals/.test(fine.message), JSON.stringify(fine));
  });

  it('reads dates: YYYY-MM-DD and a day that exists', () => {
    const table: [string, string | undefined][] = [
      ['', undefined],
      ['2026-12-01', '2026-12-01'],
      ['2028-02-29', '2028-02-29'],
      ['2026-02-29', 'INVALID_DATE'],
      ['2026-13-01', 'INVALID_DATE'],
      ['2026-04-31', 'INVALID_DATE'],
      ['01/12/2026', 'INVALID_DATE'],
      ['2026-1-5', 'INVALID_DATE'],
      ['2026-12-01T00:00:00Z', 'INVALID_DATE'],
      ['tomorrow', 'INVALID_DATE'],
      ['1899-12-31', 'INVALID_DATE'],
      ['3000-01-01', 'INVALID_DATE'],
      ['1900-01-01', '1900-01-01'],
      ['2999-12-31', '2999-12-31'],
    ];
    for (const [text, expected] of table) {
      const result = readDate(text);
      const got = result.ok ? result.value : result.code;
      assert.equal(got, expected, `expected_date ${JSON.stringify(text)}`);
    }
  });

  it('reads confidence in either case', () => {
    const table: [string, string | undefined][] = [
      ['', undefined],
      ['confirmed', 'confirmed'],
      ['Estimated', 'estimated'],
      ['CONFIRMED', 'confirmed'],
      ['sure', 'INVALID_CONFIDENCE'],
    ];
    for (const [text, expected] of table) {
      const result = readConfidence(text);
      const got = result.ok ? result.value : result.code;
      assert.equal(got, expected, `confidence ${JSON.stringify(text)}`);
    }
  });
});

describe('checkRow', () => {
  const cells =
    (values: Partial<Record<ImportColumn, string>>) =>
    (column: ImportColumn): string =>
      values[column] ?? '';
  const good = { supplier: 'ACME', location: 'W1', reference: 'PO-1', sku: 'KET-01' };

  it('keeps the values given and leaves the defaults to createPurchaseOrder', () => {
    const { row, errors } = checkRow(2, cells({ ...good, quantity: '5' }));
    assert.deepEqual(errors, []);
    assert.deepEqual(row, {
      line: 2,
      ...good,
      values: { quantity: 5 },
      costFromSupplier: true,
    });
    const full = checkRow(
      3,
      cells({
        ...good,
        quantity: '5',
        unit_cost: '1.25',
        expected_date: '2026-12-24',
        confidence: 'confirmed',
      }),
    );
    assert.deepEqual(full.row.values, {
      quantity: 5,
      unitCost: 1.25,
      expectedDate: '2026-12-24',
      confidence: 'confirmed',
    });
    assert.equal(full.row.costFromSupplier, false);
  });

  it('reports every bad cell of a row, in its line', () => {
    const { row, errors } = checkRow(
      7,
      cells({
        reference: 'x'.repeat(101),
        quantity: '0',
        unit_cost: '-1',
        expected_date: '2026-02-30',
        confidence: 'maybe',
      }),
    );
    assert.deepEqual(codes(errors), [
      [7, 'supplier', 'VALUE_REQUIRED'],
      [7, 'location', 'VALUE_REQUIRED'],
      [7, 'sku', 'VALUE_REQUIRED'],
      [7, 'reference', 'INVALID_REFERENCE'],
      [7, 'quantity', 'INVALID_QUANTITY'],
      [7, 'unit_cost', 'INVALID_UNIT_COST'],
      [7, 'expected_date', 'INVALID_DATE'],
      [7, 'confidence', 'INVALID_CONFIDENCE'],
    ]);
    assert.equal(row.values, null);
    // An invalid unit cost is not an empty one: no supplier cost is looked for.
    assert.equal(row.costFromSupplier, false);
  });
});

describe('readPurchaseOrderCsv', () => {
  it('refuses text no database can store, naming its line', () => {
    const nul = refusal(csv(HEADER, 'ACME,W1,PO-1,KET-01,4,,,', 'ACME,W1,PO-1,TOA\u0000,1,,,'));
    assert.equal(nul.kind, 'invalid');
    assert.equal(nul.code, 'VALIDATION_FAILED');
    assert.deepEqual(nul.details, { line: 3 });
    assert.match(nul.message, /NUL character \(U\+0000\) on line 3/);
    const surrogate = refusal(csv(HEADER, 'ACME,W1,PO-\ud800,KET-01,4,,,'));
    assert.deepEqual(surrogate.details, { line: 2 });
    assert.match(surrogate.message, /lone surrogate \(U\+D800\) on line 2/);
  });

  it('reads rows with the physical line each starts on', () => {
    const file = readPurchaseOrderCsv(
      csv(
        HEADER,
        'ACME,W1,PO-1,KET-01,5,,,',
        '',
        'ACME,W1,"PO-2, rush",KET-02,3,2.50,2026-12-01,confirmed',
        'ACME,W1,"PO',
        '3",KET-03,1,,,',
        ',,,,,,,',
        'ACME,W1,PO-4,KET-04,2,,,',
        '',
      ),
    );
    assert.deepEqual(
      file.rows.map((r) => [r.line, r.reference, r.sku]),
      [
        [2, 'PO-1', 'KET-01'],
        [4, 'PO-2, rush', 'KET-02'],
        [5, 'PO\n3', 'KET-03'],
        [8, 'PO-4', 'KET-04'],
      ],
    );
    assert.equal(file.rowCount, 4);
    assert.deepEqual(file.errors, []);
  });

  it('reads CRLF line endings, a BOM and spaces around cells', () => {
    const file = readPurchaseOrderCsv(
      `\ufeff${HEADER}\r\n ACME , W1 ,PO-1, KET-01 , 5 ,,,\r\n"ACME","W1","PO-1","KET-02","6","","",""\r\n`,
    );
    assert.deepEqual(
      file.rows.map((r) => [r.line, r.supplier, r.location, r.sku, r.values?.quantity]),
      [
        [2, 'ACME', 'W1', 'KET-01', 5],
        [3, 'ACME', 'W1', 'KET-02', 6],
      ],
    );
  });

  it('counts a CRLF inside a quoted cell as one line break', () => {
    const file = readPurchaseOrderCsv(
      csv(HEADER, 'ACME,W1,"PO\r\n1",KET-01,5,,,', 'ACME,W1,PO-2,KET-01,0,,,'),
    );
    assert.deepEqual(codes(file.errors), [[4, 'quantity', 'INVALID_QUANTITY']]);
  });

  it('accepts the columns in any order, in any case, and without the optional ones', () => {
    const file = readPurchaseOrderCsv(
      csv('SKU,Quantity,Reference,Location,Supplier', 'KET-01,4,PO-9,W1,ACME'),
    );
    assert.deepEqual(file.rows[0], {
      line: 2,
      supplier: 'ACME',
      location: 'W1',
      reference: 'PO-9',
      sku: 'KET-01',
      values: { quantity: 4 },
      costFromSupplier: true,
    });
  });

  it('reports a row with the wrong number of fields and checks the others', () => {
    const file = readPurchaseOrderCsv(
      csv(
        HEADER,
        'ACME,W1,PO-1,KET-01,5',
        'ACME,W1,PO-1,KET-01,x,,,',
        'ACME,W1,PO-1,KET-01,1,,,,,',
      ),
    );
    assert.deepEqual(codes(file.errors), [
      [2, null, 'WRONG_FIELD_COUNT'],
      [3, 'quantity', 'INVALID_QUANTITY'],
      [4, null, 'WRONG_FIELD_COUNT'],
    ]);
    assert.equal(file.rowCount, 3);
    assert.deepEqual(
      file.rows.map((r) => r.line),
      [3],
    );
  });

  it('refuses a file that cannot be read as a whole, with a 400 and a code', () => {
    const table: [string, string][] = [
      ['', 'IMPORT_EMPTY_FILE'],
      ['\ufeff\r\n\r\n', 'IMPORT_EMPTY_FILE'],
      [HEADER, 'IMPORT_NO_ROWS'],
      [`${HEADER}\r\n\r\n,,,,,,,\r\n`, 'IMPORT_NO_ROWS'],
      [csv(HEADER, 'ACME,W1,"PO-1,KET-01,5,,,'), 'MALFORMED_CSV'],
      [csv(`${HEADER},notes`, 'ACME,W1,PO-1,KET-01,5,,,,hi'), 'INVALID_HEADER'],
      [csv('supplier,location,sku,quantity', 'ACME,W1,KET-01,5'), 'INVALID_HEADER'],
      [csv(`${HEADER},sku`, 'ACME,W1,PO-1,KET-01,5,,,,KET-02'), 'INVALID_HEADER'],
    ];
    for (const [text, code] of table) {
      const error = refusal(text);
      assert.equal(error.kind, 'invalid', `${JSON.stringify(text)}: ${error.message}`);
      assert.equal(error.code, code, `${JSON.stringify(text)}: ${error.message}`);
    }
  });

  it('refuses more than MAX_ROWS rows', () => {
    const rows = Array.from({ length: MAX_ROWS + 1 }, (_, i) => `ACME,W1,PO-${i},KET-01,1,,,`);
    const error = refusal(csv(HEADER, ...rows));
    assert.equal(error.code, 'IMPORT_TOO_MANY_ROWS');
    assert.deepEqual(error.details, { rows: MAX_ROWS + 1, max: MAX_ROWS });
    assert.equal(readPurchaseOrderCsv(csv(HEADER, ...rows.slice(1))).rowCount, MAX_ROWS);
  });

  it('says which header columns are unknown, missing or repeated', () => {
    const error = refusal(csv('supplier,location,sku,sku,qty', 'a,b,c,d,e'));
    assert.deepEqual(
      {
        unknown: error.details.unknown,
        missing: error.details.missing,
        duplicate: error.details.duplicate,
      },
      { unknown: ['qty'], missing: ['reference', 'quantity'], duplicate: ['sku'] },
    );
    assert.match(error.message, /unknown "qty"; missing reference, quantity; repeated sku/);
  });

  it('gives the line of malformed CSV', () => {
    const error = refusal(csv(HEADER, 'ACME,W1,PO-1,KET-01,5,,,', 'ACME,W1,"PO-2"x,KET-01,5,,,'));
    assert.equal(error.details.line, 3, JSON.stringify(error.details));
  });
});

/** A catalogue from plain lists, as the service builds one from the database. */
function catalogue(
  options: {
    suppliers?: string[];
    locations?: string[];
    skus?: string[];
    supplied?: [string, string][];
    references?: [string, string][];
  } = {},
): Catalogue {
  const {
    suppliers = ['ACME', 'BREW'],
    locations = ['W1', 'S1'],
    skus = ['KET-01', 'KET-02', 'MUG-07'],
    supplied = [
      ['ACME', 'KET-01'],
      ['ACME', 'KET-02'],
      ['BREW', 'MUG-07'],
    ],
    references = [],
  } = options;
  const has = (pairs: [string, string][], a: string, b: string) =>
    pairs.some(([x, y]) => x === a && y === b);
  return {
    hasSupplier: (code) => suppliers.includes(code),
    hasLocation: (code) => locations.includes(code),
    hasSku: (sku) => skus.includes(sku),
    supplies: (supplier, sku) => has(supplied, supplier, sku),
    hasReference: (supplier, reference) => has(references, supplier, reference),
  };
}

const plan = (text: string, known = catalogue()) => {
  const file = readPurchaseOrderCsv(text);
  const planned = planImport(file.rows, known);
  return { ...planned, errors: sortErrors([...file.errors, ...planned.errors]) };
};

describe('planImport', () => {
  it('groups rows by reference into orders, lines in file order', () => {
    const { orders, errors } = plan(
      csv(
        HEADER,
        'ACME,W1,PO-1,KET-01,5,,,',
        'BREW,S1,PO-2,MUG-07,10,1.99,2026-12-03,estimated',
        'ACME,W1,PO-1,KET-02,7,3.00,,confirmed',
      ),
    );
    assert.deepEqual(errors, []);
    assert.deepEqual(orders.map(summarise), [
      { reference: 'PO-1', supplier: 'ACME', location: 'W1', lines: 2, units: 12 },
      { reference: 'PO-2', supplier: 'BREW', location: 'S1', lines: 1, units: 10 },
    ]);
    assert.deepEqual(toCreateBody(orders[0]!), {
      supplier: 'ACME',
      location: 'W1',
      reference: 'PO-1',
      lines: [
        { sku: 'KET-01', quantity: 5 },
        { sku: 'KET-02', quantity: 7, unitCost: 3, confidence: 'confirmed' },
      ],
    });
  });

  it('reports every problem with its line and column, in file order', () => {
    const { errors } = plan(
      csv(
        HEADER,
        'ACME,W1,PO-1,KET-01,5,,,', // fine
        'NOPE,W1,PO-2,KET-01,abc,,,', // unknown supplier, bad quantity
        'ACME,X9,PO-3,GONE,1,-2,2026-02-30,sure', // unknown location and SKU, bad cost/date/confidence
        'BREW,W1,PO-4,KET-01,1,,,', // BREW does not sell KET-01 and no cost given
        'BREW,W1,PO-5,KET-01,1,4.00,,', // the same with a cost: fine
        'ACME,S1,PO-1,KET-02,1,,,', // PO-1 was ACME at W1
        'BREW,W1,PO-1,KET-02,1,2.00,,', // ... and not BREW
      ),
    );
    assert.deepEqual(codes(errors), [
      [3, 'supplier', 'SUPPLIER_NOT_FOUND'],
      [3, 'quantity', 'INVALID_QUANTITY'],
      [4, 'location', 'LOCATION_NOT_FOUND'],
      [4, 'sku', 'ITEM_NOT_FOUND'],
      [4, 'unit_cost', 'INVALID_UNIT_COST'],
      [4, 'expected_date', 'INVALID_DATE'],
      [4, 'confidence', 'INVALID_CONFIDENCE'],
      [5, 'unit_cost', 'UNIT_COST_REQUIRED'],
      [7, 'reference', 'REFERENCE_CONFLICT'],
      [8, 'reference', 'REFERENCE_CONFLICT'],
    ]);
    const conflict = errors.find((e) => e.line === 7)!;
    assert.match(conflict.message, /ACME at W1 on line 2/);
  });

  it('refuses a reference the supplier already has, once per order', () => {
    const { errors } = plan(
      csv(
        HEADER,
        'ACME,W1,PO-1,KET-01,5,,,',
        'ACME,W1,PO-1,KET-02,5,,,',
        'BREW,W1,PO-7,MUG-07,5,,,',
      ),
      catalogue({
        references: [
          ['ACME', 'PO-1'],
          ['ACME', 'PO-7'],
        ],
      }),
    );
    assert.deepEqual(codes(errors), [[2, 'reference', 'REFERENCE_EXISTS']]);
  });

  it('does not look up codes that were left empty', () => {
    const { errors } = plan(csv(HEADER, ',W1,PO-1,,5,,,'));
    assert.deepEqual(codes(errors), [
      [2, 'supplier', 'VALUE_REQUIRED'],
      [2, 'sku', 'VALUE_REQUIRED'],
    ]);
  });

  it('keeps an order to 500 lines, as the API does', () => {
    const rows = Array.from({ length: 501 }, (_, i) => `ACME,W1,PO-1,KET-01,${i + 1},,,`);
    const { errors, orders } = plan(csv(HEADER, ...rows));
    assert.deepEqual(codes(errors), [[502, 'reference', 'TOO_MANY_LINES']]);
    assert.equal(orders[0]?.rows.length, 500);
  });
});

describe('ImportInvalidError', () => {
  it('is a 422 with the errors, how many there are, and the file counts', () => {
    const errors: RowError[] = [
      { line: 2, column: 'quantity', code: 'INVALID_QUANTITY', message: 'x' },
      { line: 2, column: 'sku', code: 'ITEM_NOT_FOUND', message: 'y' },
      { line: 4, column: null, code: 'WRONG_FIELD_COUNT', message: 'z' },
    ];
    const error = new ImportInvalidError(errors, { rows: 3, orders: 2 });
    assert.equal(error.kind, 'unprocessable');
    assert.equal(error.code, 'IMPORT_INVALID');
    assert.equal(error.message, '3 problems on 2 lines; nothing was imported');
    assert.deepEqual(error.details, { errors, errorCount: 3, rows: 3, orders: 2 });
  });

  it('lists at most MAX_REPORTED_ERRORS but counts them all', () => {
    const errors = Array.from({ length: MAX_REPORTED_ERRORS + 5 }, (_, i) => ({
      line: i + 2,
      column: 'quantity' as const,
      code: 'INVALID_QUANTITY',
      message: 'x',
    }));
    const error = new ImportInvalidError(errors, { rows: errors.length, orders: 1 });
    assert.equal((error.details.errors as RowError[]).length, MAX_REPORTED_ERRORS);
    assert.equal(error.details.errorCount, MAX_REPORTED_ERRORS + 5);
  });
});
