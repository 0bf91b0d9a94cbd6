/**
 * The procedure table (domain/procedure `allowedActions`): every status × action × role, against a
 * matrix written out here from SPEC §7 (R13, R17, A1.8.2, A1.9.4) — as the permission test does for
 * endpoint × role — and its agreement with security/policy/policy.json on who may call each
 * action's endpoint.
 */
import {
  allowedActions,
  CASE_ACTIONS,
  CASE_STATUSES,
  checkAction,
  ROLES,
  type CaseAction,
  type CaseStatus,
  type ProcedureState,
  type Role,
} from '../../domain/procedure';
import { loadPolicy } from '../../security/policy/policy';

const PARTY: Role[] = ['applicant', 'representative'];
const BEFORE_DECISION: CaseStatus[] = ['CHECKING', 'AWAITING_REPORT', 'AWAITING_REVIEW', 'HEARING_SCHEDULED', 'AWAITING_HEARING_OUTCOME', 'AWAITING_FINAL_SIGNATURE'];

/** Who takes each action, and in which statuses (emergency path, no flags). Written from the Rules, not from the code. */
const MATRIX: Record<CaseAction, { by: Role[]; in: readonly CaseStatus[] }> = {
  // A1.8.2: the report while the case is checked or waits for it; R17: a corrected one before the hearing.
  // A1.8.2: the report may come while an out-of-hours case waits for its acceptance (RECEIVED).
  UPLOAD_REPORT: { by: PARTY, in: ['RECEIVED', 'CHECKING', 'AWAITING_REPORT', 'HEARING_SCHEDULED'] },
  // R17: until the hearing.
  STATE_POSITION: { by: PARTY, in: ['HEARING_SCHEDULED'] },
  GIVE_CONSENT: { by: PARTY, in: ['HEARING_SCHEDULED'] },
  REQUEST_RECHECK: { by: PARTY, in: ['HEARING_SCHEDULED'] },
  // Personal Data Law art. 8: a consent may always be withdrawn (its effect on the case differs).
  WITHDRAW_CONSENT: { by: PARTY, in: CASE_STATUSES },
  // R13: the operator reviews the uploaded report.
  REVIEW_REPORT: { by: ['operator'], in: ['AWAITING_REVIEW'] },
  // R17: the officer decides after a hearing with a position.
  RECORD_HEARING_OUTCOME: { by: ['officer'], in: ['AWAITING_HEARING_OUTCOME'] },
  // R17: the authorised person signs the refusal after a hearing without a position.
  SIGN_FINAL_REFUSAL: { by: ['officer'], in: ['AWAITING_FINAL_SIGNATURE'] },
  // Only a case held by a failed step (flag STEP_FAILED), in any status: see below.
  RETRY_FAILED_STEP: { by: ['administrator'], in: [] },
  // R9 after registration (issue #11 §2): the registered person asks for a category re-check.
  REQUEST_CATEGORY_RECHECK: { by: PARTY, in: ['REGISTERED'] },
  // Issue #11 §2: a registered person may leave the queue (once: flag LEFT_QUEUE afterwards).
  WITHDRAW_FROM_QUEUE: { by: PARTY, in: ['REGISTERED'] },
};

/** The endpoint each action is taken through (api/app.ts). */
const ENDPOINT: Record<CaseAction, string> = {
  UPLOAD_REPORT: 'POST /v1/applications/:id/technical-report',
  STATE_POSITION: 'POST /v1/applications/:id/position',
  GIVE_CONSENT: 'POST /v1/applications/:id/consents',
  REQUEST_RECHECK: 'POST /v1/applications/:id/recheck',
  WITHDRAW_CONSENT: 'POST /v1/applications/:id/consents/:code/withdraw',
  REVIEW_REPORT: 'POST /v1/applications/:id/report-review',
  RECORD_HEARING_OUTCOME: 'POST /v1/applications/:id/hearing-outcome',
  SIGN_FINAL_REFUSAL: 'POST /v1/applications/:id/final-refusal',
  RETRY_FAILED_STEP: 'POST /v1/applications/:id/retry-failed-step',
  REQUEST_CATEGORY_RECHECK: 'POST /v1/applications/:id/category-recheck',
  WITHDRAW_FROM_QUEUE: 'POST /v1/applications/:id/withdrawal',
};

const emergency = (status: CaseStatus, flags: ProcedureState['flags'] = []): ProcedureState => ({ status, flags, path: 'EMERGENCY' });

describe('procedure table: status × action × role', () => {
  const cells = CASE_STATUSES.flatMap((status) => CASE_ACTIONS.flatMap((action) => ROLES.map((role) => [status, action, role] as const)));

  it.each(cells)('%s × %s × %s', (status, action, role) => {
    const verdict = checkAction(emergency(status), { role }, action);
    const expected = MATRIX[action].by.includes(role) && MATRIX[action].in.includes(status);
    expect(verdict.allowed).toBe(expected);
    if (!verdict.allowed) {
      // Every refusal says why, in the three languages.
      expect(verdict.reason.code).toMatch(/^[A-Z_]+$/);
      for (const lang of ['kk', 'ru', 'en'] as const) expect(verdict.reason[lang].length).toBeGreaterThan(10);
      if (!MATRIX[action].by.includes(role)) expect(verdict.reason.code).toBe('NOT_YOUR_ROLE');
      else if (action === 'WITHDRAW_FROM_QUEUE' || action === 'REQUEST_CATEGORY_RECHECK') expect(verdict.reason.code).toBe('NOT_REGISTERED');
      else if (status === 'REGISTERED' || status === 'REFUSED') expect(verdict.reason.code).toBe(action === 'RETRY_FAILED_STEP' ? 'NO_FAILED_STEP' : 'CASE_DECIDED');
    }
  });

  it('answers every action for every actor, in the table order', () => {
    for (const role of ROLES) {
      expect(allowedActions(emergency('HEARING_SCHEDULED'), { role }).map((a) => a.action)).toEqual([...CASE_ACTIONS]);
    }
  });
});

describe('procedure table: path and flags', () => {
  it('a technical report belongs to the emergency path only (R7.2)', () => {
    for (const status of ['CHECKING', 'AWAITING_REPORT', 'HEARING_SCHEDULED'] as const) {
      const verdict = checkAction({ status, flags: [], path: 'NO_HOUSING' }, { role: 'applicant' }, 'UPLOAD_REPORT');
      expect(verdict).toMatchObject({ allowed: false, reason: { code: 'EMERGENCY_PATH_ONLY' } });
    }
  });

  it('a case held by a failed step takes only the administrator’s retry and a consent withdrawal', () => {
    for (const status of BEFORE_DECISION) {
      const held = emergency(status, ['STEP_FAILED']);
      const allowed = ROLES.flatMap((role) => allowedActions(held, { role }).filter((a) => a.allowed).map((a) => `${role}:${a.action}`));
      expect(allowed.sort()).toEqual(['administrator:RETRY_FAILED_STEP', 'applicant:WITHDRAW_CONSENT', 'representative:WITHDRAW_CONSENT']);
      expect(checkAction(held, { role: 'operator' }, 'REVIEW_REPORT')).toMatchObject({ allowed: false, reason: { code: 'CASE_ON_HOLD' } });
    }
  });

  it('an entry that left the queue cannot leave it again (issue #11 §2)', () => {
    expect(checkAction(emergency('REGISTERED'), { role: 'applicant' }, 'WITHDRAW_FROM_QUEUE')).toEqual({ action: 'WITHDRAW_FROM_QUEUE', allowed: true });
    expect(checkAction(emergency('REGISTERED', ['LEFT_QUEUE']), { role: 'representative' }, 'WITHDRAW_FROM_QUEUE')).toMatchObject({
      allowed: false,
      reason: { code: 'ALREADY_LEFT_QUEUE' },
    });
  });

  it('the other flags do not change what may be done', () => {
    for (const status of CASE_STATUSES) {
      for (const role of ROLES) {
        const plain = allowedActions(emergency(status), { role });
        const flagged = allowedActions(emergency(status, ['WAITING_ON_REGISTRY', 'REPORT_UPLOADED', 'POSITION_STATED', 'OVERDUE']), { role });
        expect(flagged).toEqual(plain);
      }
    }
  });
});

describe('procedure table and the access policy agree on who takes each action', () => {
  const policy = loadPolicy();
  it.each(CASE_ACTIONS)('%s', (action) => {
    const [method, path] = ENDPOINT[action].split(' ');
    const endpoint = policy.endpoints.find((e) => e.method === method && e.path === path);
    if (!endpoint || endpoint.public) throw new Error(`${ENDPOINT[action]} is not a guarded endpoint`);
    const allowedRoles = Object.keys(endpoint.allow).sort();
    expect(allowedRoles).toEqual([...MATRIX[action].by].sort());
  });
});
