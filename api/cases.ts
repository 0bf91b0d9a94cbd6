/**
 * Reading cases from PostgreSQL for the API, and who may see which case.
 */
import type { Pool } from 'pg';
import type { ApplicationDeclaration, CategoryOutcome, Ground } from '../domain/application';
import type { CaseStatus } from '../workflows/contract';
import { authoriseCase } from './auth/authorise';
import { apiError } from './errors';
import type { Actor } from './identity';

export interface ApplicationRow {
  id: string;
  idempotency_key: string;
  request_hash: string;
  applicant_iin: string;
  representative_iin: string | null;
  submitted_by: string;
  path: 'NO_HOUSING' | 'EMERGENCY';
  fund: string;
  kato: string;
  locality: string;
  declaration: ApplicationDeclaration;
  received_at: Date;
  accepted_at: Date;
  decision_due_at: Date;
  status: 'ACTIVE' | 'REGISTERED' | 'REFUSED' | 'WITHDRAWN';
  case_status: string;
  workflow_id: string;
  decided_at: Date | null;
}

const COLUMNS = `id, idempotency_key, request_hash, applicant_iin, representative_iin, submitted_by, path, fund, kato,
  locality, declaration, received_at, accepted_at, decision_due_at, status, case_status, workflow_id, decided_at`;

export async function findApplication(pool: Pool, id: string): Promise<ApplicationRow | undefined> {
  const res = await pool.query<ApplicationRow>(`SELECT ${COLUMNS} FROM applications WHERE id = $1`, [id]);
  return res.rows[0];
}

export async function findByIdempotencyKey(pool: Pool, key: string): Promise<ApplicationRow | undefined> {
  const res = await pool.query<ApplicationRow>(`SELECT ${COLUMNS} FROM applications WHERE idempotency_key = $1`, [key]);
  return res.rows[0];
}

/** The applicant or the representative of this case (by role and IIN). */
export function isPartyOf(actor: Actor, row: Pick<ApplicationRow, 'applicant_iin' | 'representative_iin'>): boolean {
  if (actor.role === 'applicant') return actor.id === row.applicant_iin;
  if (actor.role === 'representative') return row.representative_iin !== null && actor.id === row.representative_iin;
  return false;
}

/**
 * The case if the actor may act on it for this request's endpoint (security/policy/policy.json,
 * api/auth/authorise.ts): a person who is not its applicant or (registry-confirmed)
 * representative gets the same 404 as for a missing case, so case ids cannot be probed.
 */
export async function caseForActor(pool: Pool, id: string, actor: Actor): Promise<ApplicationRow> {
  const row = await findApplication(pool, id);
  if (!row) throw apiError(404, 'NOT_FOUND');
  await authoriseCase(actor, row);
  return row;
}

/**
 * The same check: which roles act on a case as its parties is the policy's to say (roles not
 * listed for the endpoint were refused with 403 before the case was read).
 */
export const caseForParty = caseForActor;

const CASE_STATUSES: readonly CaseStatus[] = [
  'CHECKING',
  'WAITING_REGISTRY',
  'AWAITING_REPORT',
  'AWAITING_REVIEW',
  'HEARING_SCHEDULED',
  'AWAITING_HEARING_OUTCOME',
  'REGISTERED',
  'REFUSED',
];

/** The database's case_status as a CaseStatus: SUBMITTED (workflow not yet running) reads as CHECKING. */
export function dbCaseStatus(row: Pick<ApplicationRow, 'case_status' | 'status'>): CaseStatus {
  if (row.status === 'REGISTERED' || row.status === 'REFUSED') return row.status;
  const s = CASE_STATUSES.find((c) => c === row.case_status);
  return s ?? 'CHECKING';
}

export interface DecisionRow {
  outcome: 'REGISTERED' | 'REFUSED';
  grounds: Ground[];
  categories: CategoryOutcome;
  decided_at: Date;
}

export async function findDecision(pool: Pool, id: string): Promise<DecisionRow | undefined> {
  const res = await pool.query<DecisionRow>(
    `SELECT outcome, grounds, categories, decided_at FROM decisions WHERE application_id = $1`,
    [id],
  );
  return res.rows[0];
}

export interface PreliminaryRow {
  notice_at: Date;
  hearing_at: Date;
  decision_due_at: Date;
  grounds: Ground[];
}

export async function latestPreliminary(pool: Pool, id: string): Promise<PreliminaryRow | undefined> {
  const res = await pool.query<PreliminaryRow>(
    `SELECT notice_at, hearing_at, decision_due_at, grounds FROM preliminary_decisions
      WHERE application_id = $1 ORDER BY seq DESC LIMIT 1`,
    [id],
  );
  return res.rows[0];
}

export interface CaseEventRow {
  id: number;
  at: Date;
  kind: string;
  actor: string | null;
  data: Record<string, unknown>;
}

export async function caseEvents(pool: Pool, id: string): Promise<CaseEventRow[]> {
  const res = await pool.query<CaseEventRow>(
    `SELECT id, at, kind, actor, data FROM case_events WHERE application_id = $1 ORDER BY at, id`,
    [id],
  );
  return res.rows;
}
