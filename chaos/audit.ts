/**
 * The end-of-scenario audit: what the clients were told, what PostgreSQL holds, what Temporal runs
 * and what the SMS gateway received, checked against each other.
 *
 * `auditCases` is pure (crafted data in the unit test shows it catches each fault); `collectAudit`
 * reads the real stores. Figures count cases, never name persons: problems name the submission's
 * index or the application's UUID only.
 */
import { createHash } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { Pool } from 'pg';
import { loadSettings } from '../config/settings';
import { workflowIdFor } from '../db/cases';
import { isDecided, type CaseStatus } from '../domain/procedure/statuses';
import type { ReceivedSms } from '../sandbox/sms';
import { SA_CASE_STATUS, SA_WAITING_ON } from '../workflows/contract';
import { EXPECTED_OUTCOME, type ChaosPath } from './fixture';

export interface AuditSubmission {
  index: number;
  key: string;
  iin: string;
  outcome: 'accepted' | 'rejected' | 'failed';
  applicationId?: string;
  status?: number;
  errorCode?: string;
}
export interface AuditApplication {
  id: string;
  idempotencyKey: string;
  applicantIin: string;
  status: string;
  workflowId: string;
}
export interface AuditWorkflow {
  workflowId: string;
  runId: string;
  /** From the run's memo (api/workflow-gateway.ts writes it at start). */
  applicationId?: string;
  /** RUNNING, COMPLETED, FAILED, TERMINATED, … */
  status: string;
  caseStatus?: string;
  waitingOn: string[];
}
export interface AuditInput {
  /** Every request the load made, retries folded into one record per request. */
  submissions: AuditSubmission[];
  /** The path each applicant's case should take (persons outside the map are not checked for it). */
  paths: Map<string, ChaosPath>;
  applications: AuditApplication[];
  decisions: { applicationId: string; outcome: string }[];
  queueEntries: { applicationId: string; applicantIin: string; status: string }[];
  notices: { id: string; applicationId: string; kind: string; channel: string }[];
  smsReceived: Pick<ReceivedSms, 'clientMessageId' | 'to' | 'text' | 'duplicate'>[];
  workflows: AuditWorkflow[];
}

export interface AuditFigures {
  /** Distinct idempotency keys the load sent. */
  applications: number;
  /** Application rows of the load's persons. */
  cases: number;
  decisions: number;
  /** Accepted without a case, a case without a workflow, a workflow ended without a decision. */
  lost: number;
  duplicateCases: number;
  duplicateQueueEntries: number;
  /** SMS delivered more than once for one notice (by notice, or by recipient and text). */
  duplicateSms: number;
  /** Neither decided nor running with a status and WaitingOn that say what it waits for. */
  stuckInvisible: number;
  /** Workflows whose application row does not exist. */
  orphanWorkflows: number;
  /** Decided otherwise than the path says, or a hearing case not at its hearing. */
  wrongOutcomes: number;
  /** Cases that should have been decided by now and are (visibly) not yet. */
  undecided: number;
  /** Requests that got no definite answer however long the client retried. */
  unanswered: number;
  /** Database and workflow disagreeing (e.g. a decision row with the case still ACTIVE). */
  inconsistent: number;
  /** SMS sends the gateway received again and suppressed (retries: expected, not a fault). */
  smsRepeatsSuppressed: number;
  problems: string[];
}

/** A running case rests visibly when its WaitingOn says on whom (a person, a role, or `registry:<name>`). */
const HEARING_PATHS = new Set<ChaosPath>(['HEARING_POSITION', 'HEARING_WAITING']);

function countBy<T>(items: T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of items) m.set(key(t), (m.get(key(t)) ?? 0) + 1);
  return m;
}
const extra = (counts: Map<string, number>): number => [...counts.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
const MAX_PROBLEMS = 50;

export function auditCases(input: AuditInput): AuditFigures {
  const problems: string[] = [];
  const note = (p: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };
  const rowById = new Map(input.applications.map((a) => [a.id, a]));
  const decisionOf = new Map(input.decisions.map((d) => [d.applicationId, d]));
  const runsOf = new Map<string, AuditWorkflow[]>();
  for (const w of input.workflows) {
    if (!w.applicationId) continue;
    runsOf.set(w.applicationId, [...(runsOf.get(w.applicationId) ?? []), w]);
  }

  // --- What the clients were told ---
  let lost = 0;
  let unanswered = 0;
  let duplicateCases = 0;
  const idsPerKey = new Map<string, Set<string>>();
  for (const s of input.submissions) {
    if (s.outcome === 'failed') {
      unanswered += 1;
      note(`submission ${s.index}: no definite answer (last: ${s.status}${s.errorCode ? ` ${s.errorCode}` : ''})`);
    }
    if (s.outcome !== 'accepted' || !s.applicationId) continue;
    idsPerKey.set(s.key, (idsPerKey.get(s.key) ?? new Set()).add(s.applicationId));
    const row = rowById.get(s.applicationId);
    if (!row) {
      lost += 1;
      note(`submission ${s.index}: accepted as ${s.applicationId}, which has no application row`);
    } else if (row.idempotencyKey !== s.key) {
      lost += 1;
      note(`submission ${s.index}: accepted as ${s.applicationId}, a row of another idempotency key`);
    }
  }
  for (const [key, ids] of idsPerKey) {
    if (ids.size > 1) {
      duplicateCases += ids.size - 1;
      note(`one idempotency key answered with ${ids.size} different cases (${key.slice(0, 40)})`);
    }
  }
  const keysSent = new Set(input.submissions.map((s) => s.key));
  // A row for a key the clients sent but were never told about is fine (the answer was lost in an
  // outage); a row whose key nobody sent is not the load's.
  duplicateCases += extra(countBy(input.applications, (a) => a.idempotencyKey));
  const perPerson = countBy(input.applications, (a) => a.applicantIin);
  for (const [, n] of perPerson) if (n > 1) note(`a person has ${n} applications`);
  duplicateCases += extra(perPerson);

  // --- Each case: its workflow, its decision, where it stands ---
  let stuckInvisible = 0;
  let wrongOutcomes = 0;
  let undecided = 0;
  let inconsistent = 0;
  for (const row of input.applications) {
    const runs = runsOf.get(row.id) ?? [];
    const decision = decisionOf.get(row.id);
    if (!keysSent.has(row.idempotencyKey)) note(`case ${row.id}: an idempotency key the load never sent`);
    if (runs.length === 0) {
      lost += 1;
      note(`case ${row.id}: no workflow`);
      continue;
    }
    if (runs.length > 1) {
      duplicateCases += runs.length - 1;
      note(`case ${row.id}: ${runs.length} workflow runs`);
    }
    const run = runs.find((r) => r.status === 'RUNNING') ?? runs[0];
    if (!decision && run.status !== 'RUNNING') {
      lost += 1;
      note(`case ${row.id}: workflow ${run.status} without a decision`);
      continue;
    }
    const decidedStatus = row.status === 'REGISTERED' || row.status === 'REFUSED';
    if ((decision !== undefined) !== decidedStatus || (decision && decision.outcome !== row.status)) {
      inconsistent += 1;
      note(`case ${row.id}: status ${row.status} but decision ${decision?.outcome ?? 'none'}`);
    }
    const visiblyWaiting = run.status === 'RUNNING' && run.caseStatus !== undefined && !isDecided(run.caseStatus as CaseStatus) && run.waitingOn.length > 0;
    if (!decision && !visiblyWaiting) {
      stuckInvisible += 1;
      note(`case ${row.id}: not decided, workflow ${run.status} at ${run.caseStatus ?? '-'} waiting on [${run.waitingOn.join(',')}]`);
    }
    const path = input.paths.get(row.applicantIin);
    if (path === undefined) continue;
    const expected = EXPECTED_OUTCOME[path];
    if (expected !== undefined) {
      if (!decision) {
        undecided += 1;
        note(`case ${row.id} (${path}): not decided yet (${run.caseStatus ?? '-'})`);
      } else if (decision.outcome !== expected) {
        wrongOutcomes += 1;
        note(`case ${row.id} (${path}): ${decision.outcome}, expected ${expected}`);
      }
    } else if (HEARING_PATHS.has(path) && (decision || run.caseStatus !== 'HEARING_SCHEDULED')) {
      wrongOutcomes += 1;
      note(`case ${row.id} (${path}): ${decision?.outcome ?? run.caseStatus ?? '-'}, expected HEARING_SCHEDULED`);
    }
  }
  let orphanWorkflows = 0;
  for (const w of input.workflows) {
    if (w.applicationId && rowById.has(w.applicationId)) continue;
    orphanWorkflows += 1;
    note(`workflow run ${w.runId} (${w.status}): ${w.applicationId ? 'its application row is gone' : 'no applicationId in its memo'}`);
  }

  // --- The queue ---
  const duplicateQueueEntries =
    extra(countBy(input.queueEntries, (q) => q.applicationId)) +
    extra(countBy(input.queueEntries.filter((q) => q.status === 'ACTIVE'), (q) => q.applicantIin));
  if (duplicateQueueEntries > 0) note(`${duplicateQueueEntries} duplicate queue entries`);
  for (const q of input.queueEntries) {
    if (decisionOf.get(q.applicationId)?.outcome !== 'REGISTERED') {
      inconsistent += 1;
      note(`queue entry of ${q.applicationId} without a registration decision`);
    }
  }

  // --- SMS: each notice once; each text once to its recipient ---
  const noticeById = new Map(input.notices.map((n) => [n.id, n]));
  const delivered = input.smsReceived.filter((m) => !m.duplicate);
  const byNotice = countBy(delivered, (m) => {
    const n = noticeById.get(m.clientMessageId);
    return n ? `${n.applicationId}|${n.kind}` : `unknown|${m.clientMessageId}`;
  });
  const byText = countBy(delivered, (m) => createHash('sha256').update(`${m.to}\n${m.text}`).digest('hex'));
  const byClientId = countBy(delivered, (m) => m.clientMessageId);
  const duplicateSms = Math.max(extra(byNotice), extra(byText), extra(byClientId));
  if (duplicateSms > 0) note(`${duplicateSms} SMS delivered more than once`);
  for (const m of delivered) {
    if (!noticeById.has(m.clientMessageId)) {
      inconsistent += 1;
      note(`an SMS (${m.clientMessageId}) that no notice row explains`);
    }
  }

  return {
    applications: keysSent.size,
    cases: input.applications.length,
    decisions: input.decisions.length,
    lost,
    duplicateCases,
    duplicateQueueEntries,
    duplicateSms,
    stuckInvisible,
    orphanWorkflows,
    wrongOutcomes,
    undecided,
    unanswered,
    inconsistent,
    smsRepeatsSuppressed: input.smsReceived.length - delivered.length,
    problems,
  };
}

/** Whether the figures show no fault (smsRepeatsSuppressed is a count of retries, not a fault). */
export function auditPassed(f: AuditFigures): boolean {
  return (
    f.lost + f.duplicateCases + f.duplicateQueueEntries + f.duplicateSms + f.stuckInvisible + f.orphanWorkflows + f.wrongOutcomes + f.undecided + f.unanswered + f.inconsistent ===
    0
  );
}

// ---------------------------------------------------------------------------------------------
// Reading the real stores

export interface AuditSources {
  pool: Pool;
  temporalAddress: string;
  dataConverter: DataConverter;
  taskQueue: string;
  smsReceived: ReceivedSms[];
}

/** Every run on the task queue, with its memo's applicationId and its case search attributes. */
export async function listCaseWorkflows(temporalAddress: string, dataConverter: DataConverter, taskQueue: string): Promise<AuditWorkflow[]> {
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    const client = new Client({ connection, dataConverter });
    const out: AuditWorkflow[] = [];
    for await (const w of client.workflow.list({ query: `TaskQueue = "${taskQueue}"` })) {
      const memoId = w.memo?.applicationId;
      out.push({
        workflowId: w.workflowId,
        runId: w.runId,
        ...(typeof memoId === 'string' ? { applicationId: memoId } : {}),
        status: w.status.name,
        ...(w.typedSearchAttributes.get(SA_CASE_STATUS) !== undefined ? { caseStatus: w.typedSearchAttributes.get(SA_CASE_STATUS) } : {}),
        waitingOn: w.typedSearchAttributes.get(SA_WAITING_ON) ?? [],
      });
    }
    return out;
  } finally {
    await connection.close();
  }
}

/** Reads the database rows, workflow runs and SMS of the persons the load filed for. */
export async function collectAudit(
  src: AuditSources,
  submissions: AuditSubmission[],
  paths: Map<string, ChaosPath>,
): Promise<AuditInput> {
  const iins = [...new Set([...submissions.map((s) => s.iin), ...paths.keys()])];
  const q = async <T extends object>(sql: string): Promise<T[]> => (await src.pool.query<T>(sql, [iins])).rows;
  const applications = await q<AuditApplication>(
    `SELECT id, idempotency_key AS "idempotencyKey", applicant_iin AS "applicantIin", status, workflow_id AS "workflowId"
       FROM applications WHERE applicant_iin = ANY($1::bpchar[])`,
  );
  const decisions = await q<{ applicationId: string; outcome: string }>(
    `SELECT d.application_id AS "applicationId", d.outcome FROM decisions d JOIN applications a ON a.id = d.application_id
      WHERE a.applicant_iin = ANY($1::bpchar[])`,
  );
  const queueEntries = await q<{ applicationId: string; applicantIin: string; status: string }>(
    `SELECT application_id AS "applicationId", applicant_iin AS "applicantIin", status FROM queue_entries WHERE applicant_iin = ANY($1::bpchar[])`,
  );
  const notices = await q<{ id: string; applicationId: string; kind: string; channel: string }>(
    `SELECT n.id, n.application_id AS "applicationId", n.kind, n.channel FROM notices n JOIN applications a ON a.id = n.application_id
      WHERE a.applicant_iin = ANY($1::bpchar[])`,
  );
  // One workflow ID per person (an HMAC of the IIN, the key the services read from the same
  // environment), so a run whose application row is gone is found too.
  const idKey = loadSettings().workflowIdKey;
  const workflowIds = new Set([...applications.map((a) => a.workflowId), ...iins.map((iin) => workflowIdFor(iin, idKey))]);
  const all = await listCaseWorkflows(src.temporalAddress, src.dataConverter, src.taskQueue);
  // Runs of these persons' workflow IDs only (one ID per person), so a shared stack audits one load.
  const workflows = all.filter((w) => workflowIds.has(w.workflowId));
  const noticeIds = new Set(notices.map((n) => n.id));
  const mobiles = new Set<string>();
  for (const a of await q<{ mobile: string | null }>(
    `SELECT declaration->'contact'->>'mobile' AS mobile FROM applications WHERE applicant_iin = ANY($1::bpchar[])`,
  )) {
    if (a.mobile) mobiles.add(a.mobile);
  }
  const smsReceived = src.smsReceived.filter((m) => noticeIds.has(m.clientMessageId) || mobiles.has(m.to));
  return { submissions, paths, applications, decisions, queueEntries, notices, smsReceived, workflows };
}
