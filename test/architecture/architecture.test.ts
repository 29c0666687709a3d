import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cycles, folderOf, functionSpans, type SourceFile, sourceFiles } from './layout.js';

/**
 * The floor plan of src/ (docs/ARCHITECTURE.md), checked on every run so it cannot drift:
 * layers import only downwards, capabilities do not reach into each other, SQL stays in
 * repositories, and files and functions stay short enough to read in one screen.
 */

const files = sourceFiles();

/** What each layer may import besides itself. Capabilities are everything not listed. */
const LOWER: Record<string, readonly string[]> = {
  shared: [],
  domain: ['shared'],
  db: ['shared', 'domain'],
  kernel: ['shared', 'domain', 'db'],
  http: ['shared', 'domain', 'db', 'kernel'],
};
/**
 * Capabilities others may look things up in: an item by SKU, the caller's channel scope, a
 * customer, what an item's availability is now, suppliers and purchase orders, an item's
 * demand history. Each may use the ones before it only.
 */
const FOUNDATIONS = ['catalogue', 'access', 'customers', 'availability', 'purchasing', 'demand'];
/** Entry points: wire everything together, so they may import anything. */
const ENTRY_POINTS = ['app', 'cli', 'demo'];

const layerOf = (path: string) => {
  const folder = folderOf(path);
  return folder.startsWith('kernel') ? 'kernel' : folder;
};

function allowed(from: string, to: string): boolean {
  const a = layerOf(from);
  const b = layerOf(to);
  if (a === b || ENTRY_POINTS.includes(a)) return true;
  if (a in LOWER) return LOWER[a]!.includes(b);
  if (b in LOWER) return true;
  if (!FOUNDATIONS.includes(b)) return false;
  return !FOUNDATIONS.includes(a) || FOUNDATIONS.indexOf(b) < FOUNDATIONS.indexOf(a);
}

describe('architecture', () => {
  it('has no import cycles between files or between folders', () => {
    const fileGraph = new Map(files.map((f) => [f.path, f.imports]));
    assert.deepEqual(cycles(fileGraph), []);
    const folderGraph = new Map<string, string[]>();
    for (const f of files) {
      const from = folderOf(f.path);
      const targets = folderGraph.get(from) ?? [];
      for (const t of f.imports) if (folderOf(t) !== from) targets.push(folderOf(t));
      folderGraph.set(from, targets);
    }
    assert.deepEqual(cycles(folderGraph), []);
  });

  it('imports only downwards: shared < domain < db < kernel < http < capabilities < app', () => {
    const upward = files.flatMap((f) =>
      f.imports.filter((t) => !allowed(f.path, t)).map((t) => `${f.path} -> ${t}`),
    );
    assert.deepEqual(upward, []);
  });

  it('keeps query-builder calls in repositories (and db/)', () => {
    const builder =
      /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\bsql`|\bsql</;
    const outside = files
      .filter((f) => !isRepository(f) && builder.test(f.text))
      .map((f) => f.path);
    assert.deepEqual(outside, []);
  });

  it('has no source file over 400 lines', () => {
    const long = files
      .map((f) => ({ path: f.path, lines: f.text.split('\n').length }))
      .filter((f) => f.lines > 400)
      .map((f) => `${f.path}: ${f.lines}`);
    assert.deepEqual(long, []);
  });

  it('has no function over 80 lines without a comment saying why', () => {
    const long = files
      .flatMap(functionSpans)
      .filter((s) => s.lines > 80 && !/long because/i.test(s.comment))
      .map((s) => `${s.path}:${s.line} ${s.name} (${s.lines} lines)`);
    assert.deepEqual(long, []);
  });
});

function isRepository(file: SourceFile): boolean {
  return (
    file.path.endsWith('.repository.ts') ||
    file.path.startsWith('db/') ||
    file.path.endsWith('.sql.ts')
  );
}
