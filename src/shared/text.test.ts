import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findUnstorableStrings, findUnstorableText, lineAt } from './text.js';

describe('findUnstorableText', () => {
  it('finds NUL and lone surrogates, and passes paired surrogates', () => {
    const table: [string, number | null, string | null][] = [
      ['plain text', null, null],
      ['tea \u{1F375} and \u{1F600}', null, null],
      ['a\u0000b', 1, 'a NUL character (U+0000)'],
      ['\ud800', 0, 'a lone surrogate (U+D800)'],
      ['x\ud83d y', 1, 'a lone surrogate (U+D83D)'],
      ['\udfffz', 0, 'a lone surrogate (U+DFFF)'],
      ['\u{1F375}\udc00', 2, 'a lone surrogate (U+DC00)'],
      ['\ud800\ud800\udc00', 0, 'a lone surrogate (U+D800)'],
    ];
    for (const [text, index, what] of table) {
      const found = findUnstorableText(text);
      assert.deepEqual(
        found && [found.index, found.what],
        index === null ? null : [index, what],
        JSON.stringify(text),
      );
    }
  });

  it('counts lines from 1', () => {
    assert.equal(lineAt('a\nb\nc\u0000', 5), 3);
    assert.equal(lineAt('\u0000', 0), 1);
    assert.equal(lineAt('a\r\nb', 3), 2);
  });
});

describe('findUnstorableStrings', () => {
  it('walks values and property names, with JSON pointers', () => {
    const found = findUnstorableStrings({
      name: 'ok',
      lines: [{ sku: 'K\u0000' }, 'fine'],
      'a/b\u0000': 1,
    });
    assert.deepEqual(found.map((f) => [f.path, f.inPropertyName]).sort(), [
      ['/a~1b\u0000', true],
      ['/lines/0/sku', false],
    ]);
  });

  it('survives a deeply nested value without overflowing the stack', () => {
    let deep: unknown = '\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    assert.equal(findUnstorableStrings(deep).length, 1);
  });
});
