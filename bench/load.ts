/**
 * Load generation: submissions through the API, the decision watcher over the `decisions` table,
 * closed-loop and open-loop drivers, and a one-line progress display.
 */
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { BENCH_KATO, type BenchPerson } from './fixture';

export interface Submission {
  index: number;
  status: number;
  applicationId?: string;
  /** Wall-clock instant the request was sent, and its round trip (ms). */
  sentAt: number;
  httpMs: number;
  error?: string;
}

export class Submitter {
  constructor(
    private readonly apiUrl: string,
    private readonly runId: string,
  ) {}

  /** POST /v1/applications for one person: a clean R7.1 application. */
  async submit(person: BenchPerson, index: number): Promise<Submission> {
    const body = {
      applicantIin: person.iin,
      path: 'NO_HOUSING',
      fund: 'STATE_HOUSING',
      kato: BENCH_KATO,
      categories: [],
      contact: { mobile: person.mobile },
      consents: ['C1', 'C2', 'C3', 'C4'],
    };
    const sentAt = Date.now();
    const t0 = performance.now();
    try {
      const res = await fetch(`${this.apiUrl}/v1/applications`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'Idempotency-Key': `bench-${this.runId}-${index}`,
          'X-HPC-Actor': `applicant:${person.iin}`,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      const httpMs = performance.now() - t0;
      if (res.status !== 201) return { index, status: res.status, sentAt, httpMs, error: text.slice(0, 300) };
      const parsed = JSON.parse(text) as { applicationId?: unknown };
      if (typeof parsed.applicationId !== 'string') {
        return { index, status: res.status, sentAt, httpMs, error: `no applicationId in ${text.slice(0, 200)}` };
      }
      return { index, status: 201, applicationId: parsed.applicationId, sentAt, httpMs };
    } catch (err) {
      return { index, status: 0, sentAt, httpMs: performance.now() - t0, error: (err as Error).message };
    }
  }
}

export interface DecisionRow {
  applicationId: string;
  outcome: string;
  /** decisions.decided_at (the workflow clock when the case was decided). */
  decidedAt: number;
  /** When this process first saw the committed row (bench clock; at most one poll interval late). */
  observedAt: number;
}

/**
 * Resolves a promise per application once its decision row is committed. One query every
 * `intervalMs` for all the applications being waited on (≤ a few hundred, by primary key).
 */
export class DecisionWatcher {
  private readonly waiting = new Map<string, (row: DecisionRow) => void>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private stopped = false;
  decided = 0;

  constructor(
    private readonly pool: Pool,
    private readonly intervalMs = 25,
  ) {}

  wait(applicationId: string): Promise<DecisionRow> {
    return new Promise((resolve) => {
      this.waiting.set(applicationId, resolve);
      this.schedule();
    });
  }

  get pending(): number {
    return this.waiting.size;
  }

  private schedule(): void {
    if (this.timer || this.stopped || this.waiting.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.poll();
    }, this.intervalMs);
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const ids = [...this.waiting.keys()];
      for (let i = 0; i < ids.length; i += 1000) {
        const res = await this.pool.query<{ application_id: string; outcome: string; decided_at: Date }>(
          'SELECT application_id, outcome, decided_at FROM decisions WHERE application_id = ANY($1::uuid[])',
          [ids.slice(i, i + 1000)],
        );
        const observedAt = Date.now();
        for (const row of res.rows) {
          const resolve = this.waiting.get(row.application_id);
          if (!resolve) continue;
          this.waiting.delete(row.application_id);
          this.decided += 1;
          resolve({ applicationId: row.application_id, outcome: row.outcome, decidedAt: row.decided_at.getTime(), observedAt });
        }
      }
    } catch {
      // A failed poll is retried on the next tick; a database that stays away ends in the phase deadline.
    } finally {
      this.polling = false;
      this.schedule();
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}

/** Rejects after `ms` with a message naming the phase. */
export function deadline(ms: number, what: string): { promise: Promise<never>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not finished within ${Math.round(ms / 1000)} s`)), ms);
  });
  promise.catch(() => undefined);
  return { promise, cancel: () => clearTimeout(timer) };
}

/**
 * Runs a phase's work with its progress line until the work ends, the stack crashes or `budgetMs`
 * passes (the phase then fails with that reason); the progress line stops in every case.
 */
export async function guardedPhase<T>(
  o: { progress: Progress; crashed: Promise<never>; label: string; budgetMs: number; render: () => string },
  work: () => Promise<T>,
): Promise<T> {
  o.progress.start(o.render);
  const dl = deadline(o.budgetMs, o.label);
  try {
    return await Promise.race([work(), o.crashed, dl.promise]);
  } finally {
    dl.cancel();
    o.progress.stop();
  }
}

/**
 * Runs `work(i)` for i in [0, n) with at most `concurrency` in flight (a closed loop). With
 * `stopAtMs`, nothing new starts after that instant (what is in flight finishes). Returns how many
 * were started.
 */
export async function closedLoop(n: number, concurrency: number, work: (i: number) => Promise<void>, stopAtMs = Infinity): Promise<number> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < n && Date.now() < stopAtMs) {
      const i = next;
      next += 1;
      await work(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
  return next;
}

/**
 * Starts `work(i)` for i in [0, n) at a fixed rate, whatever the earlier calls are doing (an open
 * loop: a slow system does not slow the arrivals). Returns every call's promise and the largest
 * delay of a start behind its schedule (a busy load generator would show here).
 */
export async function openLoop<T>(n: number, perSec: number, work: (i: number) => Promise<T>): Promise<{ results: Promise<T>[]; maxLagMs: number }> {
  const interval = 1000 / perSec;
  const start = performance.now();
  const results: Promise<T>[] = [];
  let maxLagMs = 0;
  for (let i = 0; i < n; i += 1) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    maxLagMs = Math.max(maxLagMs, performance.now() - due);
    results.push(work(i));
  }
  return { results, maxLagMs };
}

/** A progress line on stderr: rewritten in place on a terminal, one line every 5 s otherwise. */
export class Progress {
  private timer: NodeJS.Timeout | undefined;
  private readonly tty = process.stderr.isTTY === true;
  private lastLine = 0;

  start(render: () => string): void {
    this.stop();
    const started = Date.now();
    this.timer = setInterval(() => {
      const line = `  ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s  ${render()}`;
      if (this.tty) process.stderr.write(`\r\x1b[2K${line}`);
      else if (Date.now() - this.lastLine >= 5000) {
        this.lastLine = Date.now();
        process.stderr.write(`${line}\n`);
      }
    }, 500);
  }

  stop(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.tty) process.stderr.write('\r\x1b[2K');
  }
}

export const newRunId = (): string => randomUUID().slice(0, 8);
