/**
 * Serves the web app (issue #12, docs/web.md): the built files of web/ (`web/dist`, made by
 * `npm start` and by the browser tests; git-ignored) at `/assets/…`, and its one page for the
 * citizen cabinet (`/`, `/apply`, `/case/<id>`, its `/queue-history` and `/queue-check`), the staff console (`/staff/…`) and the public queue
 * (`/queue/<kato>`). Everything else — `/v1/…`, `/openapi.json`, `/health` — passes through to the
 * API untouched.
 *
 * A plain middleware, not a router: the policy guard (api/auth/authorise.ts) lists the app's
 * routes, and these pages are public files, not endpoints of the policy.
 *
 * The page gets its own security headers: the API's CSP allows nothing, a page needs its own
 * scripts and styles, and a WebSocket to NCALayer on the person's computer (wss://127.0.0.1:13579/,
 * docs/eds.md). The NCALayer address is written into the page (`<meta name="hpc-ncalayer">`) from
 * `HPC_NCALAYER_URL` so the development stand-in (dev/ncalayer/) can listen elsewhere in tests;
 * production keeps the live address.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';

export const DEFAULT_NCALAYER_URL = 'wss://127.0.0.1:13579/';
export const WEB_DIST = resolve(__dirname, '..', 'web', 'dist');

export interface WebOptions {
  /** The built app (default web/dist). */
  dir?: string;
  /** NCALayer's WebSocket address for the pages (default HPC_NCALAYER_URL, else the live one). */
  ncaLayerUrl?: string;
}

/** The pages of the app: client-side routes that all answer with index.html. */
const PAGE = /^\/(?:|apply|case\/[0-9a-f-]{36}(?:\/queue-history|\/queue-check)?|staff(?:\/.*)?|queue\/\d{9}\/?)$/;

export function ncaLayerUrlFrom(raw: string | undefined): string {
  if (raw === undefined || raw === '') return DEFAULT_NCALAYER_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`HPC_NCALAYER_URL: "${raw}" is not a URL`);
  }
  if (url.protocol !== 'wss:' && url.protocol !== 'ws:') throw new Error(`HPC_NCALAYER_URL must be a ws:// or wss:// URL, got "${raw}"`);
  return url.href;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function webApp(o: WebOptions = {}): RequestHandler {
  const dir = o.dir ?? WEB_DIST;
  const ncaLayerUrl = ncaLayerUrlFrom(o.ncaLayerUrl ?? process.env.HPC_NCALAYER_URL);
  const ncaOrigin = new URL(ncaLayerUrl).origin.replace(/^http/, 'ws');
  const pageHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", ncaOrigin],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
      },
    },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'no-referrer' },
  });
  const assets = express.static(join(dir, 'assets'), { index: false, immutable: true, maxAge: '365d', fallthrough: false });

  // index.html is read once per change of the build (mtime), with the NCALayer address filled in.
  let cached: { mtimeMs: number; html: string } | undefined;
  function page(): string | undefined {
    const file = join(dir, 'index.html');
    if (!existsSync(file)) return undefined;
    const { mtimeMs } = statSync(file);
    if (!cached || cached.mtimeMs !== mtimeMs) {
      const html = readFileSync(file, 'utf8').replace(
        /<meta name="hpc-ncalayer" content="[^"]*"/,
        `<meta name="hpc-ncalayer" content="${escapeAttr(ncaLayerUrl)}"`,
      );
      cached = { mtimeMs, html };
    }
    return cached.html;
  }

  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const path = req.path;
    if (path.startsWith('/assets/')) {
      pageHeaders(req, res, () => {
        req.url = req.url.slice('/assets'.length);
        assets(req, res, (err?: unknown) => {
          req.url = `/assets${req.url}`;
          if (err) {
            res.status(404).type('text/plain').send('not found');
            return;
          }
          next();
        });
      });
      return;
    }
    if (!PAGE.test(path)) return next();
    pageHeaders(req, res, () => {
      const html = page();
      res.set('Cache-Control', 'no-cache');
      if (html === undefined) {
        res.status(503).type('text/plain').send('The web app is not built: run `npm start` (or `npx vite build --config web/vite.config.ts`).');
        return;
      }
      res.status(200).type('html').send(html);
    });
  };
}
