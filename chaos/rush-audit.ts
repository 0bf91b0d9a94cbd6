/**
 * The rush's own audit (issue #14; the `temporal-rush` scenario), beside the common one
 * (chaos/audit.ts): what every submission attempt was answered, whether each accepted case's place
 * in the queue is the one it was given at receipt, whether its workflow was started from the intake
 * outbox once Temporal was back, how long that took, and whether anything personal reached a log.
 *
 * `rushFindings` is pure (test/unit/chaos-rush-audit.test.ts feeds it each fault); `collectRush`
 * reads PostgreSQL. Problems name submission indexes and application UUIDs only, never a person.
 */
import type { Pool } from 'pg';
import type { SubmitAnswer } from './client';

/** The longest backoff of the intake starter between two attempts at one start (intake/starter.ts maxBackoffMs). */
export const STARTER_MAX_BACKOFF_MS = 30_000;

/**
 * How long after Temporal is back every received case's workflow must have been started: the
 * starter's longest backoff between two attempts at one entry (30 s), the resumption bound below,
 * then each start one round trip to Temporal and a few statements (tens of ms alone) — 1 s a start
 * leaves room for two shared cores busy with Temporal's own start-up and the other workers.
 */
export function startsDrainBoundMs(cases: number): number {
  return STARTER_MAX_BACKOFF_MS + RESUME_BOUND_MS + cases * 1_000;
}

/**
 * How soon after Temporal serves again the starter must start a workflow of its backlog, however
 * long the outage was. Its Temporal connection tries to reconnect at least every 2 s (+20 % jitter,
 * TEMPORAL_CHANNEL_ARGS in config/temporal.ts); a start under way then waits for its client's next
 * retry, at most 5 s apart (+10 %) — 8 s in all; 7 s more for two cores busy with Temporal's own
 * start-up and the other workers. (With gRPC's default reconnect backoff — growing ×1.6 up to
 * 120 s — the backlog sat idle 48.5 s after a 2-minute outage; measured with the fix: 0.07–5 s.)
 */
export const RESUME_BOUND_MS = 15_000;

/**
 * No submission answer may take this long. The submission never waits on Temporal (the outbox
 * starts the workflow), only on a database connection (admission control gives up after 2 s,
 * db/intake/admission.ts) and a few statements; 10 s is what the old path waited for Temporal to
 * accept a start (START_DEADLINE_MS) — an answer that slow means intake waited on Temporal again.
 */
export const ANSWER_BOUND_MS = 10_000;

export interface RushCase {
  applicationId: string;
  index: number;
  /** The receivedAt the 202 named (ISO with offset), when it named one. */
  answeredReceivedAt?: string;
  /** The application row. */
  receivedAt: Date;
  receiptSeq: number;
  workflowStartedAt: Date | null;
  caseStatus: string;
  /** The intake outbox entry (none: a case filed before intake had one — not in a chaos load). */
  outbox?: { enqueuedAt: Date; startedAt: Date | null; attempts: number };
  /** The queue entry, when the case is registered. */
  queue?: { locality: string; receivedAt: Date; receiptSeq: number; status: string; position: number | null };
  decidedAt?: Date;
  /** Whether this case must be decided by now (its path ends in a decision without waiting days). */
  mustDecide: boolean;
}

/** The citizen's own read of the case: answered from the record when Temporal is away, never a 5xx. */
export const STATUS_ROUTE = 'GET /v1/applications/:id';

export interface RushInput {
  answers: SubmitAnswer[];
  /** Every request's answer by route (the follow-ups' reads and actions). */
  otherAnswers: { route: string; status: number; ms: number }[];
  cases: RushCase[];
  /** Accepted submissions whose case has no row at all (the common audit counts them lost too). */
  missingRows: number;
  /** When Temporal listened again (epoch ms). */
  temporalBackAt: number;
  /** When it answered a call again (epoch ms; a fresh connection describing the namespace). */
  temporalServingAt: number;
  /** When Temporal was killed (epoch ms). */
  temporalKilledAt: number;
  /** Lines of the worker, the API and Temporal that carried a person's IIN, phone or name, by service and kind. */
  personalInLogs: { service: string; kind: string }[];
  /** The audit log's hash chain (db/audit.ts verifyAudit). */
  auditChain: { valid: true; rows: number } | { valid: false; firstBadRow: number; reason: string };
}

export interface RushFigures {
  submissions: number;
  accepted: number;
  attempts: number;
  answersByStatus: Record<string, number>;
  /** Every other request: route → status → count (actions on a case may answer 503 while Temporal is away). */
  otherAnswers: Record<string, Record<string, number>>;
  intakeBusy503: number;
  answerMs: { p50: number; p99: number; max: number };
  /** Received → its workflow started (the outbox's wait: how long a case sat in the queue for checking). */
  startLagMs: { p50: number; max: number };
  /** Received → decided, for the cases that end in a decision. */
  decisionLagMs: { p50: number; max: number };
  /** From Temporal back to the last workflow start / the last decision of the load (0: none after). */
  startsDrainedAfterRestartMs: number;
  /** From Temporal serving again to the first workflow start after it (null: none started after). */
  startsResumedAfterRestartMs: number | null;
  resumeBoundMs: number;
  /** Workflows started before the crash, while Temporal was away (a hung call it answered on return) and after. */
  startedBeforeCrash: number;
  startsDrainBoundMs: number;
  decisionsDrainedAfterRestartMs: number;
  /** Start attempts that Temporal did not take and the starter retried. */
  retriedStarts: number;
  /** Neighbours in receipt order whose workflows started / were decided the other way round. */
  startedOutOfReceiptOrder: number;
  decidedOutOfReceiptOrder: number;
  inQueue: number;
  orderViolations: number;
  auditChainRows: number | null;
  personalInLogs: number;
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const asc = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
const MAX_PROBLEMS = 40;

/** Receipt order (SPEC §7): receivedAt, then the receipt sequence. */
const byReceipt = (a: { receivedAt: Date; receiptSeq: number }, b: { receivedAt: Date; receiptSeq: number }): number =>
  a.receivedAt.getTime() - b.receivedAt.getTime() || a.receiptSeq - b.receiptSeq;

function inversions(ordered: RushCase[], at: (c: RushCase) => number | undefined): number {
  let n = 0;
  for (let i = 1; i < ordered.length; i += 1) {
    const a = at(ordered[i - 1]);
    const b = at(ordered[i]);
    if (a !== undefined && b !== undefined && b < a) n += 1;
  }
  return n;
}

export function rushFindings(input: RushInput): { figures: RushFigures; problems: string[] } {
  const problems: string[] = [];
  const note = (p: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };

  // --- Every answer to every attempt: no 5xx but the documented 503 INTAKE_BUSY with Retry-After.
  const byStatus: Record<string, number> = {};
  let intakeBusy = 0;
  for (const a of input.answers) {
    byStatus[String(a.status)] = (byStatus[String(a.status)] ?? 0) + 1;
    if (a.status === 0) note(`submission ${a.index}: no answer within 30 s (the API hung or dropped the connection)`);
    else if (a.status === 503 && a.errorCode === 'INTAKE_BUSY') {
      intakeBusy += 1;
      if (!/^[1-9]\d*$/.test(a.retryAfter ?? '')) note(`submission ${a.index}: 503 INTAKE_BUSY without a Retry-After in seconds`);
    } else if (a.status >= 500) note(`submission ${a.index}: answered ${a.status}${a.errorCode ? ` ${a.errorCode}` : ''}, not the documented 503 INTAKE_BUSY`);
    if (a.ms >= ANSWER_BOUND_MS) note(`submission ${a.index}: answered after ${a.ms} ms (intake must not wait on Temporal)`);
  }
  const other: Record<string, Record<string, number>> = {};
  for (const a of input.otherAnswers) {
    if (a.route === 'POST /v1/applications') continue; // the submissions, above
    const r = (other[a.route] ??= {});
    r[String(a.status)] = (r[String(a.status)] ?? 0) + 1;
  }
  const statusFailures = Object.entries(other[STATUS_ROUTE] ?? {}).filter(([st]) => st === '0' || Number(st) >= 500);
  for (const [st, n] of statusFailures) note(`${n} status reads (${STATUS_ROUTE}) answered ${st === '0' ? 'nothing' : st}: the record must answer while Temporal is away`);
  if (input.missingRows > 0) note(`${input.missingRows} accepted submissions have no application row`);

  // --- Each accepted case: on record with the receivedAt it was told, started from the outbox.
  const now = Date.now();
  for (const c of input.cases) {
    if (c.answeredReceivedAt !== undefined && Date.parse(c.answeredReceivedAt) !== c.receivedAt.getTime()) {
      note(`case ${c.applicationId}: answered receivedAt ${c.answeredReceivedAt}, recorded ${c.receivedAt.toISOString()}`);
    }
    if (!c.outbox) note(`case ${c.applicationId}: no intake outbox entry`);
    else if (!c.outbox.startedAt) note(`case ${c.applicationId}: its workflow never started (outbox entry pending after ${c.outbox.attempts} attempts)`);
    // The starter marks the entry (and workflow_started_at) itself; only the workflow moves the case
    // out of SUBMITTED. Marked started but still SUBMITTED once all is quiet: the run was lost.
    if (c.outbox?.startedAt && c.caseStatus === 'SUBMITTED') note(`case ${c.applicationId}: outbox marked started, but no workflow ever took the case up`);
    if (c.mustDecide && !c.decidedAt) note(`case ${c.applicationId}: not decided`);
    if (c.queue && (c.queue.receivedAt.getTime() !== c.receivedAt.getTime() || c.queue.receiptSeq !== c.receiptSeq)) {
      note(`case ${c.applicationId}: in the queue as received ${c.queue.receivedAt.toISOString()} #${c.queue.receiptSeq}, received ${c.receivedAt.toISOString()} #${c.receiptSeq}`);
    }
  }

  // --- The queue: places follow receipt order, whatever order the workflows ran in.
  const ordered = [...input.cases].sort(byReceipt);
  let orderViolations = 0;
  const lists = new Map<string, RushCase[]>();
  for (const c of ordered) {
    if (c.queue?.status !== 'ACTIVE') continue;
    lists.set(c.queue.locality, [...(lists.get(c.queue.locality) ?? []), c]);
  }
  for (const list of lists.values()) {
    for (let i = 1; i < list.length; i += 1) {
      const before = list[i - 1].queue!.position;
      const after = list[i].queue!.position;
      if (before === null || after === null || after <= before) {
        orderViolations += 1;
        note(`queue order: case ${list[i].applicationId} (received after ${list[i - 1].applicationId}) has place ${after}, the earlier one ${before}`);
      }
    }
  }

  // --- Drain after the restart, and how long cases waited.
  const started = input.cases.flatMap((c) => (c.outbox?.startedAt ? [c.outbox.startedAt.getTime()] : []));
  const decided = input.cases.flatMap((c) => (c.decidedAt ? [c.decidedAt.getTime()] : []));
  const startsDrained = Math.max(0, ...started.map((t) => t - input.temporalBackAt));
  const decisionsDrained = Math.max(0, ...decided.map((t) => t - input.temporalBackAt));
  const afterBack = started.filter((t) => t >= input.temporalServingAt);
  const resumed = afterBack.length > 0 ? Math.min(...afterBack) - input.temporalServingAt : null;
  const waiting = input.cases.some((c) => c.outbox && (!c.outbox.startedAt || c.outbox.startedAt.getTime() >= input.temporalServingAt));
  if (waiting && (resumed === null || resumed > RESUME_BOUND_MS)) {
    note(`the backlog's first workflow started ${resumed ?? 'never'}${resumed === null ? '' : ' ms'} after Temporal served again (bound ${RESUME_BOUND_MS} ms)`);
  }
  const bound = startsDrainBoundMs(input.cases.length);
  if (startsDrained > bound) note(`the last workflow started ${startsDrained} ms after Temporal was back (bound ${bound} ms)`);
  const startLag = asc(input.cases.flatMap((c) => (c.outbox?.startedAt ? [c.outbox.startedAt.getTime() - c.receivedAt.getTime()] : [])));
  const decisionLag = asc(input.cases.flatMap((c) => (c.decidedAt ? [c.decidedAt.getTime() - c.receivedAt.getTime()] : [])));
  // Pending starts are waiting right now: their lag so far counts.
  for (const c of input.cases) if (c.outbox && !c.outbox.startedAt) startLag.push(now - c.receivedAt.getTime());

  if (!input.auditChain.valid) note(`the audit log's hash chain breaks at row ${input.auditChain.firstBadRow} (${input.auditChain.reason})`);
  const personal = new Map<string, number>();
  for (const h of input.personalInLogs) personal.set(`${h.service}: ${h.kind}`, (personal.get(`${h.service}: ${h.kind}`) ?? 0) + 1);
  for (const [where, n] of personal) note(`personal data in the logs: ${n} line(s) of ${where}`);

  const answerMs = asc(input.answers.map((a) => a.ms));
  return {
    figures: {
      submissions: new Set(input.answers.map((a) => a.index)).size,
      accepted: input.cases.length + input.missingRows,
      attempts: input.answers.length,
      answersByStatus: byStatus,
      otherAnswers: other,
      intakeBusy503: intakeBusy,
      answerMs: { p50: pct(answerMs, 50), p99: pct(answerMs, 99), max: answerMs[answerMs.length - 1] ?? 0 },
      startLagMs: { p50: pct(asc(startLag), 50), max: Math.max(0, ...startLag) },
      decisionLagMs: { p50: pct(decisionLag, 50), max: decisionLag[decisionLag.length - 1] ?? 0 },
      startsDrainedAfterRestartMs: startsDrained,
      startsResumedAfterRestartMs: resumed,
      resumeBoundMs: RESUME_BOUND_MS,
      startedBeforeCrash: started.filter((t) => t < input.temporalKilledAt).length,
      startsDrainBoundMs: bound,
      decisionsDrainedAfterRestartMs: decisionsDrained,
      retriedStarts: input.cases.reduce((n, c) => n + Math.max(0, (c.outbox?.attempts ?? 0) - 1), 0),
      startedOutOfReceiptOrder: inversions(ordered, (c) => c.outbox?.startedAt?.getTime() ?? undefined),
      decidedOutOfReceiptOrder: inversions(ordered, (c) => c.decidedAt?.getTime()),
      inQueue: [...lists.values()].reduce((n, l) => n + l.length, 0),
      orderViolations,
      auditChainRows: input.auditChain.valid ? input.auditChain.rows : null,
      personalInLogs: input.personalInLogs.length,
    },
    problems,
  };
}

/** The rows of the accepted cases (by id), each with its outbox entry, queue entry and place, and decision. */
export async function collectRush(
  pool: Pool,
  accepted: { applicationId: string; index: number; receivedAt?: string; mustDecide: boolean }[],
): Promise<{ cases: RushCase[]; missingRows: number }> {
  const ids = accepted.map((a) => a.applicationId);
  const res = await pool.query<{
    id: string;
    received_at: Date;
    receipt_seq: string;
    workflow_started_at: Date | null;
    case_status: string;
    enqueued_at: Date | null;
    started_at: Date | null;
    attempts: number | null;
    locality: string | null;
    q_received_at: Date | null;
    q_receipt_seq: string | null;
    q_status: string | null;
    position: number | null;
    decided_at: Date | null;
  }>(
    `SELECT a.id, a.received_at, a.receipt_seq, a.workflow_started_at, a.case_status,
            o.enqueued_at, o.started_at, o.attempts,
            q.locality, q.received_at AS q_received_at, q.receipt_seq AS q_receipt_seq, q.status AS q_status,
            CASE WHEN q.status = 'ACTIVE' THEN
              (SELECT count(*)::int + 1 FROM queue_entries e
                WHERE e.status = 'ACTIVE' AND e.locality = q.locality AND (e.received_at, e.receipt_seq) < (q.received_at, q.receipt_seq))
            END AS position,
            d.decided_at
       FROM applications a
       LEFT JOIN intake_outbox o ON o.application_id = a.id
       LEFT JOIN queue_entries q ON q.application_id = a.id
       LEFT JOIN decisions d ON d.application_id = a.id
      WHERE a.id = ANY($1::uuid[])`,
    [ids],
  );
  const byId = new Map(res.rows.map((r) => [r.id, r]));
  const cases: RushCase[] = [];
  let missingRows = 0;
  for (const a of accepted) {
    const r = byId.get(a.applicationId);
    if (!r) {
      missingRows += 1;
      continue;
    }
    cases.push({
      applicationId: a.applicationId,
      index: a.index,
      ...(a.receivedAt !== undefined ? { answeredReceivedAt: a.receivedAt } : {}),
      receivedAt: r.received_at,
      receiptSeq: Number(r.receipt_seq),
      workflowStartedAt: r.workflow_started_at,
      caseStatus: r.case_status,
      ...(r.enqueued_at ? { outbox: { enqueuedAt: r.enqueued_at, startedAt: r.started_at, attempts: r.attempts ?? 0 } } : {}),
      ...(r.locality && r.q_received_at && r.q_status
        ? { queue: { locality: r.locality, receivedAt: r.q_received_at, receiptSeq: Number(r.q_receipt_seq), status: r.q_status, position: r.position } }
        : {}),
      ...(r.decided_at ? { decidedAt: r.decided_at } : {}),
      mustDecide: a.mustDecide,
    });
  }
  return { cases, missingRows };
}
