import type { Pool, PoolClient } from 'pg';

/**
 * Runs `fn` in one transaction on one connection: COMMIT when it returns, ROLLBACK when it throws.
 * `begin` names another start, e.g. `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`.
 */
export async function withTransaction<T>(pool: Pool, fn: (tx: PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const tx = await pool.connect();
  try {
    await tx.query(begin);
    const result = await fn(tx);
    await tx.query('COMMIT');
    return result;
  } catch (err) {
    await tx.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    tx.release();
  }
}
