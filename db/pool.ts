import { Pool, types } from 'pg';

// A date column stays a `YYYY-MM-DD` string: turning it into a Date would shift it by the process
// time zone. timestamptz comes back as a Date (an instant) and is formatted in +05:00 by domain/time.
types.setTypeParser(types.builtins.DATE, (v) => v);
types.setTypeParser(types.builtins.INT8, (v) => Number(v));

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set (scripts/start.ts sets it for the embedded PostgreSQL)');
  return url;
}

export function createPool(url = databaseUrl(), max = Number(process.env.PG_POOL_MAX ?? 10)): Pool {
  const pool = new Pool({ connectionString: url, max, application_name: 'otbasy-hpc' });
  // An idle client's error (e.g. the server restarting) must not crash the process; the next
  // query reconnects.
  pool.on('error', () => undefined);
  // The same for a client that is checked out when the server goes away (e.g. between two queries
  // of a transaction): without a listener its 'error' event kills the process. The query in
  // progress or the next one fails instead, and the pool drops the broken client on release.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return pool;
}
