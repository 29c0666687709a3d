/**
 * A guide, read as a script: its ```sh blocks in order, each with the output it promises.
 *
 * A ```json or ```text block right after a ```sh block is that block's expected output; a
 * ```sh block followed by anything else must print nothing. A ```json or ```text block
 * anywhere else is refused, so no output in a guide escapes the check. Other blocks
 * (```js, ```csv …) are shown, not run: a file the reader needs is written by a ```sh
 * block (a heredoc), so what the guide shows is what ran.
 */

export interface GuideStep {
  /** 1-based line of the ```sh fence, for failure messages. */
  line: number;
  code: string;
  expected: { kind: 'json' | 'text'; text: string; line: number } | null;
}

interface Fence {
  lang: string;
  line: number;
  body: string;
}

function fences(markdown: string): Fence[] {
  const lines = markdown.split('\n');
  const found: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]!);
    if (open === null) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    if (i === lines.length) throw new Error(`line ${start + 1}: a code block is never closed`);
    found.push({ lang: open[1]!, line: start + 1, body: body.join('\n') });
  }
  return found;
}

export function guideSteps(markdown: string): GuideStep[] {
  const all = fences(markdown);
  const steps: GuideStep[] = [];
  for (let i = 0; i < all.length; i++) {
    const fence = all[i]!;
    if (fence.lang === 'sh') {
      const next = all[i + 1];
      const output = next !== undefined && (next.lang === 'json' || next.lang === 'text');
      steps.push({
        line: fence.line,
        code: fence.body,
        expected: output
          ? { kind: next.lang as 'json' | 'text', text: next.body, line: next.line }
          : null,
      });
      if (output) i++;
    } else if (fence.lang === 'json' || fence.lang === 'text') {
      throw new Error(
        `line ${fence.line}: a \`\`\`${fence.lang} block must follow the \`\`\`sh block whose output it is`,
      );
    }
  }
  return steps;
}
