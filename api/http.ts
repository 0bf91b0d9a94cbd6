/**
 * Small HTTP building blocks shared by the routers: the dependencies, the request log, content-type
 * guards and canonical JSON for request hashing.
 */
import { createHash } from 'node:crypto';
import type { AdmissionLimits } from '../db/intake';
import type { Client } from '@temporalio/client';
import type { RequestHandler } from 'express';
import type { Pool } from 'pg';
import type { ReferenceSnapshot } from '../domain/procedure/reference';
import type { Logger } from 'pino';
import type { Settings } from '../config/settings';
import { apiError } from './errors';
import type { HardeningSettings } from './hardening';

export interface ApiDeps {
  pool: Pool;
  client: Client;
  settings: Settings;
  /** Defaults to a pino logger on stdout; tests pass their own to keep output quiet or to inspect it. */
  logger?: Logger;
  /** Overrides of the environment's CORS and rate-limit settings (api/hardening.ts), for tests. */
  hardening?: Partial<HardeningSettings>;
  /** When intake counts the database as full (db/intake/admission.ts; HPC_INTAKE_MAX_WAIT_MS / _MAX_WAITING). */
  admission?: AdmissionLimits;
  /**
   * The reference data (calendar, interpretations) a new case pins for its life: by default the
   * installed one (with HPC_DEV_ALWAYS_OPEN, the development calendar). Passed only in code, never
   * from the environment: a browser test pins a hearing minutes away to reach the officer's outcome.
   */
  reference?: () => ReferenceSnapshot;
}

/**
 * One log line per request: method, route template, status, duration — nothing else. The path is
 * logged as its template (`/v1/applications/:id`), never the URL: URLs and query strings carry case
 * ids, report numbers and KATO codes, and bodies carry IINs and phone numbers.
 */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = req.route as { path?: unknown } | undefined;
      const template = typeof route?.path === 'string' ? `${req.baseUrl}${route.path === '/' ? '' : route.path}` || '/' : '(unmatched)';
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({ method: req.method, route: template, status: res.statusCode, durationMs: Math.round(durationMs * 10) / 10 }, 'request');
    });
    next();
  };
}

/** Whether the request carries a body (a POST without one is treated as an empty JSON object where allowed). */
function hasBody(req: Parameters<RequestHandler>[0]): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** A JSON endpoint: a body of another type is 415 (otherwise it would silently read as no body). */
export const requireJson: RequestHandler = (req, _res, next) => {
  if (hasBody(req) && !req.is('application/json')) {
    next(apiError(415, 'UNSUPPORTED_MEDIA_TYPE'));
    return;
  }
  next();
};

/** Responses about a person's case are never stored by browsers or proxies. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};

/** JSON with object keys sorted at every level and undefined members dropped: a stable hash input. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
