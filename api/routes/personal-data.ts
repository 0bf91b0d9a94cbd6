/**
 * A person's control over their data (R12, A2.C1–C4; Personal Data Law arts. 8, 24):
 *   GET  /v1/applications/:id/consents                 — the consents and their history;
 *   POST /v1/applications/:id/consents/:code/withdraw  — withdraw one, told what that does;
 *   GET  /v1/applications/:id/access-log               — who read or changed the case's data, and when.
 */
import type { Request, Response } from 'express';
import { accessLogRows } from '../../db/audit';
import { insertEvent } from '../../db/cases';
import { toAlmatyIso } from '../../domain/time';
import { CONSENT_TITLES, consentHistory, consentStatuses, withdrawConsent, type ConsentRow } from '../../personal-data/consents';
import { withTransaction } from '../../db/transaction';
import { withdrawalConsequence } from '../../personal-data/withdrawal';
import { recordInTransaction } from '../audit';
import { caseForActor, caseForParty, isPartyOf, type ApplicationRow } from '../cases';
import { apiError, parseOrThrow } from '../errors';
import type { ApiDeps } from '../http';
import { tellCaseConsentWithdrawn } from '../workflow-gateway';
import { actorOf, actorRef, isStaff, type Actor } from '../identity';
import { accessLogQuery, applicationIdParams, consentParams, withdrawConsentBody } from '../schemas';

const iso = (d: Date): string => toAlmatyIso(d.getTime());

/** `role:id` for parties of the case; staff see a person by role only (the id is an IIN). */
function shownActor(actor: string, viewer: Actor, row: ApplicationRow): string {
  const [role] = actor.split(':');
  if ((role === 'applicant' || role === 'representative') && !isPartyOf(viewer, row)) return role;
  return actor;
}

function historyView(r: ConsentRow, viewer: Actor, row: ApplicationRow): Record<string, unknown> {
  return {
    code: r.code,
    givenAt: iso(r.given_at),
    givenBy: shownActor(r.given_by, viewer, row),
    signed: r.signature !== null,
    ...(r.withdrawn_at ? { withdrawnAt: iso(r.withdrawn_at) } : {}),
    ...(r.withdrawn_by ? { withdrawnBy: shownActor(r.withdrawn_by, viewer, row) } : {}),
    ...(r.withdrawal_reason ? { withdrawalReason: r.withdrawal_reason } : {}),
  };
}

/** GET /v1/applications/:id/consents — the parties, and staff with a stated purpose. */
export function consentsListHandler(deps: ApiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const { id } = parseOrThrow(applicationIdParams, req.params);
    const row = await caseForActor(deps.pool, id, actor);
    const history = await consentHistory(deps.pool, row.id);
    res.json({
      applicationId: row.id,
      consents: consentStatuses(history).map(({ code, status, latest }) => ({
        code,
        title: CONSENT_TITLES[code],
        status,
        ...(latest ? { givenAt: iso(latest.given_at), signed: latest.signature !== null } : {}),
        ...(latest?.withdrawn_at ? { withdrawnAt: iso(latest.withdrawn_at) } : {}),
      })),
      history: history.map((r) => historyView(r, actor, row)),
    });
  };
}

/**
 * POST /v1/applications/:id/consents/:code/withdraw — the applicant or representative. The
 * withdrawal, its entry on the case timeline (CONSENT_WITHDRAWN, which tells the provider's staff)
 * and the audit row commit in one transaction. 409 CONSENT_NOT_IN_FORCE when there is nothing to
 * withdraw.
 *
 * An open case is told first (the `consentWithdrawn` update, api/workflow-gateway.ts): a C1/C2
 * withdrawn before the decision makes the workflow re-evaluate (A1.9.4, R17); when Temporal cannot
 * be reached the answer is 503 and nothing is recorded, so the person can simply try again.
 */
export function withdrawConsentHandler(deps: ApiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const { id, code } = parseOrThrow(consentParams, req.params);
    const row = await caseForParty(deps.pool, id, actor);
    const body = parseOrThrow(withdrawConsentBody, req.body === undefined ? {} : req.body);
    const by = actorRef(actor);
    const consequence = withdrawalConsequence(code, row.status);
    const at = new Date();
    // R12, A1.9.4: the open case re-evaluates first (a failure leaves nothing recorded; a retry is safe).
    await tellCaseConsentWithdrawn(deps.client, row, { code, at, by });
    const withdrawn = await withTransaction(deps.pool, async (tx) => {
      const w = await withdrawConsent(tx, { applicationId: row.id, code, at, by, reason: body.reason ?? null });
      if (!w) throw apiError(409, 'CONSENT_NOT_IN_FORCE', { field: 'code' });
      await insertEvent(tx, {
        applicationId: row.id,
        eventKey: `consent-withdrawn:${w.id}`,
        at: at.toISOString(),
        kind: 'CONSENT_WITHDRAWN',
        actor: by,
        data: { code, effect: consequence.effect, providerInformed: consequence.providerInformed },
      });
      await recordInTransaction(req, tx, row.id);
      return w;
    });
    res.json({
      applicationId: row.id,
      code,
      withdrawnAt: iso(withdrawn.withdrawn_at ?? at),
      effect: consequence.effect,
      providerInformed: consequence.providerInformed,
      explanation: consequence.explanation,
    });
  };
}

// A staff member is named by their staff id; should an id ever be an IIN (a person's number), it is
// not shown.
const IIN_LIKE = /^\d{12}$/;

/**
 * GET /v1/applications/:id/access-log — the applicant or representative (and the auditor, with a
 * stated purpose): who accessed the case's data and when, newest first. Staff appear with their
 * role and staff id; persons by role only, and only the parties of this case (another applicant
 * can never appear).
 */
export function accessLogHandler(deps: ApiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const { id } = parseOrThrow(applicationIdParams, req.params);
    if (isStaff(actor) && actor.role !== 'auditor') throw apiError(403, 'FORBIDDEN');
    const row = await caseForActor(deps.pool, id, actor);
    const { page, pageSize } = parseOrThrow(accessLogQuery, req.query, 'query');
    const parties = [`applicant:${row.applicant_iin}`, ...(row.representative_iin ? [`representative:${row.representative_iin}`] : [])];
    const me = actorRef(actor);
    const { rows, total } = await accessLogRows(deps.pool, row.id, parties, { offset: (page - 1) * pageSize, limit: pageSize });
    res.json({
      applicationId: row.id,
      total,
      page,
      pageSize,
      entries: rows.map((r) => {
        const person = r.actorRole === 'applicant' || r.actorRole === 'representative';
        const staffId = r.actor.slice(r.actorRole.length + 1);
        return {
          at: iso(r.at),
          role: r.actorRole,
          ...(!person && staffId && !IIN_LIKE.test(staffId) ? { staffId } : {}),
          you: r.actor === me,
          action: r.action,
          purpose: r.purpose,
          ...(r.purposeText ? { purposeText: r.purposeText } : {}),
        };
      }),
    });
  };
}
