/**
 * The case figures the API's /metrics shows (observability/http-metrics.ts): aggregates only —
 * counts by status, overdue cases, the submit-to-decision latency of the last hour. No row, no
 * identifier and no personal data leaves this module.
 */
import type { Pool } from 'pg';

export interface CaseFigures {
  byStatus: Record<string, number>;
  overdue: number;
  decidedLastHour: number;
  /** Seconds from receipt to decision at the 0.5, 0.9 and 0.99 quantiles (null: none decided). */
  decisionSecondsLastHour: Record<'0.5' | '0.9' | '0.99', number | null>;
}

export async function caseFigures(pool: Pool): Promise<CaseFigures> {
  const [status, overdue, latency] = await Promise.all([
    pool.query<{ case_status: string; n: number }>('SELECT case_status, count(*)::int AS n FROM applications GROUP BY case_status'),
    pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM applications
        WHERE decided_at IS NULL AND (decision_due_at < now() OR 'OVERDUE' = ANY(flags))`,
    ),
    pool.query<{ n: number; p50: number | null; p90: number | null; p99: number | null }>(
      `SELECT count(*)::int AS n,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - received_at)) AS p50,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - received_at)) AS p90,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - received_at)) AS p99
         FROM applications WHERE decided_at > now() - interval '1 hour'`,
    ),
  ]);
  const l = latency.rows[0];
  return {
    byStatus: Object.fromEntries(status.rows.map((r) => [r.case_status, r.n])),
    overdue: overdue.rows[0]?.n ?? 0,
    decidedLastHour: l?.n ?? 0,
    decisionSecondsLastHour: { '0.5': l?.p50 ?? null, '0.9': l?.p90 ?? null, '0.99': l?.p99 ?? null },
  };
}
