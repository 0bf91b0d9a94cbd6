/**
 * The API's access to a case: reading its record (db/cases, the one source of truth for its
 * state) and who may see which case.
 */
import type { Pool } from 'pg';
import { findApplication, type ApplicationRow } from '../db/cases';
import { CASE_STATUSES, type CaseStatus, type ProcedureState } from '../domain/procedure/statuses';
import { authoriseCase } from './auth/authorise';
import { apiError } from './errors';
import type { Actor } from './identity';

export type { ApplicationRow } from '../db/cases';

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

/**
 * The record's case_status as a CaseStatus: SUBMITTED — on record, its workflow not yet running
 * (the intake outbox starts it, issue #14) — reads as RECEIVED, queued for checking.
 */
export function dbCaseStatus(row: Pick<ApplicationRow, 'case_status' | 'status'>): CaseStatus {
  if (row.status === 'REGISTERED' || row.status === 'REFUSED') return row.status;
  if (row.case_status === 'SUBMITTED') return 'RECEIVED';
  const s = CASE_STATUSES.find((c) => c === row.case_status);
  return s ?? 'CHECKING';
}

/** What the procedure table reads, from the record. */
export function procedureStateOf(row: ApplicationRow): ProcedureState {
  return { status: dbCaseStatus(row), flags: row.flags, path: row.path };
}
