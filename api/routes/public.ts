/**
 * Public endpoints (no actor): the published queue lists (A2.C3; Housing Law arts. 71, 78) and health.
 */
import type { Request, Response } from 'express';
import { localityOf } from '../../domain/kato';
import { queueListPage } from '../../db/cases';
import { parseOrThrow } from '../errors';
import type { ApiDeps } from '../http';
import { queueParams, queueQuery } from '../schemas';
import { temporalReachable } from '../workflow-gateway';

/**
 * GET /v1/queue/:kato — a page of the published list (queueListPage). Only position, date, number
 * and categories are published: never names, IINs or case ids — and for a person without consent
 * C3 in force (never given, or withdrawn) only the position: the entry keeps its place, so everyone
 * else's positions stay true, but carries no identifier (docs/personal-data.md).
 */
export function queueListHandler(deps: ApiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const { kato } = parseOrThrow(queueParams, req.params);
    const { category, page, pageSize } = parseOrThrow(queueQuery, req.query);
    const locality = localityOf(kato);
    const { total, entries } = await queueListPage(deps.pool, { locality, ...(category ? { category } : {}), page, pageSize });
    res.json({ kato: locality, ...(category ? { category } : {}), total, page, pageSize, entries });
  };
}

async function databaseReachable(deps: ApiDeps): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('database health check timed out')), 2_000);
    });
    await Promise.race([deps.pool.query('SELECT 1'), timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** GET /health — 200 when both PostgreSQL and Temporal answer, else 503 `degraded`. */
export function healthHandler(deps: ApiDeps) {
  return async (_req: Request, res: Response): Promise<void> => {
    const [db, temporal] = await Promise.all([databaseReachable(deps), temporalReachable(deps.client)]);
    const ok = db && temporal;
    res.status(ok ? 200 : 503).json({
      status: ok ? 'ok' : 'degraded',
      checks: { database: db ? 'ok' : 'down', temporal: temporal ? 'ok' : 'down' },
    });
  };
}
