/**
 * Complaints (R18, R19; SPEC §8) through the API:
 *   POST /v1/applications/:id/complaints                 the applicant or representative files one, signed with EDS
 *   GET  /v1/applications/:id/complaints                 the case's complaints (its parties and staff)
 *   GET  /v1/complaints?status=                          the head's (WITH_PROVIDER) or the review body's (FORWARDED) list
 *   GET  /v1/complaints/:complaintId                     one complaint (staff)
 *   POST /v1/complaints/:complaintId/provider-decision   the head: satisfied fully (not forwarded) or forward (R19)
 *   POST /v1/complaints/:complaintId/review-body-decision  the review body: satisfied, partly, refused (R18)
 *
 * The complaint's own workflow (workflows/complaint/) keeps its terms and acts; the API records the
 * filing (db/complaints) and starts it, and sends the decisions as updates, which the workflow's
 * validators check against the same table (domain/complaints/procedure.ts) the API asks first.
 */
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { UpdateDefinition } from '@temporalio/common';
import * as cases from '../../db/cases';
import * as complaints from '../../db/complaints';
import { withTransaction } from '../../db/transaction';
import {
  allowedComplaintActions,
  complaintActionRefusal,
  complaintFilingRefusal,
  COMPLAINT_STATUS_TEXT,
  type ComplaintAction,
} from '../../domain/complaints/procedure';
import { complaintTerms } from '../../domain/complaints/terms';
import { roleOf } from '../../domain/procedure/actions';
import { currentReferenceSnapshot, developmentAlwaysOpenSnapshot } from '../../domain/reference-snapshot';
import { toAlmatyIso } from '../../domain/time';
import {
  providerDecisionUpdate,
  reviewBodyDecisionUpdate,
  type ComplaintActionResult,
  type ComplaintWorkflowInput,
} from '../../workflows/complaint/contract';
import { caseForActor, procedureStateOf } from '../cases';
import { apiError, invalidCaseAction, parseOrThrow } from '../errors';
import { canonicalJson, sha256Hex, type ApiDeps } from '../http';
import { actorOf, actorRef, type Actor } from '../identity';
import {
  applicationIdParams,
  complaintIdParams,
  complaintListQuery,
  fileComplaintBody,
  idempotencyKeySchema,
  providerComplaintDecisionBody,
  reviewBodyComplaintDecisionBody,
} from '../schemas';
import { startComplaintWorkflow, updateComplaint } from '../workflow-gateway';
import { decodeCursor, encodeCursor } from './cursor';
import { complaintDocumentOf, signatureError, storeSignedDocument, type DocumentSigning } from './signatures';


const iso = (d: Date | null): string | undefined => (d ? toAlmatyIso(d.getTime()) : undefined);

/** A complaint as the API shows it; its text only to its case's parties and staff (all callers here are one or the other). */
function complaintView(c: complaints.ComplaintRow, actor: Actor) {
  const role = actor.role;
  return {
    complaintId: c.id,
    applicationId: c.application_id,
    subject: c.subject,
    text: c.body,
    status: c.status,
    statusText: COMPLAINT_STATUS_TEXT[c.status],
    flags: c.flags,
    receivedAt: iso(c.received_at),
    registeredAt: iso(c.registered_at),
    providerDecisionDueAt: iso(c.provider_decision_due_at),
    forwardDueAt: iso(c.forward_due_at),
    ...(c.provider_outcome ? { provider: { outcome: c.provider_outcome, at: iso(c.provider_decided_at), reasons: c.provider_reasons } } : {}),
    ...(c.forwarded_at
      ? { forwardedAt: iso(c.forwarded_at), reviewBodyRegisteredAt: iso(c.review_body_registered_at), reviewBodyDecisionDueAt: iso(c.review_body_decision_due_at) }
      : {}),
    ...(c.review_outcome ? { reviewBody: { outcome: c.review_outcome, at: iso(c.review_decided_at), reasons: c.review_reasons } } : {}),
    ...(c.remedy ? { remedy: c.remedy } : {}),
    allowedActions: allowedComplaintActions({ status: c.status, flags: c.flags }, { role }),
  };
}

/** POST /v1/applications/:id/complaints */
export function fileComplaintHandler(deps: ApiDeps, signing: DocumentSigning) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const { id } = parseOrThrow(applicationIdParams, req.params);
    // Another person's case is 404 before anything about the request is said.
    const row = await caseForActor(deps.pool, id, actor);
    const keyCheck = idempotencyKeySchema.safeParse(req.get('Idempotency-Key'));
    if (!keyCheck.success) throw apiError(400, 'IDEMPOTENCY_KEY_INVALID', { field: 'Idempotency-Key' });
    const body = parseOrThrow(fileComplaintBody, req.body);
    const filedBy = actorRef(actor);
    const requestHash = sha256Hex(canonicalJson({ applicationId: row.id, subject: body.subject, text: body.text }));

    const existing = await complaints.findComplaintByKey(deps.pool, filedBy, keyCheck.data);
    if (existing) {
      if (existing.request_hash !== requestHash) throw apiError(422, 'IDEMPOTENCY_KEY_REUSED', { field: 'Idempotency-Key' });
      // A retry: the first request may have stored it and failed to start its workflow.
      await startComplaintWorkflow(deps.client, deps.settings.taskQueue, existing.workflow_id, await inputOf(deps, existing)).catch(() => {
        throw apiError(503, 'TEMPORAL_UNAVAILABLE');
      });
      res.status(200).json(complaintView(existing, actor));
      return;
    }

    // R18: what may be complained about now (a decision once out, inaction while overdue).
    const preliminary = await cases.latestPreliminary(deps.pool, row.id);
    const refusal = complaintFilingRefusal({ ...procedureStateOf(row), preliminaryDecided: preliminary !== undefined }, body.subject);
    if (refusal) throw invalidCaseAction(refusal);

    const doc = complaintDocumentOf(row, actor, body.subject, body.text);
    const signed = body.signature !== undefined ? await signing.verify(actor, doc, body.signature) : undefined;
    if (!signed && signing.required(actor)) throw signatureError(400, 'SIGNATURE_REQUIRED');

    const reference = deps.settings.devAlwaysOpen ? developmentAlwaysOpenSnapshot() : currentReferenceSnapshot();
    const t = complaintTerms(reference, Date.now());
    const complaintId = randomUUID();
    const workflowId = `complaint-${complaintId}`;
    const stored = await withTransaction(deps.pool, async (tx) => {
      const referenceSnapshotId = await cases.storeReferenceSnapshot(tx, reference);
      const signedDocumentId = signed ? (await storeSignedDocument(tx, row.id, signed)).id : null;
      const created = await complaints.insertComplaint(tx, {
        id: complaintId,
        applicationId: row.id,
        filedBy,
        idempotencyKey: keyCheck.data,
        requestHash,
        subject: body.subject,
        body: body.text,
        signedDocumentId,
        workflowId,
        referenceSnapshotId,
        receivedAt: toAlmatyIso(t.receivedAtMs),
        registeredAt: toAlmatyIso(t.registeredAtMs),
        providerDecisionDueAt: toAlmatyIso(t.providerDecisionDueAtMs),
        forwardDueAt: toAlmatyIso(t.forwardDueAtMs),
      });
      return created ? complaintId : undefined;
    });
    // The same key sent twice at once: the other request stored it; answer as a retry does.
    const saved = await complaints.findComplaintByKey(deps.pool, filedBy, keyCheck.data);
    if (!saved) throw apiError(503, 'TEMPORAL_UNAVAILABLE');
    try {
      await startComplaintWorkflow(deps.client, deps.settings.taskQueue, saved.workflow_id, {
        complaintId: saved.id,
        applicationId: row.id,
        subject: body.subject,
        receivedAt: toAlmatyIso(saved.received_at.getTime()),
        reference,
        filedBy,
      });
    } catch {
      if (stored) await complaints.discardComplaint(deps.pool, saved.id);
      throw apiError(503, 'TEMPORAL_UNAVAILABLE');
    }
    res.status(stored ? 201 : 200).json(complaintView(saved, actor));
  };
}

async function inputOf(deps: ApiDeps, c: complaints.ComplaintRow): Promise<ComplaintWorkflowInput> {
  return {
    complaintId: c.id,
    applicationId: c.application_id,
    subject: c.subject,
    receivedAt: toAlmatyIso(c.received_at.getTime()),
    reference: await cases.referenceSnapshot(deps.pool, c.reference_snapshot_id),
    filedBy: c.filed_by,
  };
}

/** GET /v1/applications/:id/complaints */
export function caseComplaintsHandler(deps: ApiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const { id } = parseOrThrow(applicationIdParams, req.params);
    const row = await caseForActor(deps.pool, id, actor);
    const list = await complaints.complaintsOfCase(deps.pool, row.id);
    res.json({ applicationId: row.id, complaints: list.map((c) => complaintView(c, actor)) });
  };
}

/** GET /v1/complaints?status=&cursor=&limit= — open complaints by due instant, without the complainants' identity. */
export function complaintListHandler(deps: ApiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const q = parseOrThrow(complaintListQuery, req.query);
    const after =
      q.cursor === undefined
        ? undefined
        : decodeCursor(q.cursor, (v) =>
            v.s === q.status && typeof v.d === 'string' && !Number.isNaN(Date.parse(v.d)) && typeof v.id === 'string' && UUID.test(v.id) ? { dueAt: new Date(v.d), id: v.id } : undefined,
          );
    // One more than asked: whether there is a next page.
    const rows = await complaints.openComplaints(deps.pool, q.status, { limit: q.limit + 1, ...(after ? { after } : {}) });
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const dueOf = (c: complaints.ComplaintRow): Date => (q.status === 'WITH_PROVIDER' ? c.forward_due_at : c.review_body_decision_due_at!);
    res.json({
      items: page.map((c) => {
        const { text: _text, ...view } = complaintView(c, actor);
        return view;
      }),
      nextCursor: rows.length > q.limit && last ? encodeCursor({ s: q.status, d: dueOf(last).toISOString(), id: last.id }) : null,
    });
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function complaintFor(deps: ApiDeps, req: Request): Promise<complaints.ComplaintRow> {
  const { complaintId } = parseOrThrow(complaintIdParams, req.params);
  const c = await complaints.findComplaint(deps.pool, complaintId);
  if (!c) throw apiError(404, 'NOT_FOUND');
  return c;
}

/** GET /v1/complaints/:complaintId */
export function complaintHandler(deps: ApiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const c = await complaintFor(deps, req);
    res.json(complaintView(c, actorOf(req)));
  };
}

function decisionHandler<Arg>(
  deps: ApiDeps,
  action: ComplaintAction,
  update: UpdateDefinition<ComplaintActionResult, [Arg]>,
  parse: (req: Request, actor: string) => Arg,
) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const arg = parse(req, actorRef(actor));
    const c = await complaintFor(deps, req);
    // The table answers first: nothing is sent that the workflow would refuse.
    const why = complaintActionRefusal({ status: c.status, flags: c.flags }, { role: roleOf(actorRef(actor))! }, action);
    if (why) throw invalidCaseAction(why);
    const key = req.get('Idempotency-Key');
    const result = await updateComplaint(deps.client, c.workflow_id, update, arg, key ? sha256Hex(`${actorRef(actor)}\n${key}`).slice(0, 32) : undefined);
    const after = (await complaints.findComplaint(deps.pool, c.id))!;
    res.json({ ...complaintView(after, actor), status: result.status });
  };
}


/** POST /v1/complaints/:complaintId/provider-decision (the head, R19) */
export function providerComplaintDecisionHandler(deps: ApiDeps) {
  return decisionHandler(deps, 'PROVIDER_DECISION', providerDecisionUpdate, (req, actor) => {
    const b = parseOrThrow(providerComplaintDecisionBody, req.body);
    return { actor, outcome: b.outcome, reasons: b.reasons, ...(b.remedy ? { remedy: b.remedy } : {}) };
  });
}

/** POST /v1/complaints/:complaintId/review-body-decision (the review body, R18) */
export function reviewBodyComplaintDecisionHandler(deps: ApiDeps) {
  return decisionHandler(deps, 'REVIEW_BODY_DECISION', reviewBodyDecisionUpdate, (req, actor) => {
    const b = parseOrThrow(reviewBodyComplaintDecisionBody, req.body);
    return { actor, outcome: b.outcome, reasons: b.reasons, ...(b.remedy ? { remedy: b.remedy } : {}) };
  });
}

