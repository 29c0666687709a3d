import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/**
 * Reads src/ the way the architecture rules talk about it: production files (not tests),
 * their relative imports, their lines and their functions.
 */
export const SRC = resolve(import.meta.dirname, '../../src');

export interface SourceFile {
  /** Path relative to src/, e.g. "orders/place-order.ts". */
  path: string;
  text: string;
  imports: string[];
}

export function sourceFiles(): SourceFile[] {
  return readdirSync(SRC, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => relative(SRC, join(e.parentPath, e.name)))
    .sort()
    .map((path) => {
      const text = readFileSync(join(SRC, path), 'utf8');
      return { path, text, imports: importsOf(path, text) };
    });
}

function importsOf(path: string, text: string): string[] {
  const found = new Set<string>();
  const info = ts.preProcessFile(text, true, true);
  for (const ref of info.importedFiles) {
    if (!ref.fileName.startsWith('.')) continue;
    const target = resolve(SRC, dirname(path), ref.fileName).replace(/\.js$/, '.ts');
    found.add(relative(SRC, target));
  }
  return [...found];
}

/** The layer a file belongs to: its top folder, or "kernel/<part>" inside the kernel. */
export function folderOf(path: string): string {
  const parts = path.split('/');
  if (parts.length === 1) return '.';
  if (parts[0] === 'kernel' && parts.length > 2) return `kernel/${parts[1]}`;
  return parts[0]!;
}

/** Strongly connected components with more than one member (Tarjan). */
export function cycles(graph: Map<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

export interface FunctionSpan {
  path: string;
  name: string;
  line: number;
  lines: number;
  /** The comment just above the function (JSDoc or line comments), if any. */
  comment: string;
}

/** Every named function, method and function-valued const with its length in lines. */
export function functionSpans(file: SourceFile): FunctionSpan[] {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true);
  const spans: FunctionSpan[] = [];
  const record = (node: ts.Node, name: string, commentNode: ts.Node) => {
    const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
    const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
    const comments = ts.getLeadingCommentRanges(file.text, commentNode.getFullStart()) ?? [];
    const comment = comments.map((c) => file.text.slice(c.pos, c.end)).join('\n');
    spans.push({ path: file.path, name, line: start + 1, lines: end - start + 1, comment });
  };
  const walk = (node: ts.Node) => {
    if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.body) {
      record(node, node.name?.getText(source) ?? '(anonymous)', node);
    } else if (
      ts.isVariableStatement(node) &&
      node.declarationList.declarations.length === 1 &&
      node.declarationList.declarations[0]!.initializer &&
      (ts.isArrowFunction(node.declarationList.declarations[0]!.initializer) ||
        ts.isFunctionExpression(node.declarationList.declarations[0]!.initializer))
    ) {
      const declaration = node.declarationList.declarations[0]!;
      record(declaration.initializer!, declaration.name.getText(source), node);
    }
    ts.forEachChild(node, walk);
  };
  walk(source);
  return spans;
}
