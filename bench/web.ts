/**
 * `npm run bench -- web` (issue #12): the citizen page's weight and first render.
 *
 *   jsGzipBytes       the JavaScript the citizen page loads (its module script and preloads), gzip -9;
 *                     budget 200 KB (204 800 bytes)
 *   cssGzipBytes      its stylesheet, gzip -9
 *   firstRenderMs     from navigation start until the page's first heading is in the document, in
 *                     Chromium with the CPU throttled 4× (CDP Emulation.setCPUThrottlingRate), the
 *                     median of the runs; firstContentfulPaintMs likewise
 *
 * The page is served by api/web.ts from a fresh `vite build`; /v1/auth/session answers 401 as for
 * a person not signed in yet, so the first render is the sign-in page every citizen sees first.
 * Results in bench/results/web.json (`--quick`: 3 runs, bench/results/web.quick.tmp).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import express from 'express';
import { WEB_DIST, webApp } from '../api/web';
import { buildWeb, launchChromium } from '../test/helpers/browser';

const BUDGET_BYTES = 200 * 1024;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function assetSizes(): { js: number; css: number; files: string[] } {
  const html = readFileSync(join(WEB_DIST, 'index.html'), 'utf8');
  const js = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+\.js)"/g)].map((m) => m[1]);
  const css = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+\.css)"/g)].map((m) => m[1]);
  const size = (files: string[]): number => files.reduce((n, f) => n + gzipSync(readFileSync(join(WEB_DIST, f.replace(/^\//, ''))), { level: 9 }).length, 0);
  return { js: size(js), css: size(css), files: [...js, ...css] };
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const runs = quick ? 3 : 9;
  buildWeb();
  const sizes = assetSizes();

  const app = express();
  app.use(webApp());
  app.use('/v1', (_req, res) => {
    res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: { kk: '', ru: '', en: '' } } });
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/?lang=kk`;
  const browser = await launchChromium();
  const firstRender: number[] = [];
  const fcp: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
      // Before any page script: note the instant (ms since navigation start) the first heading appears.
      // (A string: tsx would wrap named functions in a helper the page does not have.)
      await page.addInitScript(`
        new MutationObserver((_, mo) => {
          if (window.__firstRender === undefined && document.querySelector('main h1')) {
            window.__firstRender = performance.now();
            mo.disconnect();
          }
        }).observe(document, { childList: true, subtree: true });
      `);
      await page.goto(url, { waitUntil: 'load' });
      await page.waitForSelector('main h1');
      const t = await page.evaluate(() => {
        const g = globalThis as unknown as { __firstRender?: number; performance: { getEntriesByName(n: string): { startTime: number }[] } };
        const paint = g.performance.getEntriesByName('first-contentful-paint')[0];
        return { render: g.__firstRender ?? NaN, fcp: paint ? paint.startTime : NaN };
      });
      firstRender.push(Math.round(t.render));
      fcp.push(Math.round(t.fcp));
      await context.close();
    }
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
  const result = {
    at: new Date().toISOString(),
    page: 'citizen cabinet (/), signed out, Kazakh',
    jsGzipBytes: sizes.js,
    cssGzipBytes: sizes.css,
    budgetBytes: BUDGET_BYTES,
    withinBudget: sizes.js < BUDGET_BYTES,
    cpuThrottlingRate: 4,
    runs,
    firstContentfulPaintMs: { median: median(fcp), min: Math.min(...fcp), max: Math.max(...fcp) },
    firstRenderMs: { median: median(firstRender), all: firstRender },
    files: sizes.files,
    chromium: browser.version(),
  };
  const out = join(__dirname, 'results', quick ? 'web.quick.tmp' : 'web.json');
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (process.argv.includes('--check') && !result.withinBudget) process.exit(2);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
