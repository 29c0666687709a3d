// npm run web:metrics: the staff app's speed figures, printed, asserting nothing.
//   1. Initial JS, gzipped: the entry chunk and its static imports (dist/web/.vite/manifest.json).
//   2. Cold load of Today in Chromium over loopback (fresh profile, signed in): navigation
//      start → its h1 shown, no loader, no API call pending.
//   3. The Stock table at WEB_METRICS_ITEMS items (100,000 by default), created through the
//      API on a throwaway server, scrolled end to end: frames per second.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import {
  ADMIN_KEY,
  ensureBuilt,
  launchChromium,
  REPO_ROOT,
  settled,
  signedInContext,
  startStockroom,
} from './web-browser.js';

const WEB = join(REPO_ROOT, 'dist', 'web');
const ITEMS = Number(process.env.WEB_METRICS_ITEMS ?? 100_000);
const COLD_LOADS = 5;

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}

function initialBytes(): { js: number; css: number; files: number } {
  const manifest = JSON.parse(readFileSync(join(WEB, '.vite', 'manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >;
  const seen = new Set<string>();
  const css = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key]!;
    for (const sheet of chunk.css ?? []) css.add(sheet);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  const gz = (file: string) => gzipSync(readFileSync(join(WEB, file)), { level: 9 }).length;
  return {
    js: [...seen].reduce((sum, key) => sum + gz(manifest[key]!.file), 0),
    css: [...css].reduce((sum, file) => sum + gz(file), 0),
    files: seen.size,
  };
}

/**
 * Counts fetches in flight from the first script on, so "data loaded" can be seen. A string:
 * tsx's esbuild wraps named functions in __name(), which does not exist in the page.
 */
const TRACK_FETCHES = `{
  const state = { pending: 0 };
  window.__pending = state;
  const original = window.fetch.bind(window);
  window.fetch = (...args) => {
    state.pending++;
    return original(...args).finally(() => { state.pending--; });
  };
}`;

async function coldLoad(page: Page): Promise<number> {
  await page.addInitScript(TRACK_FETCHES);
  await page.goto('/', { waitUntil: 'commit' });
  // performance.now() counts from the navigation's start (the time origin). No named inner
  // functions here either (see TRACK_FETCHES).
  return page.evaluate(async () => {
    const pending = (window as unknown as { __pending: { pending: number } }).__pending;
    for (;;) {
      const ready =
        document.querySelector('main h1') !== null &&
        document.querySelector('.mantine-Loader-root') === null &&
        pending.pending === 0;
      if (ready) return performance.now();
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  });
}

async function seedItems(baseURL: string, count: number): Promise<void> {
  const call = async (path: string, body: unknown) => {
    const response = await fetch(`${baseURL}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  };
  await call('/v1/locations', { code: 'BIG', name: 'Big warehouse', kind: 'warehouse' });
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const sku = `M-${String(n).padStart(6, '0')}`;
      await call('/v1/items', { sku, name: `Metric item ${n}`, category: 'metrics', price: 9.5 });
      await call('/v1/stock/adjustments', {
        sku,
        location: 'BIG',
        delta: 1 + (n % 40),
        reason: 'web:metrics seed',
      });
      if (n > 0 && n % 10_000 === 0) {
        console.log(`  … ${n} items (${Math.round((Date.now() - started) / 1000)} s)`);
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** Scrolls the Stock screen's table to its end, a step per frame; frames per second. */
async function scrollStock(page: Page) {
  await page.goto('/stock');
  await settled(page, 120_000);
  return page.evaluate(async () => {
    const region = [...document.querySelectorAll<HTMLElement>('main section, main [role=region]')]
      .filter((el) => el.querySelector('table, [role=table]') && el.scrollHeight > el.clientHeight)
      .at(0);
    if (!region) return undefined;
    const table = region.querySelector('table, [role=table]');
    const rowCount = Number(table?.getAttribute('aria-rowcount') ?? 0) - 1;
    let frames = 0;
    let longFrames = 0;
    let stalled = 0;
    const start = performance.now();
    let last = start;
    for (;;) {
      const now = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
      frames++;
      if (now - last > 50) longFrames++;
      last = now;
      const before = region.scrollTop;
      region.scrollTop = before + region.clientHeight;
      const atEnd = region.scrollTop + region.clientHeight >= region.scrollHeight - 1;
      // More rows may load at the end (cursor paging): wait up to ~10 s of frames for them.
      stalled = region.scrollTop === before ? stalled + 1 : 0;
      if ((atEnd && stalled > 600) || now - start > 600_000) break;
    }
    const seconds = (performance.now() - start) / 1000;
    return { rowCount, frames, longFrames, seconds, fps: frames / seconds };
  });
}

ensureBuilt();
const bytes = initialBytes();
console.log(
  `Initial JS (entry + ${bytes.files - 1} static imports), gzipped: ${(bytes.js / 1024).toFixed(1)} KB` +
    ` (budget 300 KB); initial CSS gzipped: ${(bytes.css / 1024).toFixed(1)} KB`,
);

const browser = await launchChromium();
try {
  const demo = await startStockroom();
  try {
    const times: number[] = [];
    for (let run = 0; run < COLD_LOADS; run++) {
      const context = await signedInContext(browser, demo.baseURL);
      times.push(await coldLoad(await context.newPage()));
      await context.close();
    }
    times.sort((a, b) => a - b);
    console.log(
      `Today, cold load to interactive with its data (demo store, ${COLD_LOADS} fresh profiles):` +
        ` median ${Math.round(times[Math.floor(COLD_LOADS / 2)]!)} ms,` +
        ` best ${Math.round(times[0]!)} ms, worst ${Math.round(times.at(-1)!)} ms (goal < 1000 ms)`,
    );
  } finally {
    await demo.stop();
  }

  const big = await startStockroom({ demo: false, env: { STOCKROOM_RATE_LIMIT_PER_KEY: '0' } });
  try {
    console.log(`Creating ${ITEMS} items with stock through the API…`);
    const seeded = Date.now();
    await seedItems(big.baseURL, ITEMS);
    console.log(`  done in ${Math.round((Date.now() - seeded) / 1000)} s`);
    const context = await signedInContext(browser, big.baseURL);
    const result = await scrollStock(await context.newPage());
    if (!result) {
      console.log('Stock table: the Stock screen shows no scrollable table (not built yet?)');
    } else {
      console.log(
        `Stock table, ${result.rowCount} rows scrolled end to end in ${result.seconds.toFixed(1)} s:` +
          ` ${result.fps.toFixed(1)} frames/s, ${result.longFrames} frames over 50 ms` +
          ` of ${result.frames}`,
      );
    }
    await context.close();
  } finally {
    await big.stop();
  }
} finally {
  await browser.close();
}
