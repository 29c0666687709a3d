#!/usr/bin/env node
// Moves TypeScript modules and rewrites every relative import that points at them (and the
// moved files' own imports), across src/, test/, bench/ and scripts/.
// Usage: node scripts/move-modules.mjs moves.json   ({"src/old/a.ts": "src/new/a.ts", ...})
// Run again on a branch after merging: imports still pointing at an old path are rewritten.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const moves = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const root = process.cwd();
const abs = (p) => resolve(root, p);
const map = new Map(Object.entries(moves).map(([from, to]) => [abs(from), abs(to)]));

const files = [];
for (const dir of ['src', 'test', 'bench', 'scripts']) {
  if (!existsSync(dir)) continue;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const p = join(e.parentPath ?? e.path, e.name);
    if (e.isFile() && /\.(ts|mts|mjs)$/.test(e.name) && !p.includes('node_modules'))
      files.push(abs(p));
  }
}

const specifier = /((?:from|import)\s*\(?\s*')(\.{1,2}\/[^']+)(')/g;
for (const oldFile of files) {
  const newFile = map.get(oldFile) ?? oldFile;
  const text = readFileSync(oldFile, 'utf8');
  const rewritten = text.replace(specifier, (whole, pre, spec, post) => {
    const targetJs = resolve(dirname(oldFile), spec);
    const targetTs = targetJs.replace(/\.js$/, '.ts');
    const mapped = map.get(targetTs);
    if (!mapped && newFile === oldFile) return whole;
    const finalTarget = mapped ?? targetTs;
    let rel = relative(dirname(newFile), finalTarget);
    if (!rel.startsWith('.')) rel = `./${rel}`;
    if (spec.endsWith('.js')) rel = rel.replace(/\.ts$/, '.js');
    else if (!spec.endsWith('.ts'))
      rel = relative(dirname(newFile), mapped ? finalTarget : targetJs);
    if (!rel.startsWith('.')) rel = `./${rel}`;
    return pre + rel + post;
  });
  if (rewritten !== text) writeFileSync(oldFile, rewritten);
}
for (const [from, to] of map) {
  if (!existsSync(from)) continue;
  mkdirSync(dirname(to), { recursive: true });
  execFileSync('git', ['mv', relative(root, from), relative(root, to)]);
}
