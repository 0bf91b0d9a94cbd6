/**
 * Public endpoints (no actor): the published queue lists (A2.C3; Housing Law arts. 71, 78) and health.
 */
import type { Request, Response } from 'express';
import { localityOf } from '../../domain/kato';
import { publishedSql } from '../../personal-data/consents';
import { parseOrThrow } from '../errors';
import type { ApiDeps } from '../http';
import { queueParams, queueQuery } from '../schemas';
import { temporalReachable } from '../workflow-gateway';
import { registrationDate } from './read';

interface QueueRow {
  position: number;
  registration_number: string;
  registered_at: Date;
  categories: string[];
  published: boolean;
}

/**
 * GET /v1/queue/:kato — one page of a locality's list, or of one category's list within it.
 * Position is the rank by (received_at, application_id) among active entries (SPEC §7), computed
 * over the whole (filtered) list before paging. Only position, date, number and categories are
 * published: never names, IINs or case ids — and for a person without consent C3 in force (never
 * given, or withdrawn) only the position: the entry keeps its place, so everyone else's positions
 * stay true, but carries no identifier (docs/personal-data.md).
 */
export function queueListHandler(deps: ApiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const { kato } = parseOrThrow(queueParams, req.params);
    const { category, page, pageSize } = parseOrThrow(queueQuery, req.query);
    const locality = localityOf(kato);
    const filter = `status = 'ACTIVE' AND locality = $1 ${category ? 'AND $2 = ANY (categories)' : ''}`;
    const filterArgs: unknown[] = category ? [locality, category] : [locality];
    const n = filterArgs.length;
    // Keyset paging comes later; OFFSET is fine for the list sizes of one locality.
    const [rows, count] = await Promise.all([
      deps.pool.query<QueueRow>(
        `SELECT position, registration_number, registered_at, categories, ${publishedSql('paged.application_id')} AS published
           FROM (
             SELECT * FROM (
               SELECT application_id, registration_number, registered_at, categories,
                      row_number() OVER (ORDER BY received_at, application_id) AS position
                 FROM queue_entries WHERE ${filter}
             ) ranked
             ORDER BY position OFFSET $${n + 1} LIMIT $${n + 2}
           ) paged
          ORDER BY position`,
        [...filterArgs, (page - 1) * pageSize, pageSize],
      ),
      deps.pool.query<{ total: number }>(`SELECT count(*)::int AS total FROM queue_entries WHERE ${filter}`, filterArgs),
    ]);
    res.json({
      kato: locality,
      ...(category ? { category } : {}),
      total: count.rows[0].total,
      page,
      pageSize,
      entries: rows.rows.map((r) =>
        r.published
          ? {
              position: Number(r.position),
              published: true,
              registrationDate: registrationDate(r.registered_at),
              registrationNumber: r.registration_number,
              categories: r.categories,
            }
          : { position: Number(r.position), published: false },
      ),
    });
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
