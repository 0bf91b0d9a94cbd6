/**
 * Reading a case: GET /v1/applications/:id, /timeline and /queue-position.
 *
 * While the workflow runs, its `caseState` query is the freshest view; once it is closed (or Temporal
 * or the worker is unreachable) the database answers. The queue placement always comes from the
 * database: positions move as other entries leave, and the database holds the queue.
 *
 * Personal data: IINs and contacts are returned only to the applicant or representative of the
 * case. Grounds are returned without their registry facts and subject IINs (a spouse's or a
 * child's IIN is another person's); actors that are persons are shown to staff by role only.
 */
import type { Request, Response } from 'express';
import type { Pool } from 'pg';
import { placementOf } from '../../activities/case-activities';
import type { CategoryOutcome, Ground } from '../../domain/application';
import { almatyDate, parseInstant, toAlmatyIso } from '../../domain/time';
import type { CaseState, CaseStatus, QueuePlacement } from '../../workflows/contract';
import {
  caseEvents,
  caseForActor,
  dbCaseStatus,
  findDecision,
  isPartyOf,
  latestPreliminary,
  type ApplicationRow,
} from '../cases';
import { apiError, parseOrThrow } from '../errors';
import type { ApiDeps } from '../http';
import { actorOf, type Actor } from '../identity';
import { applicationIdParams } from '../schemas';
import { liveCaseState } from '../workflow-gateway';
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

interface CaseView {
  source: 'workflow' | 'database';
  status: CaseStatus;
  waitingOn: string[];
  decisionDueAt: string;
  grounds: GroundView[];
  categories: CategoryOutcome;
  preliminaryDecisionAt?: string;
  hearingAt?: string;
  positionStated?: boolean;
  decision?: { outcome: 'REGISTERED' | 'REFUSED'; at: string; grounds: string[] };
}

function fromWorkflow(state: CaseState): CaseView {
  return {
    source: 'workflow',
    status: state.status,
    waitingOn: state.waitingOn,
    decisionDueAt: state.decisionDueAt,
    grounds: state.grounds.map(groundView),
    categories: state.categories,
    ...(state.preliminaryDecisionAt ? { preliminaryDecisionAt: state.preliminaryDecisionAt } : {}),
    ...(state.hearingAt ? { hearingAt: state.hearingAt } : {}),
    positionStated: state.positionStated,
    ...(state.decision ? { decision: { outcome: state.decision.outcome, at: state.decision.at, grounds: state.decision.grounds } } : {}),
  };
}

async function fromDatabase(pool: Pool, row: ApplicationRow): Promise<CaseView> {
  const [decision, preliminary] = await Promise.all([findDecision(pool, row.id), latestPreliminary(pool, row.id)]);
  const iso = (d: Date): string => toAlmatyIso(d.getTime());
  const grounds = decision ? decision.grounds : (preliminary?.grounds ?? []);
  return {
    source: 'database',
    status: dbCaseStatus(row),
    waitingOn: [],
    decisionDueAt: iso(row.decision_due_at),
    grounds: grounds.map(groundView),
    categories: decision?.categories ?? { confirmed: [], unconfirmed: [] },
    ...(preliminary ? { preliminaryDecisionAt: iso(preliminary.notice_at), hearingAt: iso(preliminary.hearing_at) } : {}),
    ...(decision
      ? {
          decision: {
            outcome: decision.outcome,
            at: iso(decision.decided_at),
            // As the workflow reports it: a registration lists no grounds (dismissed ones stay in `grounds`).
            grounds: decision.outcome === 'REFUSED' ? decision.grounds.map((g) => g.id) : [],
          },
        }
      : {}),
  };
}

/** The live state while the case is undecided in the database; a decided case is read from the database. */
async function liveState(deps: ApiDeps, row: ApplicationRow): Promise<CaseState | undefined> {
  if (row.status !== 'ACTIVE') return undefined;
  return liveCaseState(deps.client, row.workflow_id, row.id);
}

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
    const state = await liveState(deps, row);
    const view = state ? fromWorkflow(state) : await fromDatabase(deps.pool, row);
    const queue: QueuePlacement | null = await placementOf(deps.pool, row.id);
    const party = isPartyOf(actor, row);
    const d = row.declaration;
    res.json({
      applicationId: row.id,
      source: view.source,
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
      status: view.status,
      waitingOn: view.waitingOn,
      receivedAt: toAlmatyIso(row.received_at.getTime()),
      acceptedAt: toAlmatyIso(row.accepted_at.getTime()),
      decisionDueAt: view.decisionDueAt,
      grounds: view.grounds,
      categories: view.categories,
      ...(view.preliminaryDecisionAt ? { preliminaryDecisionAt: view.preliminaryDecisionAt } : {}),
      ...(view.hearingAt ? { hearingAt: view.hearingAt } : {}),
      ...(view.positionStated !== undefined ? { positionStated: view.positionStated } : {}),
      ...(view.decision ? { decision: view.decision } : {}),
      ...(queue ? { queue } : {}),
      links: linksOf(row.id),
    });
  };
}

interface TimelineView {
  at: string;
  kind: string;
  actor?: string;
  detail?: Record<string, unknown>;
  source: 'database' | 'workflow';
  ms: number;
}

/**
 * Kinds the database records at most once per case (fixed event keys in activities/case-activities).
 * The workflow stamps its own entry for these after the recording activity returns, so its `at`
 * differs from the database's by the activity's duration; matching them by kind alone avoids
 * showing the same step twice.
 */
const ONCE_PER_CASE = new Set(['ACCEPTED', 'PRELIMINARY_REFUSAL', 'REGISTERED', 'REFUSED']);

export function timelineHandler(deps: ApiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const { id } = parseOrThrow(applicationIdParams, req.params);
    const row = await caseForActor(deps.pool, id, actor);
    const [events, state] = await Promise.all([caseEvents(deps.pool, row.id), liveState(deps, row)]);
    const entries: TimelineView[] = events.map((e) => {
      const a = actorView(e.actor, actor, row);
      const hasDetail = Object.keys(e.data).length > 0;
      return {
        at: toAlmatyIso(e.at.getTime()),
        kind: e.kind,
        ...(a ? { actor: a } : {}),
        ...(hasDetail ? { detail: e.data } : {}),
        source: 'database',
        ms: e.at.getTime(),
      };
    });
    if (state) {
      const seen = new Set(entries.map((e) => `${e.kind}|${e.ms}`));
      const kinds = new Set(entries.map((e) => e.kind));
      for (const t of state.timeline) {
        const ms = parseInstant(t.at);
        if (seen.has(`${t.kind}|${ms}`) || (ONCE_PER_CASE.has(t.kind) && kinds.has(t.kind))) continue;
        const a = actorView(t.actor, actor, row);
        entries.push({
          at: toAlmatyIso(ms),
          kind: t.kind,
          ...(a ? { actor: a } : {}),
          ...(t.detail ? { detail: t.detail } : {}),
          source: 'workflow',
          ms,
        });
      }
    }
    // At the same instant the workflow's own step comes first: the database rows at that instant
    // are the effects an activity recorded for it (e.g. CHECKED, then PRELIMINARY_REFUSAL).
    // Otherwise the sort is stable: database order (at, id), then the workflow's order.
    const rank = (e: TimelineView): number => (e.source === 'workflow' ? 0 : 1);
    entries.sort((x, y) => x.ms - y.ms || rank(x) - rank(y));
    res.json({ applicationId: row.id, entries: entries.map(({ ms: _ms, ...e }) => e) });
  };
}

export function queuePositionHandler(deps: ApiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const { id } = parseOrThrow(applicationIdParams, req.params);
    const row = await caseForActor(deps.pool, id, actor);
    const placement = await placementOf(deps.pool, row.id);
    const reg = await deps.pool.query<{ registered_at: Date }>(
      `SELECT registered_at FROM queue_entries WHERE application_id = $1 AND status = 'ACTIVE'`,
      [row.id],
    );
    const registeredAt = reg.rows[0]?.registered_at;
    if (!placement || !registeredAt) throw apiError(404, 'NOT_IN_QUEUE');
    res.json({ ...placement, registeredAt: toAlmatyIso(registeredAt.getTime()) });
  };
}

/** `YYYY-MM-DD` in +05:00 for the published list. */
export function registrationDate(d: Date): string {
  return almatyDate(d.getTime());
}
