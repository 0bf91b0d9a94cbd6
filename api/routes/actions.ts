/**
 * Actions on a case, each a workflow update (the workflow's validators decide whether the case takes
 * it now; a rejection is 409 INVALID_CASE_ACTION):
 *   applicant / representative: technical report (R7.2), position, consents, re-check (R17);
 *   operator: technical report review (R13, R15.6); officer: hearing outcome (R17).
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
import { withTransaction } from '../../personal-data/transaction';
import { recordInTransaction } from '../audit';

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

export function positionHandler(deps: ApiDeps) {
  return partyAction(deps, positionBody, statePositionUpdate, (actor, b) => ({ actor, text: b.text }));
}
/**
 * POST /v1/applications/:id/consents — give missing consents (R17). Once the workflow has taken
 * them, they are recorded in `consents` together with the request's audit row (one transaction).
 * Should that write fail after the workflow took the update, the answer is 500 and the workflow's
 * CONSENT_GIVEN timeline entry remains the record; a retry before the hearing records them.
 */
export function consentsHandler(deps: ApiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const { id } = parseOrThrow(applicationIdParams, req.params);
    const row = await caseForParty(deps.pool, id, actor);
    const body = parseOrThrow(consentsBody, req.body);
    const by = actorRef(actor);
    const outcome = await updateCase(deps.client, row.workflow_id, row.id, giveConsentUpdate, { actor: by, codes: body.codes });
    await withTransaction(deps.pool, async (tx) => {
      await recordConsentsGiven(tx, row.id, body.codes, new Date(), by);
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
export function hearingOutcomeHandler(deps: ApiDeps) {
  return staffAction(deps, hearingOutcomeBody, recordHearingOutcomeUpdate, (actor, b) => ({
    actor,
    outcome: b.outcome,
    reasoning: b.reasoning,
  }));
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
