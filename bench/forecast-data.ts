import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DATA_FILE = join(
  repoRoot,
  '..',
  'shared',
  'data',
  'store-item-demand-2013-2016.csv.gz',
);

export interface BenchSeries {
  store: number;
  item: number;
  start: string;
  quantities: number[];
}

/** The Kaggle file as dense daily series (it has no gaps), ordered by item then store. */
export function readDemandFile(path = DATA_FILE): BenchSeries[] {
  const lines = gunzipSync(readFileSync(path)).toString('utf8').split('\n');
  const byKey = new Map<string, BenchSeries>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const [date, store, item, sales] = line.split(',');
    const key = `${item}/${store}`;
    let series = byKey.get(key);
    if (series == null) {
      series = { store: Number(store), item: Number(item), start: date!, quantities: [] };
      byKey.set(key, series);
    }
    series.quantities.push(Number(sales));
  }
  return [...byKey.values()].sort((a, b) => a.item - b.item || a.store - b.store);
}
