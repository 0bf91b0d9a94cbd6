/**
 * Issue #13 §1: the API's Prometheus figures per route template (never a value from the path),
 * errors counted, and the probe server's liveness and readiness apart.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { createApiMetrics } from '../../observability/http-metrics';
import { startProbeServer } from '../../observability/probe-server';

test('request rate, latency and errors are labelled by route template, method and status class only', async () => {
  const metrics = createApiMetrics(undefined);
  const app = express();
  app.use(metrics.middleware);
  app.get('/v1/applications/:id', (_req, res) => res.json({}));
  app.get('/boom', (_req, res) => res.status(503).json({}));
  await request(app).get('/v1/applications/950314419498').expect(200);
  await request(app).get('/boom').expect(503);
  await request(app).get('/nowhere/870101300123').expect(404);
  const text = await metrics.registry.metrics();
  expect(text).toContain('hpc_http_requests_total{route="/v1/applications/:id",method="GET",status="2xx",service="api"} 1');
  expect(text).toContain('hpc_http_errors_total{route="/boom",method="GET",service="api"} 1');
  expect(text).toContain('hpc_http_request_duration_seconds_count{service="api",route="/v1/applications/:id",method="GET"} 1');
  expect(text).toContain('route="(unmatched)"');
  // No IIN (or any 10+ digit run) in any label.
  expect(text).not.toMatch(/\d{10,}"/);
});

test('/health is liveness, /ready is readiness, /metrics the registry', async () => {
  let ready = false;
  const metrics = createApiMetrics(undefined);
  const probes = await startProbeServer({ host: '127.0.0.1', port: 0, registry: metrics.registry, ready: async () => ready });
  try {
    expect((await fetch(`${probes.url}/health`)).status).toBe(200);
    expect((await fetch(`${probes.url}/ready`)).status).toBe(503);
    ready = true;
    expect((await fetch(`${probes.url}/ready`)).status).toBe(200);
    const m = await fetch(`${probes.url}/metrics`);
    expect(m.status).toBe(200);
    expect(await m.text()).toContain('hpc_api_process_cpu_seconds_total');
  } finally {
    await probes.close();
  }
});

test('the Grafana dashboard (deploy/grafana) reads metrics the API exports and the SDK metrics of the workers', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dashboard = require('../../deploy/grafana/otbasy-hpc.json') as { panels: { targets: { expr: string }[] }[] };
  const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
  const source = readFileSync(join(__dirname, '..', '..', 'observability', 'http-metrics.ts'), 'utf8');
  const hpcNames = new Set(exprs.flatMap((e) => e.match(/hpc_[a-z_]+/g) ?? []).map((n) => n.replace(/_(bucket|count|sum)$/, '')));
  for (const name of hpcNames) expect({ name, exported: source.includes(`'${name}'`) }).toEqual({ name, exported: true });
  expect(exprs.some((e) => e.includes('temporal_workflow_task_schedule_to_start_latency'))).toBe(true);
  for (const name of ['hpc_cases', 'hpc_cases_overdue', 'hpc_submit_to_decision_seconds', 'hpc_complaints_open', 'hpc_complaints_overdue']) expect(hpcNames.has(name)).toBe(true);
});
