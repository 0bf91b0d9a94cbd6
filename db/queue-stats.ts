/**
 * The public statistics of a locality's queue (issue #11 §3): counts only — the active entries per
 * list, registrations per month, and how long the active entries have waited. Read-only over
 * queue_entries (db/cases) and queue_list_totals (008); nothing here can name a person.
 */
import type { Pool } from 'pg';

/** Waiting-time buckets, in whole years since receipt: [0,1), [1,2), [2,3), [3,5), [5,10), [10,∞). */
const BUCKETS: [number, number | null][] = [
  [0, 1],
  [1, 2],
  [2, 3],
  [3, 5],
  [5, 10],
  [10, null],
];

/** Months of registrations shown: the last three years. */
const MONTHS = 36;

export interface QueueStats {
  at: Date;
  active: number;
  byCategory: { category: string; active: number }[];
  registrationsByMonth: { month: string; registrations: number }[];
  waitingYears: { fromYears: number; toYears: number | null; active: number }[];
  medianWaitingDays: number | null;
}

export async function queueStats(pool: Pool, locality: string, now: Date): Promise<QueueStats> {
  const [totals, months, waiting] = await Promise.all([
    pool.query<{ category: string; active: number }>(
      `SELECT category, active::int FROM queue_list_totals WHERE locality = $1 AND active > 0 ORDER BY category`,
      [locality],
    ),
    // Every entry registered in the window, whether still in the queue or not; months in +05:00.
    pool.query<{ month: string; registrations: number }>(
      // (AT TIME ZONE '+05:00' would be POSIX, i.e. UTC-5: the offset is added to UTC instead.)
      `SELECT to_char((registered_at AT TIME ZONE 'UTC') + interval '5 hours', 'YYYY-MM') AS month, count(*)::int AS registrations
         FROM queue_entries
        WHERE locality = $1
          AND registered_at >= (date_trunc('month', ($2::timestamptz AT TIME ZONE 'UTC') + interval '5 hours') - make_interval(months => $3) - interval '5 hours') AT TIME ZONE 'UTC'
        GROUP BY 1 ORDER BY 1`,
      [locality, now, MONTHS - 1],
    ),
    // Off the list-order index: the active entries' receipt instants only.
    pool.query<{ bucket: number; n: number; median_days: number | null }>(
      `WITH w AS (SELECT extract(epoch FROM ($2::timestamptz - received_at)) / 86400.0 AS days
                    FROM queue_entries WHERE status = 'ACTIVE' AND locality = $1)
       SELECT b.bucket, count(w.days)::int AS n,
              (SELECT floor(percentile_cont(0.5) WITHIN GROUP (ORDER BY days))::int FROM w) AS median_days
         FROM unnest($3::int[]) WITH ORDINALITY AS b(from_years, bucket)
         LEFT JOIN w ON w.days >= b.from_years * 365.25
                    AND (b.bucket = array_length($3::int[], 1) OR w.days < ($3::int[])[b.bucket + 1] * 365.25)
        GROUP BY b.bucket ORDER BY b.bucket`,
      [locality, now, BUCKETS.map((b) => b[0])],
    ),
  ]);
  const all = totals.rows.find((r) => r.category === '');
  return {
    at: now,
    active: all?.active ?? 0,
    byCategory: totals.rows.filter((r) => r.category !== ''),
    registrationsByMonth: months.rows,
    waitingYears: waiting.rows.map((r, i) => ({ fromYears: BUCKETS[i][0], toYears: BUCKETS[i][1], active: r.n })),
    medianWaitingDays: waiting.rows[0]?.median_days ?? null,
  };
}
