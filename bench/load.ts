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
  /** Set when the API accepted the application (202 on record, or 200/201 for a known case). */
  applicationId?: string;
  /** The receipt instant the answer gave (ms), the place in the queue (SPEC §2, §7). */
  receivedAtMs?: number;
  /** Wall-clock instant the request was sent, and its round trip (ms). */
  sentAt: number;
  httpMs: number;
  error?: string;
}

/**
 * Answers that accept an application: 202 (on record, its checking queued — issue #14), 201 (a
 * started case), 200 (the same key again).
 */
export const ACCEPTED_STATUSES: ReadonlySet<number> = new Set([200, 201, 202]);

/** Whether the API accepted the submission (it answered with the case). */
export const isAccepted = (s: Submission): s is Submission & { applicationId: string } => s.applicationId !== undefined;

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
      if (!ACCEPTED_STATUSES.has(res.status)) return { index, status: res.status, sentAt, httpMs, error: text.slice(0, 300) };
      const parsed = JSON.parse(text) as { applicationId?: unknown; receivedAt?: unknown };
      if (typeof parsed.applicationId !== 'string') {
        return { index, status: res.status, sentAt, httpMs, error: `no applicationId in ${text.slice(0, 200)}` };
      }
      return {
        index,
        status: res.status,
        applicationId: parsed.applicationId,
        ...(typeof parsed.receivedAt === 'string' ? { receivedAtMs: Date.parse(parsed.receivedAt) } : {}),
        sentAt,
        httpMs,
      };
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

/** A phase ran past its time budget: what it measured until then is kept, and it is recorded as overrun. */
export class PhaseBudgetExceeded extends Error {
  constructor(
    readonly phase: string,
    readonly budgetSec: number,
  ) {
    super(`${phase}: not finished within ${budgetSec} s`);
    this.name = 'PhaseBudgetExceeded';
  }
}

/** Rejects after `ms` with PhaseBudgetExceeded naming the phase. */
export function deadline(ms: number, what: string): { promise: Promise<never>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new PhaseBudgetExceeded(what, Math.round(ms / 1000))), ms);
  });
  promise.catch(() => undefined);
  return { promise, cancel: () => clearTimeout(timer) };
}

/**
 * Runs a phase's work with its progress line until the work ends, the stack crashes or `budgetMs`
 * passes (the phase then fails with PhaseBudgetExceeded); the progress line stops in every case.
 * The work gets a signal that is aborted when the phase ends either way: its loops stop starting
 * new calls (bench/load.ts closedLoop, openLoop), so nothing of an overrun phase keeps running
 * into the next phase or into the teardown.
 */
export async function guardedPhase<T>(
  o: { progress: Progress; crashed: Promise<never>; label: string; budgetMs: number; render: () => string },
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  o.progress.start(o.render);
  const dl = deadline(o.budgetMs, o.label);
  const stop = new AbortController();
  const running = work(stop.signal);
  running.catch(() => undefined); // a late failure of abandoned work is not an unhandled rejection
  try {
    return await Promise.race([running, o.crashed, dl.promise]);
  } finally {
    stop.abort();
    dl.cancel();
    o.progress.stop();
  }
}

/**
 * guardedPhase that keeps the phase's figures when it overruns: `overran` says so (with the budget),
 * and the caller reports what was measured until then. A crash or any other failure still throws.
 */
export async function boundedPhase<T>(
  o: { progress: Progress; crashed: Promise<never>; label: string; budgetMs: number; render: () => string },
  work: (signal: AbortSignal) => Promise<T>,
): Promise<{ value?: T; overran?: { budgetSec: number; reason: string } }> {
  try {
    return { value: await guardedPhase(o, work) };
  } catch (err) {
    if (err instanceof PhaseBudgetExceeded) return { overran: { budgetSec: err.budgetSec, reason: err.message } };
    throw err;
  }
}

/**
 * Runs `work(i)` for i in [0, n) with at most `concurrency` in flight (a closed loop). With
 * `stopAtMs`, nothing new starts after that instant (what is in flight finishes). Returns how many
 * were started.
 */
export async function closedLoop(
  n: number,
  concurrency: number,
  work: (i: number) => Promise<void>,
  stopAtMs = Infinity,
  signal?: AbortSignal,
): Promise<number> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < n && Date.now() < stopAtMs && !signal?.aborted) {
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
export async function openLoop<T>(
  n: number,
  perSec: number,
  work: (i: number) => Promise<T>,
  signal?: AbortSignal,
): Promise<{ results: Promise<T>[]; maxLagMs: number }> {
  const interval = 1000 / perSec;
  const start = performance.now();
  const results: Promise<T>[] = [];
  let maxLagMs = 0;
  for (let i = 0; i < n && !signal?.aborted; i += 1) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (signal?.aborted) break;
    maxLagMs = Math.max(maxLagMs, performance.now() - due);
    const p = work(i);
    // Awaited by the caller (Promise.all); until then a failure must not count as unhandled.
    p.catch(() => undefined);
    results.push(p);
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
