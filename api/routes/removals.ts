/**
 * Removal from the register by an authorised officer (issue #11 §2; Housing Law, APPC art. 73):
 *
 *   POST /v1/removals                           the officer opens a case for the entry named by its
 *                                               registration number, with a ground and a finding
 *   GET  /v1/removals/:removalId                the case (staff; the person concerned) — audited
 *   POST /v1/removals/:removalId/position       the person states a position before the hearing, signed with EDS
 *   POST /v1/removals/:removalId/sign-request   the canonical form to sign: the officer's decision, the person's position
 *   POST /v1/removals/:removalId/decision       the officer's decision, REMOVE or KEEP, signed with EDS
 *   GET  /v1/cabinet/removals                   the person's removal cases (how the person of a migrated
 *                                               record, who has no cabinet case, finds theirs)
 *
 * Keyed by the registration number (what an officer holds, on an application's entry and a
 * migrated record alike), not by the database id the workflow ID uses. The case's own workflow
 * (workflows/removal/) keeps its terms and acts; the API records the opening (db/removals) and
 * starts it, and sends the person's position and the officer's decision as updates, which the
 * workflow's validators check against the same table (domain/removal/procedure.ts) the API asks
 * first (409 with its reason). Reads and acts are audited like every personal-data access; a
 * migrated record has no application, so its rows name no case.
 */
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import * as cases from '../../db/cases';
import * as removals from '../../db/removals';
import { withTransaction } from '../../db/transaction';
import { roleOf } from '../../domain/procedure/actions';
import { currentReferenceSnapshot, developmentAlwaysOpenSnapshot } from '../../domain/reference-snapshot';
import { REMOVAL_GROUND_TEXT, groundNeedsHearing } from '../../domain/removal/grounds';
import { allowedRemovalActions, REMOVAL_REASONS, REMOVAL_STATUS_TEXT, removalActionRefusal, type RemovalAction } from '../../domain/removal/procedure';
import { removalTerms } from '../../domain/removal/terms';
import { toAlmatyIso } from '../../domain/time';
import { canonicalFormOf, removalDecisionDocument, removalPositionDocument, type RemovalDecisionDocument, type RemovalPositionDocument } from '../../security/pki/signed-documents';
import { EKU } from '../../security/pki/oids';
import {
  REMOVAL_WORKFLOW_TYPE,
  removalDecisionUpdate,
  removalPositionUpdate,
  removalWorkflowId,
  SA_REMOVAL_DUE_AT,
  SA_REMOVAL_STATUS,
  type RemovalActionResult,
  type RemovalWorkflowInput,
} from '../../workflows/removal/contract';
import { auditSubjects } from '../audit';
import { authError } from '../auth/messages';
import { confirmRepresentation, RepresentationUnavailableError, type RepresentationRegistry } from '../auth/representation';
import { apiError, invalidCaseAction, parseOrThrow } from '../errors';
import { sha256Hex, type ApiDeps } from '../http';
import { actorOf, actorRef, isStaff, type Actor } from '../identity';
import { openRemovalBody, removalDecisionBody, removalIdParams, removalPositionBody, removalSignRequestBody } from '../removal-schemas';
import { isInvalidCaseAction, refusalOf } from '../workflow-gateway';
import { checkDecidedAt, signatureError, signedDocumentInput, type DocumentSigning } from './signatures';

const START_DEADLINE_MS = 10_000;
const UPDATE_DEADLINE_MS = 15_000;

const iso = (d: Date | null): string | undefined => (d ? toAlmatyIso(d.getTime()) : undefined);

async function viewOf(deps: ApiDeps, r: removals.RemovalRow, actor: Actor) {
  const notices = await removals.removalNotices(deps.pool, r.id);
  const state = { status: r.status, positionStated: r.position_at !== null };
  return {
    removalId: r.id,
    registrationNumber: r.registration_number,
    ...(r.application_id ? { applicationId: r.application_id } : {}),
    source: r.application_id ? ('APPLICATION' as const) : ('MIGRATED' as const),
    ground: r.ground,
    groundText: REMOVAL_GROUND_TEXT[r.ground],
    hearing: r.hearing_at !== null,
    status: r.status,
    statusText: REMOVAL_STATUS_TEXT[r.status],
    openedAt: iso(r.opened_at)!,
    openedBy: r.opened_by,
    ...(typeof r.evidence?.finding === 'string' ? { finding: r.evidence.finding } : {}),
    // What a registry answered when the re-verification opened the case (the person's own data; staff reads are audited).
    ...(r.evidence?.registry ? { evidence: { registry: r.evidence.registry, ...(r.evidence.facts !== undefined ? { facts: r.evidence.facts } : {}) } } : {}),
    ...(r.hearing_at ? { hearingAt: iso(r.hearing_at) } : {}),
    decisionDueAt: iso(r.decision_due_at)!,
    positionStated: state.positionStated,
    ...(r.position !== null ? { position: r.position, positionSigned: r.position_document_id !== null } : {}),
    ...(r.outcome ? { outcome: r.outcome, reasoning: r.reasoning ?? '', decidedAt: iso(r.decided_at), decidedBy: r.decided_by ?? '', signed: r.decision_document_id !== null } : {}),
    // The case's notices: the cabinet texts in full; the SMS by its status only (never the number).
    notices: notices.map((n) => ({ kind: n.kind, channel: n.channel, issuedAt: iso(n.issued_at)!, status: n.status, ...(n.channel === 'CABINET' ? { text: n.body } : {}) })),
    allowedActions: allowedRemovalActions(state, { role: actor.role }),
  };
}

/** Who represents whom, asked now (api/auth/representation.ts), as the cabinet asks it. */
export interface RemovalContext {
  registry: RepresentationRegistry;
  now: () => Date;
}

/** Whether the registry confirms `actor` represents `principalIin` now; 503 when it cannot be asked. */
async function represents(ctx: RemovalContext, actor: Actor, principalIin: string): Promise<boolean> {
  try {
    return (await confirmRepresentation(ctx.registry, actor.id, principalIin, ctx.now())).confirmed;
  } catch (err) {
    if (err instanceof RepresentationUnavailableError) throw authError(503, 'REPRESENTATION_UNAVAILABLE');
    throw err;
  }
}

/**
 * The case, if this caller may see it: staff any; the person on the entry; their representative
 * as the representation registry confirms it now (R13; the audit records the principal). Anyone
 * else: 404, as for a case that does not exist.
 */
async function removalFor(deps: ApiDeps, req: Request, actor: Actor, ctx: RemovalContext): Promise<removals.RemovalRow> {
  const { removalId } = parseOrThrow(removalIdParams, req.params);
  const r = await removals.findRemoval(deps.pool, removalId);
  if (!r) throw apiError(404, 'REMOVAL_NOT_FOUND');
  if (isStaff(actor)) return r;
  const person = await removals.personOfRemoval(deps.pool, r.id);
  if (person === undefined) throw apiError(404, 'REMOVAL_NOT_FOUND');
  if (actor.role === 'applicant' && person === actor.id) return r;
  if (actor.role === 'representative' && (await represents(ctx, actor, person))) {
    actor.principalIin = person;
    return r;
  }
  throw apiError(404, 'REMOVAL_NOT_FOUND');
}

async function startRemoval(client: Client, taskQueue: string, input: RemovalWorkflowInput, t: ReturnType<typeof removalTerms>): Promise<'STARTED' | 'OTHER_RUNNING'> {
  try {
    await client.withDeadline(Date.now() + START_DEADLINE_MS, () =>
      client.workflow.start(REMOVAL_WORKFLOW_TYPE, {
        workflowId: removalWorkflowId(input.entryId),
        taskQueue,
        args: [input],
        // One running case per entry; a later case may take the ID once this one closed.
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        memo: { removalId: input.removalId },
        // Indexed from the start: the status and the next due instant (nothing personal).
        typedSearchAttributes: [
          { key: SA_REMOVAL_STATUS, value: t.hearing ? 'HEARING_SCHEDULED' : 'AWAITING_DECISION' },
          { key: SA_REMOVAL_DUE_AT, value: new Date(t.hearing ? t.hearing.hearingAtMs : t.decisionDueAtMs) },
        ],
      }),
    );
    return 'STARTED';
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return 'OTHER_RUNNING';
    throw err;
  }
}

/** POST /v1/removals — the officer opens a removal case (Housing Law ground + finding). */
export function openRemovalHandler(deps: ApiDeps, now: () => Date) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const body = parseOrThrow(openRemovalBody, req.body);
    const entry = await cases.findQueueEntry(deps.pool, { registrationNumber: body.registrationNumber });
    if (!entry) throw apiError(404, 'ENTRY_NOT_FOUND', { field: 'registrationNumber' });
    if (entry.status !== 'ACTIVE') throw apiError(409, 'ENTRY_NOT_IN_QUEUE', { field: 'registrationNumber' });
    const open = await removals.openRemovalOfEntry(deps.pool, entry.id);
    if (open) throw apiError(409, 'REMOVAL_ALREADY_OPEN', { details: [{ removalId: open.id }] });

    const reference = deps.settings.devAlwaysOpen ? developmentAlwaysOpenSnapshot() : currentReferenceSnapshot();
    const openedAtMs = now().getTime();
    const t = removalTerms(reference, body.ground, openedAtMs);
    const removalId = randomUUID();
    const input: RemovalWorkflowInput = {
      removalId,
      entryId: entry.id,
      ...(entry.application_id ? { applicationId: entry.application_id } : {}),
      ground: body.ground,
      evidence: { finding: body.finding },
      openedBy: actorRef(actor),
      openedAt: toAlmatyIso(openedAtMs),
      reference,
    };
    try {
      await withTransaction(deps.pool, async (tx) => {
        const referenceSnapshotId = await cases.storeReferenceSnapshot(tx, reference);
        await removals.insertRemoval(tx, {
          id: removalId,
          entryId: entry.id,
          applicationId: entry.application_id,
          registrationNumber: entry.registration_number,
          ground: body.ground,
          evidence: input.evidence,
          openedBy: input.openedBy,
          openedAt: input.openedAt,
          workflowId: removalWorkflowId(entry.id),
          referenceSnapshotId,
          noticeAt: t.hearing ? toAlmatyIso(t.hearing.noticeAtMs) : null,
          hearingAt: t.hearing ? toAlmatyIso(t.hearing.hearingAtMs) : null,
          decisionDueAt: toAlmatyIso(t.decisionDueAtMs),
          status: groundNeedsHearing(reference, body.ground) ? 'HEARING_SCHEDULED' : 'AWAITING_DECISION',
        });
      });
    } catch (err) {
      // Another officer (or the re-verification) opened one a moment ago.
      if (err instanceof removals.RemovalAlreadyOpenError) throw apiError(409, 'REMOVAL_ALREADY_OPEN');
      throw err;
    }
    let started: 'STARTED' | 'OTHER_RUNNING';
    try {
      started = await startRemoval(deps.client, deps.settings.taskQueue, input, t);
    } catch {
      await removals.discardRemoval(deps.pool, removalId);
      throw apiError(503, 'TEMPORAL_UNAVAILABLE');
    }
    if (started === 'OTHER_RUNNING') {
      await removals.discardRemoval(deps.pool, removalId);
      throw apiError(409, 'REMOVAL_ALREADY_OPEN');
    }
    const row = (await removals.findRemoval(deps.pool, removalId))!;
    auditSubjects(req, [row.application_id]);
    res.status(201).json(await viewOf(deps, row, actor));
  };
}

/** GET /v1/removals/:removalId */
export function removalHandler(deps: ApiDeps, ctx: RemovalContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const r = await removalFor(deps, req, actor, ctx);
    auditSubjects(req, [r.application_id]);
    res.json(await viewOf(deps, r, actor));
  };
}

async function sendUpdate<Arg>(deps: ApiDeps, req: Request, r: removals.RemovalRow, update: UpdateDefinition<RemovalActionResult, [Arg]>, arg: Arg, actor: Actor): Promise<void> {
  const key = req.get('Idempotency-Key');
  const handle = deps.client.workflow.getHandle(r.workflow_id);
  try {
    await deps.client.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () =>
      handle.executeUpdate(update, { args: [arg], ...(key ? { updateId: sha256Hex(`${actorRef(actor)}\n${r.id}\n${key}`).slice(0, 32) } : {}) }),
    );
  } catch (err) {
    if (isInvalidCaseAction(err)) throw refusalOf(err);
    if (err instanceof WorkflowNotFoundError) throw invalidCaseAction(REMOVAL_REASONS.CLOSED);
    throw apiError(503, 'TEMPORAL_UNAVAILABLE');
  }
}

function checkTable(r: removals.RemovalRow, actor: Actor, action: RemovalAction): void {
  const why = removalActionRefusal({ status: r.status, positionStated: r.position_at !== null }, { role: roleOf(actorRef(actor))! }, action);
  if (why) throw invalidCaseAction(why);
}

/** POST /v1/removals/:removalId/position — APPC art. 73: the person concerned, before the hearing. */
export function removalPositionHandler(deps: ApiDeps, signing: DocumentSigning, ctx: RemovalContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const r = await removalFor(deps, req, actor, ctx);
    const body = parseOrThrow(removalPositionBody, req.body);
    checkTable(r, actor, 'STATE_REMOVAL_POSITION');
    // Signed like the application procedure's position (R17): verified and stored first, linked by the workflow.
    let stored: { id: number; created: boolean } | undefined;
    if (body.signature !== undefined) {
      const verified = await signing.verify(actor, removalPositionDocumentOf(r, actor, body.text), body.signature);
      stored = await cases.storeRemovalSignedDocument(deps.pool, { removalId: r.id, applicationId: r.application_id }, signedDocumentInput(verified));
    } else if (signing.required(actor)) {
      throw signatureError(400, 'SIGNATURE_REQUIRED');
    }
    try {
      await sendUpdate(deps, req, r, removalPositionUpdate, { actor: actorRef(actor), text: body.text, ...(stored ? { signedDocumentId: stored.id } : {}) }, actor);
    } catch (err) {
      if (stored?.created) await cases.deleteSignedDocument(deps.pool, stored.id);
      throw err;
    }
    const after = (await removals.findRemoval(deps.pool, r.id))!;
    auditSubjects(req, [after.application_id]);
    res.json(await viewOf(deps, after, actor));
  };
}

/** The position the person signs: the case, its entry, the hearing it is for, the text and who states it. */
export function removalPositionDocumentOf(r: removals.RemovalRow, actor: Actor, text: string): RemovalPositionDocument {
  return removalPositionDocument({ removalId: r.id, registrationNumber: r.registration_number, hearingAt: iso(r.hearing_at) ?? '', text, statedBy: actorRef(actor) });
}

/** The decision document the officer signs: the case, its entry and ground, the outcome and reasoning. */
export function removalDecisionDocumentOf(r: removals.RemovalRow, actor: Actor, b: { outcome: 'REMOVE' | 'KEEP'; reasoning: string; decidedAt: string }): RemovalDecisionDocument {
  return removalDecisionDocument({
    removalId: r.id,
    registrationNumber: r.registration_number,
    ground: r.ground,
    outcome: b.outcome,
    reasoning: b.reasoning,
    decidedAt: b.decidedAt,
    decidedBy: actorRef(actor),
  });
}

/** POST /v1/removals/:removalId/sign-request — the canonical form of the officer's decision or the person's position (nothing stored). */
export function removalSignRequestHandler(deps: ApiDeps, ctx: RemovalContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const r = await removalFor(deps, req, actor, ctx);
    const body = parseOrThrow(removalSignRequestBody, req.body);
    // Staff sign decisions, the person their position.
    if (isStaff(actor) !== (body.action === 'decision')) throw signatureError(403, 'SIGN_REQUEST_NOT_FOR_ROLE', 'action');
    const form = (doc: RemovalDecisionDocument | RemovalPositionDocument) => {
      const f = canonicalFormOf(doc);
      return { documentType: doc.documentType, canonical: f.canonical, sha256: f.sha256, data: f.data, extKeyUsageOids: [EKU.emailProtection] };
    };
    if (body.action === 'position') {
      checkTable(r, actor, 'STATE_REMOVAL_POSITION');
      auditSubjects(req, [r.application_id]);
      res.json(form(removalPositionDocumentOf(r, actor, body.text)));
      return;
    }
    checkTable(r, actor, 'DECIDE_REMOVAL');
    const decidedAt = toAlmatyIso(ctx.now().getTime());
    auditSubjects(req, [r.application_id]);
    res.json({ ...form(removalDecisionDocumentOf(r, actor, { outcome: body.outcome, reasoning: body.reasoning, decidedAt })), decidedAt });
  };
}

/** POST /v1/removals/:removalId/decision — the officer decides, signed with EDS (Housing Law; APPC art. 73). */
export function removalDecisionHandler(deps: ApiDeps, signing: DocumentSigning, ctx: RemovalContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const r = await removalFor(deps, req, actor, ctx);
    const body = parseOrThrow(removalDecisionBody, req.body);
    checkTable(r, actor, 'DECIDE_REMOVAL');
    let stored: { id: number; created: boolean } | undefined;
    if (body.signature !== undefined && body.decidedAt !== undefined) {
      checkDecidedAt(body.decidedAt, ctx.now());
      const doc = removalDecisionDocumentOf(r, actor, { outcome: body.outcome, reasoning: body.reasoning, decidedAt: body.decidedAt });
      const verified = await signing.verify(actor, doc, body.signature);
      stored = await cases.storeRemovalSignedDocument(deps.pool, { removalId: r.id, applicationId: r.application_id }, signedDocumentInput(verified));
    } else if (signing.required(actor)) {
      throw signatureError(400, 'SIGNATURE_REQUIRED');
    }
    try {
      await sendUpdate(
        deps,
        req,
        r,
        removalDecisionUpdate,
        { actor: actorRef(actor), outcome: body.outcome, reasoning: body.reasoning, ...(stored ? { signedDocumentId: stored.id } : {}) },
        actor,
      );
    } catch (err) {
      // A refused decision leaves no signed document behind (only the row this request inserted).
      if (stored?.created) await cases.deleteSignedDocument(deps.pool, stored.id);
      throw err;
    }
    const after = (await removals.findRemoval(deps.pool, r.id))!;
    auditSubjects(req, [after.application_id]);
    res.json(await viewOf(deps, after, actor));
  };
}

/**
 * GET /v1/cabinet/removals — the removal cases about the caller's entries (an applicant), or about
 * the entries of the applications naming the caller as representative that the registry confirms
 * now (a representative); newest first, audited per case shown.
 */
export function cabinetRemovalsHandler(deps: ApiDeps, ctx: RemovalContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    let rows: removals.RemovalRow[];
    if (actor.role === 'representative') {
      rows = [];
      const confirmed = new Map<string, boolean>();
      for (const r of await removals.removalsNamingRepresentative(deps.pool, actor.id)) {
        let ok = confirmed.get(r.principal_iin);
        if (ok === undefined) confirmed.set(r.principal_iin, (ok = await represents(ctx, actor, r.principal_iin)));
        if (ok) rows.push(r);
      }
    } else {
      rows = await removals.removalsOfPerson(deps.pool, actor.id);
    }
    const items = [];
    for (const r of rows) items.push(await viewOf(deps, r, actor));
    auditSubjects(req, rows.map((r) => r.application_id));
    res.json({ items });
  };
}

/** The officer's worklist's removal cases (GET /v1/staff/worklist): awaiting the decision, by due instant; no personal data. */
export async function removalWorklist(deps: ApiDeps, asOf: Date, actor: Actor) {
  const rows = await removals.removalsAwaitingDecision(deps.pool);
  return rows.map((r) => ({
    removalId: r.id,
    registrationNumber: r.registration_number,
    ground: r.ground,
    status: r.status,
    dueAt: iso(r.decision_due_at)!,
    overdue: r.decision_due_at.getTime() < asOf.getTime(),
    allowedActions: allowedRemovalActions({ status: r.status, positionStated: r.position_at !== null }, { role: actor.role }),
  }));
}
