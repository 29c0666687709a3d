import { Type } from 'typebox';
import { HISTORY_COLUMNS } from './history-import.js';

/** A CSV upload is bigger than the JSON bodies everywhere else; gzip makes 50 MB a lot. */
export const MAX_HISTORY_BYTES = 50 * 1024 * 1024;

const EXAMPLE = [
  'date,location,sku,quantity',
  '2026-11-01,S1,KET-01,4',
  '2026-11-02,S1,KET-01,0',
].join('\n');

export const HistoryCsvBody = Type.String({
  description: `A header row, then one row per item, location and day: columns ${HISTORY_COLUMNS.join(', ')} (other names through columns=; other columns are ignored). date is YYYY-MM-DD, location a location code, sku an item SKU, quantity the units sold that day (a whole number, 0 or more). The body may be gzip-compressed (recognised by its first bytes, whatever the headers say). UTF-8, a BOM and CRLF line endings are accepted; up to 50 MB as sent.`,
  examples: [EXAMPLE],
});

export const HistoryImportQuery = Type.Object(
  {
    columns: Type.Optional(
      Type.String({
        maxLength: 500,
        description:
          'The header names of the columns when they differ, as COLUMN=HEADER pairs: location=store,sku=item,quantity=sales',
      }),
    ),
    createMissing: Type.Boolean({
      default: false,
      description:
        'Create the items (named after their SKU, category "imported", price 0) and locations (stores named after their code) the file names and the catalogue lacks; otherwise such rows are errors',
    }),
  },
  { additionalProperties: false },
);
