/**
 * Admission control for intake (issue #14): a submission is refused only where the database itself
 * cannot take more — the pool has no connection free within `maxWaitMs`, or more than `maxWaiting`
 * requests already wait for one. Then nothing is written and the caller answers 503 with Retry-After.
 * Temporal's speed plays no part here: the workflow start is the outbox's (db/intake/outbox.ts).
 */
import type { Pool, PoolClient } from 'pg';

export interface AdmissionLimits {
  /** How long a submission may wait for a database connection. */
  maxWaitMs: number;
  /** How many submissions may wait for one at once. */
  maxWaiting: number;
}

export const DEFAULT_ADMISSION: AdmissionLimits = {
  maxWaitMs: Number(process.env.HPC_INTAKE_MAX_WAIT_MS ?? 2_000),
  maxWaiting: Number(process.env.HPC_INTAKE_MAX_WAITING ?? 500),
};

/** The database cannot take this submission now; `retryAfterSec` is what to tell the caller. */
export class IntakeBusyError extends Error {
  constructor(
    readonly reason: 'POOL_QUEUE_FULL' | 'POOL_WAIT_EXCEEDED',
    readonly retryAfterSec: number,
  ) {
    super(`intake busy: ${reason}`);
    this.name = 'IntakeBusyError';
  }
}

/** A connection within the limits, or IntakeBusyError. A connection that comes too late goes back to the pool. */
export async function connectWithin(pool: Pool, limits: AdmissionLimits): Promise<PoolClient> {
  if (pool.waitingCount >= limits.maxWaiting) throw new IntakeBusyError('POOL_QUEUE_FULL', retryAfter(limits));
  const pending = pool.connect();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'LATE'>((resolve) => {
    timer = setTimeout(() => resolve('LATE'), limits.maxWaitMs);
  });
  try {
    const got = await Promise.race([pending, late]);
    if (got === 'LATE') {
      pending.then((c) => c.release(), () => undefined);
      throw new IntakeBusyError('POOL_WAIT_EXCEEDED', retryAfter(limits));
    }
    return got;
  } finally {
    clearTimeout(timer);
  }
}

function retryAfter(limits: AdmissionLimits): number {
  return Math.max(1, Math.ceil((2 * limits.maxWaitMs) / 1000));
}

/** `fn` in one transaction on a connection admitted by `limits`: COMMIT when it returns, ROLLBACK when it throws. */
export async function withAdmittedTransaction<T>(pool: Pool, limits: AdmissionLimits, fn: (tx: PoolClient) => Promise<T>): Promise<T> {
  const tx = await connectWithin(pool, limits);
  try {
    await tx.query('BEGIN');
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
