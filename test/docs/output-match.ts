/**
 * How a guide's shown output is compared with what its commands printed (documented for
 * writers in docs/guides/README.md):
 *
 * - `…` matches anything within one line; a line holding only `…` (in a ```text block)
 *   matches any number of whole lines, none included.
 * - `<NAME>` (capitals, digits, `_`) matches exactly the value the guide's shell variable
 *   NAME had once the block ran: dates the guide computed, keys it captured.
 * - Everything else is compared exactly. A ```json block may be wrapped and indented as
 *   reads best: both sides are compacted first (whitespace outside strings dropped, one
 *   line per top-level value, so a status code printed after a body is a second value),
 *   and the printed side must be valid JSON. A ```text block is compared line by line,
 *   ignoring trailing spaces, carriage returns and trailing empty lines.
 */

const PLACEHOLDER = /<([A-Z][A-Z0-9_]*)>/g;

export function placeholderNames(expected: string): string[] {
  return [...new Set([...expected.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/**
 * Whitespace outside strings removed; top-level values separated by one newline. Works on
 * text that is JSON but for placeholders, which never sit inside a string's escapes.
 */
export function compactJson(text: string): string {
  let out = '';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let pendingSeparator = false;
  for (const ch of text) {
    if (inString) {
      out += ch;
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (/\s/.test(ch)) {
      if (depth === 0 && out !== '') pendingSeparator = true;
      continue;
    }
    if (pendingSeparator) {
      out += '\n';
      pendingSeparator = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      // Values printed back to back (two curl calls) are still two values.
      if (depth === 0) pendingSeparator = true;
    }
    out += ch;
  }
  return out;
}

/** The printed JSON values, each re-serialised so escapes are spelled one way. */
function normalisePrintedJson(printed: string): string {
  return compactJson(printed)
    .split('\n')
    .filter((value) => value !== '')
    .map((value) => JSON.stringify(JSON.parse(value)))
    .join('\n');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function lineRegExp(line: string, values: Record<string, string>): string {
  let source = '';
  let last = 0;
  for (const m of line.matchAll(/…|<([A-Z][A-Z0-9_]*)>/g)) {
    source += escapeRegExp(line.slice(last, m.index));
    if (m[0] === '…') source += '[^\\n]*?';
    else {
      const value = values[m[1]!];
      if (value === undefined || value === '')
        throw new Error(`the output names <${m[1]}> but the shell variable ${m[1]} is empty`);
      source += escapeRegExp(value);
    }
    last = m.index + m[0].length;
  }
  return source + escapeRegExp(line.slice(last));
}

function textLines(text: string): string[] {
  const lines = text
    .replace(/\r/g, '')
    .split('\n')
    .map((l) => l.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export interface Comparison {
  ok: boolean;
  /** Both sides as compared, for a readable failure. */
  expected: string;
  actual: string;
}

export function compareOutput(
  kind: 'json' | 'text',
  expected: string,
  printed: string,
  values: Record<string, string>,
): Comparison {
  let want: string[];
  let got: string[];
  if (kind === 'json') {
    want = compactJson(expected).split('\n');
    try {
      got = normalisePrintedJson(printed).split('\n');
    } catch (error) {
      return { ok: false, expected: want.join('\n'), actual: `(not JSON: ${error})\n${printed}` };
    }
  } else {
    want = textLines(expected);
    got = textLines(printed);
  }
  const source = want
    .map((line) =>
      kind === 'text' && line === '…' ? '(?:[^\\n]*\\n)*?' : `${lineRegExp(line, values)}\\n`,
    )
    .join('');
  const ok = new RegExp(`^${source}$`).test(got.length === 0 ? '' : `${got.join('\n')}\n`);
  return { ok, expected: want.join('\n'), actual: got.join('\n') };
}
