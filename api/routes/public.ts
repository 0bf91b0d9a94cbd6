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

import type { Pool } from 'pg';

interface QueueRow {
  registration_number: string;
  registered_at: Date;
  categories: string[];
  published: boolean;
}

export interface QueueListQuery {
  locality: string;
  category?: string;
  page: number;
  pageSize: number;
}

export type PublishedEntry =
  | { position: number; published: true; registrationDate: string; registrationNumber: string; categories: string[] }
  | { position: number; published: false };

/**
 * One page of a locality's list, or of one category's list within it. Position is the rank by
 * (received_at, application_id, id) among active entries (SPEC §7) — migrated entries of the
 * akimats have no application id, so they come after an application of the same instant and
 * tie-break on `id`, their order in the imported file (db/migrations/004_unified_import.sql).
 *
 * The page is read in list order off queue_entries_list_order (007), so a position is the offset
 * plus the row's place on the page — the same number a rank over the whole list gives, without
 * ranking a locality of hundreds of thousands of entries for every page (bench/README.md, load).
 * A category's list is the GIN index's members of that locality, sorted.
 */
export async function queueListPage(pool: Pool, q: QueueListQuery): Promise<{ total: number; entries: PublishedEntry[] }> {
  const filter = `status = 'ACTIVE' AND locality = $1 ${q.category ? 'AND categories @> ARRAY[$2]::text[]' : ''}`;
  const filterArgs: unknown[] = q.category ? [q.locality, q.category] : [q.locality];
  const n = filterArgs.length;
  const offset = (q.page - 1) * q.pageSize;
  const [rows, count] = await Promise.all([
    // The page's keys first, off the list-order index alone (an index-only scan: skipping a deep
    // page's offset then touches no table rows), then those rows.
    pool.query<QueueRow>(
      `SELECT registration_number, registered_at, categories, ${publishedSql('q.application_id')} AS published
         FROM queue_entries q
         JOIN (SELECT id FROM queue_entries WHERE ${filter}
                ORDER BY received_at, application_id, id OFFSET $${n + 1} LIMIT $${n + 2}) page USING (id)
        ORDER BY q.received_at, q.application_id, q.id`,
      [...filterArgs, offset, q.pageSize],
    ),
    // Kept by triggers on queue_entries (db/migrations/008_queue_list_totals.sql).
    pool.query<{ total: number }>(
      `SELECT coalesce((SELECT active FROM queue_list_totals WHERE locality = $1 AND category = $2), 0)::int AS total`,
      [q.locality, q.category ?? ''],
    ),
  ]);
  return {
    total: count.rows[0].total,
    entries: rows.rows.map((r, i): PublishedEntry =>
      r.published
        ? {
            position: offset + i + 1,
            published: true,
            registrationDate: registrationDate(r.registered_at),
            registrationNumber: r.registration_number,
            categories: r.categories,
          }
        : { position: offset + i + 1, published: false },
    ),
  };
}

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
