/**
 * Actions on a case, each a workflow update (the workflow's validators decide whether the case takes
 * it now; a rejection is 409 INVALID_CASE_ACTION):
 *   applicant / representative: technical report (R7.2), position, consents, re-check (R17);
 *   operator: technical report review (R13, R15.6); officer: hearing outcome (R17).
 *
 * EDS (R17; api/routes/signatures.ts): a position, the consents given and the officer's decision are
 * signed documents. The signature (`signature`, a detached CMS over the canonical form of
 * POST /v1/applications/:id/sign-request) is verified before the workflow is asked, and stored
 * with the document once the workflow took it. Required for callers signed in by EDS.
 */
import { randomUUID } from 'node:crypto';
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import {
  giveConsentUpdate,
  recordHearingOutcomeUpdate,
  requestRecheckUpdate,
  reviewTechnicalReportUpdate,
  statePositionUpdate,
  uploadTechnicalReportUpdate,
  type ActionResult,
} from '../../workflows/contract';
import type { UpdateDefinition } from '@temporalio/common';
import { caseForActor, caseForParty, dbCaseStatus, type ApplicationRow } from '../cases';
import { ApiError, apiError, parseOrThrow } from '../errors';
import { storeDocument } from '../../db/applications';
import type { ApiDeps } from '../http';
import { actorOf, actorRef, type Actor } from '../identity';
import {
  applicationIdParams,
  consentsBody,
  hearingOutcomeBody,
  positionBody,
  recheckBody,
  reportReviewBody,
  technicalReportQuery,
} from '../schemas';
import { updateCase, type UpdateOutcome } from '../workflow-gateway';
import { recordConsentsGiven } from '../../personal-data/consents';
import { withTransaction } from '../../db/transaction';
import { recordInTransaction } from '../audit';
import {
  checkDecidedAt,
  consentDocumentOf,
  decisionDocumentOf,
  positionDocumentOf,
  signatureError,
  storeSignedDocument,
  type DocumentSigning,
  type VerifiedDocument,
} from './signatures';

const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');
export const MAX_PDF_BYTES = 10 * 1024 * 1024;

function answer(res: Response, outcome: UpdateOutcome, fallback: ApplicationRow, extra: Record<string, unknown> = {}): void {
  // 202: the workflow accepted the action and is still acting on it (e.g. a re-check waiting on a registry).
  res.status(outcome.completed ? 200 : 202).json({ ...extra, status: outcome.status ?? dbCaseStatus(fallback) });
}

/** A party action: JSON body → workflow update `{actor, ...body}`. */
function partyAction<S extends z.ZodType, Arg>(
  deps: ApiDeps,
  schema: S,
  def: UpdateDefinition<ActionResult, [Arg]>,
  toArg: (actor: string, body: z.output<S>) => Arg,
  opts: { emptyBodyIsObject?: boolean } = {},
) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const { id } = parseOrThrow(applicationIdParams, req.params);
    const row = await caseForParty(deps.pool, id, actor);
    const raw: unknown = req.body === undefined && opts.emptyBodyIsObject ? {} : req.body;
    const body = parseOrThrow(schema, raw);
    const outcome = await updateCase(deps.client, row.workflow_id, row.id, def, toArg(actorRef(actor), body));
    answer(res, outcome, row);
  };
}

/** A staff action on any case (which staff role may do it: security/policy/policy.json). */
function staffAction<S extends z.ZodType, Arg>(
  deps: ApiDeps,
  schema: S,
  def: UpdateDefinition<ActionResult, [Arg]>,
  toArg: (actor: string, body: z.output<S>) => Arg,
) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor: Actor = actorOf(req);
    const { id } = parseOrThrow(applicationIdParams, req.params);
    const row = await caseForActor(deps.pool, id, actor);
    const body = parseOrThrow(schema, req.body);
    const outcome = await updateCase(deps.client, row.workflow_id, row.id, def, toArg(actorRef(actor), body));
    answer(res, outcome, row);
  };
}

/**
 * POST /v1/applications/:id/position — the position before the hearing (R17). A signed position is
 * stored (its canonical form and CMS) with the request's audit row once the workflow took it.
 */
export function positionHandler(deps: ApiDeps, signing: DocumentSigning) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const { id } = parseOrThrow(applicationIdParams, req.params);
    const row = await caseForParty(deps.pool, id, actor);
    const body = parseOrThrow(positionBody, req.body);
    let signed: VerifiedDocument | undefined;
    if (body.signature !== undefined) signed = await signing.verify(actor, await positionDocumentOf(deps.pool, row, actor, body.text), body.signature);
    else if (signing.required(actor)) throw signatureError(400, 'SIGNATURE_REQUIRED');
    const outcome = await updateCase(deps.client, row.workflow_id, row.id, statePositionUpdate, { actor: actorRef(actor), text: body.text });
    if (signed) {
      const v = signed;
      await withTransaction(deps.pool, async (tx) => {
        await storeSignedDocument(tx, row.id, v);
        await recordInTransaction(req, tx, row.id);
      });
    }
    answer(res, outcome, row);
  };
}
/**
 * POST /v1/applications/:id/consents — give missing consents (R17). Once the workflow has taken
 * them, they are recorded in `consents` together with the request's audit row (one transaction).
 * Should that write fail after the workflow took the update, the answer is 500 and the workflow's
 * CONSENT_GIVEN timeline entry remains the record; a retry before the hearing records them.
 */
export function consentsHandler(deps: ApiDeps, signing: DocumentSigning) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const { id } = parseOrThrow(applicationIdParams, req.params);
    const row = await caseForParty(deps.pool, id, actor);
    const body = parseOrThrow(consentsBody, req.body);
    const by = actorRef(actor);
    let signed: VerifiedDocument | undefined;
    if (body.signature !== undefined) signed = await signing.verify(actor, consentDocumentOf(row, body.codes), body.signature);
    else if (signing.required(actor)) throw signatureError(400, 'SIGNATURE_REQUIRED');
    const outcome = await updateCase(deps.client, row.workflow_id, row.id, giveConsentUpdate, { actor: by, codes: body.codes });
    await withTransaction(deps.pool, async (tx) => {
      await recordConsentsGiven(tx, row.id, body.codes, new Date(), by);
      if (signed) {
        // The consent rows and their signed document commit together.
        await storeSignedDocument(tx, row.id, signed);
        await tx.query(
          `UPDATE consents SET signature = $3 WHERE application_id = $1 AND code = ANY ($2::text[]) AND withdrawn_at IS NULL AND signature IS NULL`,
          [row.id, body.codes, signed.cms],
        );
      }
      await recordInTransaction(req, tx, row.id);
    });
    answer(res, outcome, row);
  };
}
export function recheckHandler(deps: ApiDeps) {
  return partyAction(deps, recheckBody, requestRecheckUpdate, (actor, b) => ({ actor, ...(b.reason ? { reason: b.reason } : {}) }), {
    emptyBodyIsObject: true,
  });
}
export function reportReviewHandler(deps: ApiDeps) {
  return staffAction(deps, reportReviewBody, reviewTechnicalReportUpdate, (actor, b) => ({
    actor,
    accepted: b.accepted,
    ...(b.reason ? { reason: b.reason } : {}),
  }));
}
/**
 * POST /v1/applications/:id/hearing-outcome — the officer's decision (R17). Signed: the officer's
 * CMS over the decision's canonical form (outcome, reasoning, the case's grounds and categories,
 * decidedAt of the sign request, decidedBy) is verified — a provider employee's SIGN certificate
 * whose IIN the staff registry maps to this officer — and stored before the workflow is asked; the
 * activity that writes the decision links it to the decision in the decision's transaction
 * (activities/case-activities.ts). If the workflow refuses the outcome, the stored form goes again.
 */
export function hearingOutcomeHandler(deps: ApiDeps, signing: DocumentSigning) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor: Actor = actorOf(req);
    const { id } = parseOrThrow(applicationIdParams, req.params);
    const row = await caseForActor(deps.pool, id, actor);
    const body = parseOrThrow(hearingOutcomeBody, req.body);
    let storedId: number | undefined;
    if (body.signature !== undefined && body.decidedAt !== undefined) {
      checkDecidedAt(body.decidedAt, new Date());
      const doc = await decisionDocumentOf(deps, row, actor, { outcome: body.outcome, reasoning: body.reasoning, decidedAt: body.decidedAt });
      const signed = await signing.verify(actor, doc, body.signature);
      const existing = await deps.pool.query(`SELECT 1 FROM signed_documents WHERE application_id = $1 AND document_key = $2`, [
        row.id,
        `decision:${signed.form.sha256}`,
      ]);
      const id2 = await withTransaction(deps.pool, (tx) => storeSignedDocument(tx, row.id, signed));
      if (existing.rowCount === 0) storedId = id2;
    } else if (signing.required(actor)) {
      throw signatureError(400, 'SIGNATURE_REQUIRED');
    }
    let outcome: UpdateOutcome;
    try {
      outcome = await updateCase(deps.client, row.workflow_id, row.id, recordHearingOutcomeUpdate, {
        actor: actorRef(actor),
        outcome: body.outcome,
        reasoning: body.reasoning,
      });
    } catch (err) {
      // Only a definite "no" removes the signed form this request stored (as for the report).
      if (storedId !== undefined && err instanceof ApiError && err.code === 'INVALID_CASE_ACTION') {
        await deps.pool.query(`DELETE FROM signed_documents WHERE id = $1`, [storedId]);
      }
      throw err;
    }
    answer(res, outcome, row);
  };
}

/** The technical report must arrive as application/pdf; checked before its (up to 10 MB) body is read. */
export const requirePdf: RequestHandler = (req, _res, next) => {
  next(req.is('application/pdf') ? undefined : apiError(415, 'UNSUPPORTED_MEDIA_TYPE'));
};

export const pdfBody: RequestHandler = express.raw({ type: 'application/pdf', limit: MAX_PDF_BYTES });

/**
 * POST /v1/applications/:id/technical-report — the e-copy of the expert's report (R7.2, A1.8.2).
 * Stored idempotently (one row per case and SHA-256), then handed to the workflow. If the workflow
 * rejects it, a document this request inserted is deleted again.
 */
export function technicalReportHandler(deps: ApiDeps) {
  const { pool } = deps;
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const { id } = parseOrThrow(applicationIdParams, req.params);
    const row = await caseForParty(pool, id, actor);
    const query = parseOrThrow(technicalReportQuery, req.query);
    const pdf: unknown = req.body;
    if (!Buffer.isBuffer(pdf) || pdf.length < PDF_MAGIC.length || !pdf.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) {
      throw apiError(400, 'INVALID_PDF');
    }
    if (row.path !== 'EMERGENCY') {
      throw apiError(409, 'INVALID_CASE_ACTION', { en: 'a technical report belongs to the emergency path (R7.2)' });
    }
    const uploadedBy = actorRef(actor);
    const stored = await storeDocument(pool, {
      id: randomUUID(),
      applicationId: row.id,
      kind: 'TECHNICAL_REPORT',
      mediaType: 'application/pdf',
      content: pdf,
      details: query,
      uploadedBy,
    });
    const { id: documentId, sha256 } = stored;
    const insertedHere = stored.created;
    let outcome: UpdateOutcome;
    try {
      outcome = await updateCase(deps.client, row.workflow_id, row.id, uploadTechnicalReportUpdate, {
        actor: uploadedBy,
        documentId,
        sha256,
        reportNumber: query.reportNumber,
        propertyId: query.propertyId,
      });
    } catch (err) {
      // Only a definite "no" removes the document: after a timeout the workflow may still take the
      // update, and a retry with the same file finds the stored row again.
      if (insertedHere && err instanceof ApiError && err.code === 'INVALID_CASE_ACTION') {
        await pool.query(`DELETE FROM documents WHERE id = $1`, [documentId]);
      }
      throw err;
    }
    answer(res, outcome, row, { documentId, sha256, sizeBytes: pdf.length });
  };
}
