/**
 * Reading a case: GET /v1/applications/:id, /timeline and /queue-position — all from the case
 * record in PostgreSQL, the one source of truth for a case's state (workflows/contract.ts): the
 * workflow writes it at every step, and the API asks nothing of Temporal to show a case.
 *
 * Personal data: IINs and contacts are returned only to the applicant or representative of the
 * case. Grounds are returned without their registry facts and subject IINs (a spouse's or a
 * child's IIN is another person's); actors that are persons are shown to staff by role only.
 */
import type { Request, Response } from 'express';
import * as cases from '../../db/cases';
import type { Ground } from '../../domain/application';
import { allowedActions } from '../../domain/procedure/actions';
import { QUEUED_FOR_CHECKING_TEXT, STATUS_TEXT } from '../../domain/procedure/statuses';
import { almatyDate, toAlmatyIso } from '../../domain/time';
import { caseForActor, dbCaseStatus, isPartyOf, procedureStateOf, type ApplicationRow } from '../cases';
import { apiError, parseOrThrow } from '../errors';
import type { ApiDeps } from '../http';
import { actorOf, type Actor } from '../identity';
import { applicationIdParams } from '../schemas';
import { linksOf } from './submit';

interface GroundView {
  id: string;
  rule?: string;
  subject: Ground['subject'];
  registry: string;
  reason: Ground['reason'];
}

function groundView(g: Ground): GroundView {
  return { id: g.id, ...(g.rule ? { rule: g.rule } : {}), subject: g.subject, registry: g.registry, reason: g.reason };
}

const iso = (d: Date): string => toAlmatyIso(d.getTime());

/** `role:id` for parties; staff see a person actor by role only (the id is an IIN). */
function actorView(actor: string | null | undefined, viewer: Actor, row: ApplicationRow): string | undefined {
  if (!actor) return undefined;
  const [role] = actor.split(':');
  if ((role === 'applicant' || role === 'representative') && !isPartyOf(viewer, row)) return role;
  return actor;
}

export function getApplicationHandler(deps: ApiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const { id } = parseOrThrow(applicationIdParams, req.params);
    const row = await caseForActor(deps.pool, id, actor);
    const [decision, preliminary, queue] = await Promise.all([
      cases.findDecision(deps.pool, row.id),
      cases.latestPreliminary(deps.pool, row.id),
      cases.placementOf(deps.pool, row.id),
    ]);
    const status = dbCaseStatus(row);
    const party = isPartyOf(actor, row);
    const d = row.declaration;
    // A decided case shows its decision's grounds (a registration: the ones the officer set aside).
    const grounds = decision ? decision.grounds : row.grounds;
    res.json({
      applicationId: row.id,
      ...(party
        ? {
            applicantIin: row.applicant_iin,
            ...(row.representative_iin ? { representativeIin: row.representative_iin } : {}),
            contact: d.contact,
          }
        : {}),
      path: row.path,
      fund: row.fund,
      kato: row.kato,
      locality: row.locality,
      declaredCategories: d.categories,
      status,
      // Received, its workflow not started yet (the intake outbox, issue #14): queued for checking.
      statusText: row.case_status === 'SUBMITTED' ? QUEUED_FOR_CHECKING_TEXT : STATUS_TEXT[status],
      flags: row.flags,
      waitingOn: row.waiting_on,
      ...(row.failure ? { failure: row.failure } : {}),
      allowedActions: allowedActions(procedureStateOf(row), { role: actor.role }),
      receivedAt: iso(row.received_at),
      acceptedAt: iso(row.accepted_at),
      decisionDueAt: iso(row.decision_due_at),
      grounds: grounds.map(groundView),
      categories: decision?.categories ?? row.categories ?? { confirmed: [], unconfirmed: [] },
      ...(preliminary ? { preliminaryDecisionAt: iso(preliminary.notice_at), hearingAt: iso(preliminary.hearing_at) } : {}),
      ...(preliminary ? { positionStated: row.flags.includes('POSITION_STATED') } : {}),
      ...(decision
        ? {
            decision: {
              outcome: decision.outcome,
              at: iso(decision.decided_at),
              // A registration lists no grounds (dismissed ones stay in `grounds`).
              grounds: decision.outcome === 'REFUSED' ? [...new Set(decision.grounds.map((g) => g.id))] : [],
            },
          }
        : {}),
      ...(queue ? { queue: { kato: queue.kato, registrationNumber: queue.registrationNumber, position: queue.position, categoryPositions: queue.categoryPositions } } : {}),
      links: linksOf(row.id),
    });
  };
}

/** GET /v1/applications/:id/timeline — the case's timeline (case_events), in the order things happened. */
export function timelineHandler(deps: ApiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const { id } = parseOrThrow(applicationIdParams, req.params);
    const row = await caseForActor(deps.pool, id, actor);
    const events = await cases.caseEvents(deps.pool, row.id);
    res.json({
      applicationId: row.id,
      entries: events.map((e) => {
        const a = actorView(e.actor, actor, row);
        return {
          at: iso(e.at),
          kind: e.kind,
          ...(a ? { actor: a } : {}),
          ...(Object.keys(e.data).length > 0 ? { detail: e.data } : {}),
        };
      }),
    });
  };
}

export function queuePositionHandler(deps: ApiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const { id } = parseOrThrow(applicationIdParams, req.params);
    const row = await caseForActor(deps.pool, id, actor);
    const placement = await cases.placementOf(deps.pool, row.id);
    if (!placement) throw apiError(404, 'NOT_IN_QUEUE');
    const { registeredAt, ...rest } = placement;
    res.json({ ...rest, registeredAt: iso(registeredAt) });
  };
}

/** `YYYY-MM-DD` in +05:00 for the published list. */
export function registrationDate(d: Date): string {
  return almatyDate(d.getTime());
}
