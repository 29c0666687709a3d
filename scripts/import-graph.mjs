#!/usr/bin/env node
// Prints the import graph of src/ (production files only) folder by folder, with the
// file-level cycles and the folder-level cycles. Usage: node scripts/import-graph.mjs [--json]
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(
  process.argv.includes('--root') ? process.argv[process.argv.indexOf('--root') + 1] : 'src',
);

function sourceFiles() {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => relative(root, join(e.parentPath ?? e.path, e.name)))
    .sort();
}

const importPattern = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.{1,2}\/[^']+)'/g;
const dynamicPattern = /import\(\s*'(\.{1,2}\/[^']+)'\s*\)/g;

export function importGraph() {
  const files = sourceFiles();
  const edges = new Map();
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const targets = new Set();
    for (const pattern of [importPattern, dynamicPattern]) {
      for (const match of text.matchAll(pattern)) {
        const target = relative(root, resolve(root, dirname(file), match[1])).replace(
          /\.js$/,
          '.ts',
        );
        targets.add(target);
      }
    }
    edges.set(file, [...targets]);
  }
  return edges;
}

export function folderOf(file) {
  const parts = file.split('/');
  return parts.length === 1 ? '.' : parts.slice(0, parts[0] === 'kernel' ? 2 : 1).join('/');
}

/** Tarjan's strongly connected components with more than one node. */
export function cycles(edges) {
  let index = 0;
  const stack = [];
  const on = new Set();
  const idx = new Map();
  const low = new Map();
  const out = [];
  function visit(v) {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!edges.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  }
  for (const v of edges.keys()) if (!idx.has(v)) visit(v);
  return out;
}

export function folderEdges(edges) {
  const folders = new Map();
  for (const [file, targets] of edges) {
    const from = folderOf(file);
    if (!folders.has(from)) folders.set(from, new Map());
    for (const t of targets) {
      const to = folderOf(t);
      if (to === from) continue;
      const m = folders.get(from);
      m.set(to, [...(m.get(to) ?? []), `${file} -> ${t}`]);
    }
  }
  return folders;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const edges = importGraph();
  const fileCycles = cycles(edges);
  const folders = folderEdges(edges);
  const folderGraph = new Map([...folders].map(([f, m]) => [f, [...m.keys()]]));
  const folderCycles = cycles(folderGraph);
  console.log(
    `files: ${edges.size}, imports: ${[...edges.values()].reduce((n, t) => n + t.length, 0)}`,
  );
  console.log(`file cycles: ${fileCycles.length}`);
  for (const c of fileCycles) console.log(`  ${c.join(' <-> ')}`);
  console.log(`folder cycles: ${folderCycles.length}`);
  for (const c of folderCycles) console.log(`  ${c.join(' <-> ')}`);
  for (const [from, m] of [...folders].sort())
    console.log(`${from} -> ${[...m.keys()].sort().join(', ')}`);
}
