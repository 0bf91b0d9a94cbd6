/**
 * Small truths of issue #9 §5.6 that schemathesis (test/integration/schemathesis.test.ts) relies
 * on: an undeclared method on a declared path is 405 with an Allow header and a kk/ru error body;
 * the OpenAPI document states what the API enforces — the KATO and IIN patterns, `reason` required
 * when a report is rejected, the emergency path's fields, the representative who is not the
 * applicant — with an operationId on every operation, the security schemes, and the error body on
 * every problem response.
 */
import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { openApiDocument } from '../../api/openapi';
import { loadPolicy } from '../../security/policy/policy';
import { testApiApp } from '../helpers/api';
import { startStack, type Stack } from '../helpers/stack';

jest.setTimeout(120_000);

let stack: Stack;
let app: Express;

beforeAll(async () => {
  stack = await startStack();
  app = testApiApp(stack);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
type Doc = {
  paths: Record<string, Record<string, { operationId?: string; security?: unknown[]; responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }>>;
  components: { schemas: Record<string, Record<string, unknown> & { properties?: Record<string, Record<string, unknown>> }>; securitySchemes?: Record<string, unknown> };
  security?: unknown[];
};
const doc = (): Doc => openApiDocument() as unknown as Doc;

describe('undeclared methods (§5.6)', () => {
  it('every declared path answers an undeclared method with 405, an Allow header naming the declared ones, and kk/ru text', async () => {
    const byPath = new Map<string, Set<string>>();
    for (const e of loadPolicy().endpoints) {
      const set = byPath.get(e.path) ?? new Set<string>();
      set.add(e.method);
      byPath.set(e.path, set);
    }
    let probed = 0;
    for (const [template, declared] of byPath) {
      // A real-looking path; the literal `sign-request` is declared on its own, so `:id` is a UUID.
      const path = template.replace(':id', randomUUID()).replace(':code', 'C3').replace(':kato', '351010000').replace(':iin', '950314419498');
      for (const method of METHODS.filter((m) => !declared.has(m))) {
        const res = await request(app)[method.toLowerCase() as 'get'](path).set('X-HPC-Actor', 'operator:OP-0001');
        if (res.status !== 405) throw new Error(`${method} ${template}: ${res.status} ${JSON.stringify(res.body)}`);
        const allow = String(res.headers.allow).split(/,\s*/).sort();
        // The most specific template the path fits: /v1/applications/sign-request is not an :id.
        const fitting = [...byPath].filter(([t]) => {
          const a = t.split('/');
          const b = path.split('/');
          return a.length === b.length && a.every((part, i) => part.startsWith(':') || part === b[i]);
        });
        const literals = (t: string): number => t.split('/').filter((p) => !p.startsWith(':')).length;
        const most = Math.max(...fitting.map(([t]) => literals(t)));
        const all = new Set(fitting.filter(([t]) => literals(t) === most).flatMap(([, m]) => [...m]));
        const want = [...all, ...(all.has('GET') ? ['HEAD'] : [])].sort();
        expect({ path: template, method, allow }).toEqual({ path: template, method, allow: want });
        expect(res.body.error).toMatchObject({ code: 'METHOD_NOT_ALLOWED', message: { kk: expect.any(String), ru: expect.any(String), en: expect.any(String) } });
        probed += 1;
      }
    }
    expect(probed).toBeGreaterThan(100);
  });

  it('an undeclared path is still 404', async () => {
    const res = await request(app).delete('/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('ROUTE_NOT_FOUND');
  });
});

describe('the OpenAPI document states what the API enforces (§5.6)', () => {
  it('every operation has a unique operationId, and every problem response the error body', () => {
    const ids: string[] = [];
    for (const [path, ops] of Object.entries(doc().paths)) {
      for (const [method, op] of Object.entries(ops)) {
        expect({ path, method, operationId: typeof op.operationId }).toEqual({ path, method, operationId: 'string' });
        ids.push(op.operationId!);
        for (const [status, response] of Object.entries(op.responses)) {
          if (Number(status) < 400 || (path === '/health' && status === '503')) continue; // /health's 503 is its report
          expect({ path, method, status, schema: response.content?.['application/problem+json']?.schema ?? response.content?.['application/json']?.schema }).toEqual({
            path,
            method,
            status,
            schema: { $ref: '#/components/schemas/Error' },
          });
        }
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('names its security schemes, and each guarded operation says which; public ones say none', () => {
    const d = doc();
    expect(Object.keys(d.components.securitySchemes ?? {}).sort()).toEqual(['bearer', 'devActor', 'sessionCookie']);
    const publicPaths = new Set(loadPolicy().endpoints.filter((e) => e.public).map((e) => `${e.method} ${e.path}`));
    for (const [path, ops] of Object.entries(d.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const key = `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
        if (publicPaths.has(key)) expect({ key, security: op.security }).toEqual({ key, security: [] });
        else expect({ key, security: op.security ?? d.security }).toEqual({ key, security: [{ bearer: [] }, { sessionCookie: [] }, { devActor: [] }] });
      }
    }
  });

  it('the KATO and IIN patterns, the rejection reason, the emergency fields and the representative', () => {
    const s = doc().components.schemas;
    expect(s.CreateApplication.properties?.kato.pattern).toBe('^\\d{9}$');
    expect(s.CreateApplication.properties?.applicantIin.pattern).toBe('^\\d{12}$');
    expect(String(s.CreateApplication.properties?.representativeIin.description)).toMatch(/SAME_AS_APPLICANT/);
    expect(s.CreateApplication.then).toEqual({ required: ['emergencyPropertyId'] });
    expect(s.ReportReview.if).toEqual({ properties: { accepted: { const: false } }, required: ['accepted'] });
    expect(s.ReportReview.then).toMatchObject({ required: ['reason'] });
    const queue = doc().paths['/v1/queue/{kato}'].get as unknown as { parameters: { name: string; schema: { pattern?: string } }[] };
    expect(queue.parameters.find((p) => p.name === 'kato')?.schema.pattern).toBe('^\\d{9}$');
  });
});
