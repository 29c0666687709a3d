/**
 * Text a database can store. PostgreSQL refuses U+0000 in text (`invalid byte sequence
 * for encoding "UTF8": 0x00`) and a lone UTF-16 surrogate has no UTF-8 form, so SQLite
 * would store a replacement character instead of what was sent. Both are refused as
 * input, on every database alike, before any of it reaches SQL.
 */

// A NUL, a high surrogate not followed by a low one, or a low one not preceded by a high one.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is the point.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface UnstorableText {
  /** UTF-16 index of the first offending character. */
  index: number;
  /** What it is, in words: `a NUL character (U+0000)` or `a lone surrogate (U+D800)`. */
  what: string;
}

/** The first character of `text` no database can store, or null if there is none. */
export function findUnstorableText(text: string): UnstorableText | null {
  const match = UNSTORABLE.exec(text);
  if (!match) return null;
  const code = match[0].charCodeAt(0);
  const hex = code.toString(16).toUpperCase().padStart(4, '0');
  return {
    index: match.index,
    what: code === 0 ? 'a NUL character (U+0000)' : `a lone surrogate (U+${hex})`,
  };
}

/** The 1-based line of `text` that `index` falls on (CSV files report problems by line). */
export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

export interface UnstorableAt extends UnstorableText {
  /** JSON Pointer to the string (or the property name) holding it; '' for the value itself. */
  path: string;
  /** Set when the offending string is a property name rather than a value. */
  inPropertyName: boolean;
}

/**
 * Every string in a parsed value (property names included) with a character no database
 * can store. Iterative, so a deeply nested body cannot overflow the stack.
 */
export function findUnstorableStrings(value: unknown, limit = 20): UnstorableAt[] {
  const found: UnstorableAt[] = [];
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (stack.length > 0 && found.length < limit) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      const bad = findUnstorableText(current);
      if (bad) found.push({ ...bad, path, inPropertyName: false });
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--)
        stack.push({ value: current[i], path: `${path}/${i}` });
    } else if (current !== null && typeof current === 'object') {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const childPath = `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
        const badKey = findUnstorableText(key);
        if (badKey) found.push({ ...badKey, path: childPath, inPropertyName: true });
        stack.push({ value: child, path: childPath });
      }
    }
  }
  return found;
}
