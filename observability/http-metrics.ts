/**
 * The API's Prometheus figures (issue #13 §1), with prom-client: request rate, latency histogram
 * and errors per route (the route's template, never its values), and the case's own figures read
 * from PostgreSQL at scrape time (db/cases/figures.ts) — counts by status, overdue cases, the
 * submit-to-decision latency of the last hour. No label carries personal data: labels are route
 * templates, methods, status classes, case statuses and fixed quantiles.
 */
import type { RequestHandler } from 'express';
import type { Pool } from 'pg';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { complaintFigures } from '../db/complaints';
import { removalFigures } from '../db/removals';
import { caseFigures, type CaseFigures } from '../db/cases/figures';

export interface ApiMetrics {
  registry: Registry;
  middleware: RequestHandler;
}

/** The route template of a handled request (`/v1/applications/:id`), as requestLogger logs it. */
function routeOf(req: Parameters<RequestHandler>[0]): string {
  const route = req.route as { path?: unknown } | undefined;
  return typeof route?.path === 'string' ? `${req.baseUrl}${route.path === '/' ? '' : route.path}` || '/' : '(unmatched)';
}

export function createApiMetrics(pool: Pool | undefined): ApiMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'api' });
  collectDefaultMetrics({ register: registry, prefix: 'hpc_api_' });
  const requests = new Counter({
    name: 'hpc_http_requests_total',
    help: 'HTTP requests by route template, method and status class',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'hpc_http_errors_total',
    help: 'HTTP responses with status 5xx (server errors) by route template and method',
    labelNames: ['route', 'method'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'hpc_http_request_duration_seconds',
    help: 'HTTP request latency by route template and method',
    labelNames: ['route', 'method'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  if (pool) {
    const scrapeErrors = new Counter({ name: 'hpc_case_figures_errors_total', help: 'Scrapes whose case figures could not be read', registers: [registry] });
    // One query set per scrape, shared by the gauges (prom-client collects them side by side).
    let pending: ReturnType<typeof caseFigures> | undefined;
    const figures = (): ReturnType<typeof caseFigures> => {
      pending ??= caseFigures(pool).finally(() => setTimeout(() => (pending = undefined), 1000).unref());
      return pending;
    };
    const each = <T extends string>(apply: (g: Gauge<T>, f: CaseFigures) => void) =>
      async function collect(this: Gauge<T>): Promise<void> {
        try {
          const f = await figures();
          this.reset();
          apply(this, f);
        } catch {
          scrapeErrors.inc();
        }
      };
    new Gauge({
      name: 'hpc_cases',
      help: 'Cases by status (applications.case_status)',
      labelNames: ['status'] as const,
      registers: [registry],
      collect: each<'status'>((g, f) => {
        for (const [status, n] of Object.entries(f.byStatus)) g.set({ status }, n);
      }),
    });
    new Gauge({
      name: 'hpc_cases_overdue',
      help: 'Undecided cases past their due instant or flagged OVERDUE (R13, R16, R17)',
      registers: [registry],
      collect: each((g, f) => g.set(f.overdue)),
    });
    new Gauge({
      name: 'hpc_cases_decided_last_hour',
      help: 'Cases decided in the last hour',
      registers: [registry],
      collect: each((g, f) => g.set(f.decidedLastHour)),
    });
    new Gauge({
      name: 'hpc_submit_to_decision_seconds',
      help: 'Submit-to-decision latency of the cases decided in the last hour, by quantile',
      labelNames: ['quantile'] as const,
      registers: [registry],
      collect: each<'quantile'>((g, f) => {
        for (const [quantile, v] of Object.entries(f.decisionSecondsLastHour)) if (v !== null) g.set({ quantile }, v);
      }),
    });
    // Complaints (R18, R19): open by status, and those past their next due instant.
    let complaintsPending: ReturnType<typeof complaintFigures> | undefined;
    const complaints = (): ReturnType<typeof complaintFigures> => {
      complaintsPending ??= complaintFigures(pool).finally(() => setTimeout(() => (complaintsPending = undefined), 1000).unref());
      return complaintsPending;
    };
    new Gauge({
      name: 'hpc_complaints_open',
      help: 'Open complaints by status (R18, R19)',
      labelNames: ['status'] as const,
      registers: [registry],
      async collect() {
        try {
          const f = await complaints();
          this.reset();
          for (const [status, n] of Object.entries(f.openByStatus)) this.set({ status }, n);
        } catch {
          scrapeErrors.inc();
        }
      },
    });
    // Removal cases (issue #11 §2): open by status, and those past the officer's due instant.
    let removalsPending: ReturnType<typeof removalFigures> | undefined;
    const removalCases = (): ReturnType<typeof removalFigures> => {
      removalsPending ??= removalFigures(pool).finally(() => setTimeout(() => (removalsPending = undefined), 1000).unref());
      return removalsPending;
    };
    new Gauge({
      name: 'hpc_removals_open',
      help: 'Open removal cases by status (Housing Law; APPC art. 73 hearing)',
      labelNames: ['status'] as const,
      registers: [registry],
      async collect() {
        try {
          const f = await removalCases();
          this.reset();
          for (const [status, n] of Object.entries(f.openByStatus)) this.set({ status }, n);
        } catch {
          scrapeErrors.inc();
        }
      },
    });
    new Gauge({
      name: 'hpc_removals_overdue',
      help: "Open removal cases past the officer's due instant",
      registers: [registry],
      async collect() {
        try {
          this.set((await removalCases()).overdue);
        } catch {
          scrapeErrors.inc();
        }
      },
    });
    new Gauge({
      name: 'hpc_complaints_overdue',
      help: 'Open complaints past their forwarding term or the review body term (R18, R19)',
      registers: [registry],
      async collect() {
        try {
          this.set((await complaints()).overdue);
        } catch {
          scrapeErrors.inc();
        }
      },
    });
  }
  const middleware: RequestHandler = (req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      const route = routeOf(req);
      end({ route, method: req.method });
      requests.inc({ route, method: req.method, status: `${Math.floor(res.statusCode / 100)}xx` });
      if (res.statusCode >= 500) errors.inc({ route, method: req.method });
    });
    next();
  };
  return { registry, middleware };
}
