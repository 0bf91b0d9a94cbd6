/**
 * api/web.ts (issue #12): the pages at /, /apply, /case/<id>, /staff/…, /queue/<kato> answer with
 * the app's page (its own CSP, NCALayer's address filled in); built assets are served with a long
 * cache; the API's own paths — /v1/…, /openapi.json, /health — are never shadowed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { ncaLayerUrlFrom, webApp } from '../../api/web';

let dir: string;
let app: express.Express;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hpc-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html lang="kk"><head><meta name="hpc-ncalayer" content="wss://127.0.0.1:13579/" /></head><body></body></html>');
  writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
  app = express();
  app.use(webApp({ dir, ncaLayerUrl: 'wss://127.0.0.1:24680/' }));
  app.use((req, res) => {
    res.status(404).json({ passedThrough: `${req.method} ${req.path}` });
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the pages', () => {
  it.each(['/', '/apply', '/case/0b5f8f8e-3c1e-4d8e-9a7e-2f7f2b9c1d11', '/case/0b5f8f8e-3c1e-4d8e-9a7e-2f7f2b9c1d11/queue-history', '/case/0b5f8f8e-3c1e-4d8e-9a7e-2f7f2b9c1d11/queue-check', '/staff', '/staff/', '/staff/case/0b5f8f8e-3c1e-4d8e-9a7e-2f7f2b9c1d11', '/queue/351010000', '/queue/351010000/?category=ORPHAN&lang=ru'])(
    '%s answers with the app',
    async (path) => {
      const res = await request(app).get(path);
      expect(res.status).toBe(200);
      expect(res.type).toBe('text/html');
      expect(res.text).toContain('<meta name="hpc-ncalayer" content="wss://127.0.0.1:24680/"');
      expect(res.headers['cache-control']).toBe('no-cache');
      const csp = res.headers['content-security-policy'] as string;
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain('connect-src \'self\' wss://127.0.0.1:24680');
      expect(csp).toContain("frame-ancestors 'none'");
    },
  );

  it('serves built assets for a year and 404s a missing one', async () => {
    const js = await request(app).get('/assets/index-abc.js');
    expect(js.status).toBe(200);
    expect(js.headers['cache-control']).toContain('immutable');
    expect((await request(app).get('/assets/nope.js')).status).toBe(404);
  });
});

describe('the API is not shadowed', () => {
  it.each([
    ['GET', '/v1/queue/351010000'],
    ['GET', '/v1/applications/0b5f8f8e-3c1e-4d8e-9a7e-2f7f2b9c1d11'],
    ['GET', '/openapi.json'],
    ['GET', '/health'],
    ['GET', '/healthz'],
    ['GET', '/queue/12'],
    ['GET', '/case/not-a-case'],
    ['GET', '/case/0b5f8f8e-3c1e-4d8e-9a7e-2f7f2b9c1d11/queue-other'],
    ['POST', '/'],
    ['POST', '/staff/'],
  ])('%s %s passes through', async (method, path) => {
    const res = method === 'GET' ? await request(app).get(path) : await request(app).post(path);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ passedThrough: `${method} ${path.split('?')[0]}` });
  });
});

describe('HPC_NCALAYER_URL', () => {
  it('is the live address unless set, and only a ws(s) URL', () => {
    expect(ncaLayerUrlFrom(undefined)).toBe('wss://127.0.0.1:13579/');
    expect(ncaLayerUrlFrom('ws://127.0.0.1:5000')).toBe('ws://127.0.0.1:5000/');
    expect(() => ncaLayerUrlFrom('http://127.0.0.1:5000/')).toThrow(/ws/);
    expect(() => ncaLayerUrlFrom('nonsense')).toThrow(/not a URL/);
  });
});

describe('a missing build', () => {
  it('answers 503 with how to build, not a blank page', async () => {
    const bare = express();
    bare.use(webApp({ dir: join(dir, 'nothing-here') }));
    const res = await request(bare).get('/');
    expect(res.status).toBe(503);
    expect(res.text).toContain('npm start');
  });
});
