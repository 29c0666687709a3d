// A node:test reporter that prints nothing but, once the run ends, the test files that
// took longest: the sum of each file's top-level tests and suites, which leaves out the
// process start and imports every file pays alike. Used beside the normal reporter by
// scripts/run-tests.mjs, so slow files are seen without reading the whole log.
const SHOWN = 10;

export default async function* slowestFiles(source) {
  const byFile = new Map();
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { data } = event;
    if (data.nesting !== 0 || data.file === undefined) continue;
    byFile.set(data.file, (byFile.get(data.file) ?? 0) + (data.details?.duration_ms ?? 0));
  }
  if (byFile.size === 0) return;
  const cwd = `${process.cwd()}/`;
  const slowest = [...byFile].sort((a, b) => b[1] - a[1]).slice(0, SHOWN);
  yield `\nSlowest ${slowest.length} test files (time in their tests):\n`;
  for (const [file, ms] of slowest) {
    const name = file.startsWith(cwd) ? file.slice(cwd.length) : file;
    yield `${(ms / 1000).toFixed(1).padStart(8)} s  ${name}\n`;
  }
}
