import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { json, startTestApp, type TestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REDOCLY = join(ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
const CONFIG = join(ROOT, 'redocly.yaml');
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'];

interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { pointer?: string }[];
}
interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: LintProblem[];
}
interface Operation {
  operationId?: string;
  tags?: string[];
  responses: Record<string, unknown>;
}
interface OpenApiDocument {
  tags: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
}

/**
 * Runs the Redocly CLI, the way CI would, on a document written to a temp file, with the
 * repository's redocly.yaml. Offline: telemetry is off there and here, and the update
 * check is suppressed.
 */
async function lint(document: unknown): Promise<LintReport> {
  const dir = mkdtempSync(join(tmpdir(), 'stockroom-openapi-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document, null, 2));
    const args = [REDOCLY, 'lint', file, '--config', CONFIG, '--format=json'];
    // redocly exits 1 when it finds errors; the report on stdout is what is asserted.
    const { stdout } = await promisify(execFile)(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: { stdout?: string; stderr?: string }) => {
      if (error.stdout) return { stdout: error.stdout };
      throw new Error(`redocly lint did not run: ${error.stderr ?? String(error)}`);
    });
    return JSON.parse(stdout) as LintReport;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function operations(doc: OpenApiDocument) {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => HTTP_METHODS.includes(method))
      .map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
  );
}

const summarize = (report: LintReport) =>
  report.problems
    .map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`)
    .join('\n');

// The document does not depend on the data, so one app per database is enough.
for (const target of testDatabases()) {
  describe(`OpenAPI lint (${target.kind})`, () => {
    let t: TestApp;
    let doc: OpenApiDocument;
    before(async () => {
      t = await startTestApp(target);
      const response = await t.request({ method: 'GET', url: '/openapi.json', key: null });
      assert.equal(response.statusCode, 200, response.body);
      doc = json<OpenApiDocument>(response);
    });
    after(async () => {
      await t.close();
    });

    it('passes redocly lint (recommended ruleset): 0 errors, 0 warnings', async () => {
      const report = await lint(doc);
      assert.deepEqual(
        [report.totals.errors, report.totals.warnings, report.totals.ignored],
        [0, 0, 0],
        summarize(report),
      );
    });

    it('names every operation verb-noun in camelCase, each name once', () => {
      const ids = operations(doc).map(({ key, op }) => {
        assert.match(op.operationId ?? '', /^[a-z]+(?:[A-Z][a-z0-9]*)+$/, key);
        return op.operationId;
      });
      assert.ok(ids.length > 90, `only ${ids.length} operations`);
      assert.equal(new Set(ids).size, ids.length, 'operationIds repeat');
      const byKey = new Map(operations(doc).map(({ key, op }) => [key, op.operationId]));
      // The names the typed client and integrators' code call; renaming one is a breaking change.
      assert.equal(byKey.get('GET /v1/items'), 'listItems');
      assert.equal(byKey.get('POST /v1/items'), 'createItem');
      assert.equal(byKey.get('GET /v1/availability/{sku}'), 'getItemAvailability');
      assert.equal(byKey.get('POST /v1/orders'), 'placeOrder');
      assert.equal(byKey.get('POST /v1/purchase-orders/{id}/receipts'), 'receivePurchaseOrderLine');
      assert.equal(byKey.get('POST /v1/purchase-orders/{id}/send'), 'sendPurchaseOrder');
    });

    it('declares, with a description, exactly the tags the operations use', () => {
      const used = new Set(operations(doc).flatMap(({ op }) => op.tags ?? []));
      const declared = doc.tags.map((tag) => tag.name);
      assert.deepEqual([...declared].sort(), [...used].sort());
      for (const tag of doc.tags) assert.ok((tag.description ?? '').length > 10, tag.name);
    });

    it('reports what it should: an unnamed operation, an undeclared tag, a /v1 route with no 4xx', async () => {
      // A broken copy proves the lint and redocly.yaml can fail, and that the health
      // exception does not swallow /v1 routes.
      const broken = structuredClone(doc);
      const listItems = broken.paths['/v1/items']?.get;
      assert.ok(listItems);
      delete listItems.operationId;
      listItems.tags = ['undeclared'];
      for (const status of Object.keys(listItems.responses)) {
        if (status.startsWith('4')) delete listItems.responses[status];
      }
      const report = await lint(broken);
      const rules = report.problems.map((p) => `${p.severity} ${p.ruleId}`).sort();
      assert.deepEqual(
        rules,
        [
          'error operation-tag-defined',
          'warn operation-operationId',
          'warn rule/operation-4xx-response-outside-health',
        ],
        summarize(report),
      );
      for (const problem of report.problems) {
        assert.match(problem.location[0]?.pointer ?? '', /^#\/paths\/~1v1~1items\/get/);
      }
    });
  });
}
