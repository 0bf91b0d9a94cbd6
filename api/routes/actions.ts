/**
 * Actions on a case, each a workflow update:
 *   applicant / representative: technical report (R7.2), position, consents, re-check (R17);
 *   operator: technical report review (R13, R15.6); officer: hearing outcome (R17);
 *   administrator: resume a case held by a failed step.
 *
 * Every action goes the same way (`caseAction`):
 *  1. the procedure table (domain/procedure `checkAction`) is asked on the case record first: an
 *     action the case cannot take now is 409 with its reason in kk/ru/en, and nothing is sent;
 *  2. an `Idempotency-Key` (the caller's own) names the request: it becomes the Temporal update's
 *     ID, and the first answer is kept (db/cases/action-requests.ts), so a repeat changes nothing
 *     and gets that answer again — also after the workflow has closed;
 *  3. the workflow's validator asks the same table again (the case may have moved meanwhile).
 *
 * EDS (R17; api/routes/signatures.ts): a position, the consents given and the officer's decision are
 * signed documents. The signature (`signature`, a detached CMS over the canonical form of
 * POST /v1/applications/:id/sign-request) is verified before the workflow is asked, and stored
 * with the document once the workflow took it. Required for callers signed in by EDS.
 */
import { createHash, randomUUID } from 'node:crypto';
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { UpdateDefinition } from '@temporalio/common';
import type { PoolClient } from 'pg';
import type { z } from 'zod';
import * as cases from '../../db/cases';
import { withTransaction } from '../../db/transaction';
import { checkAction, type CaseAction } from '../../domain/procedure/actions';
import { recordConsentsGiven } from '../../personal-data/consents';
import {
  giveConsentUpdate,
  recordHearingOutcomeUpdate,
  requestRecheckUpdate,
  retryFailedStepUpdate,
  reviewTechnicalReportUpdate,
  signFinalRefusalUpdate,
  statePositionUpdate,
  uploadTechnicalReportUpdate,
  type ActionResult,
  type TechnicalReportInput,
} from '../../workflows/contract';
import { recordInTransaction } from '../audit';
import { caseForActor, dbCaseStatus, procedureStateOf, type ApplicationRow } from '../cases';
import { ApiError, apiError, invalidCaseAction, parseOrThrow } from '../errors';
import { canonicalJson, sha256Hex, type ApiDeps } from '../http';
import { actorOf, actorRef, type Actor } from '../identity';
import {
  applicationIdParams,
  consentsBody,
  emptyBody,
  finalRefusalBody,
  hearingOutcomeBody,
  idempotencyKeySchema,
  positionBody,
  recheckBody,
  reportReviewBody,
  technicalReportQuery,
} from '../schemas';
import { updateCase, type UpdateOutcome } from '../workflow-gateway';
import {
  checkDecidedAt,
  consentDocumentOf,
  decisionDocumentOf,
  finalRefusalDocumentOf,
  positionDocumentOf,
  signatureError,
  storeSignedDocument,
  type DocumentSigning,
  type VerifiedDocument,
} from './signatures';

const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');
export const MAX_PDF_BYTES = 10 * 1024 * 1024;
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** What one action does around the workflow update. */
interface ActionSpec<Input, Prepared, Arg> {
  action: CaseAction;
  update: UpdateDefinition<ActionResult, [Arg]>;
  /** The request's input (body or query), parsed; what the idempotency hash covers. */
  parse(req: Request): Input;
  /** The parts of the input that make two requests the same request (the signature may differ). */
  identity?(input: Input): unknown;
  /** Before the update: verify a signature, store an upload. */
  prepare?(ctx: ActionContext, input: Input): Promise<Prepared>;
  toArg(actor: string, input: Input, prepared: Prepared): Arg;
  /** The workflow refused the action for good: undo what `prepare` stored. */
  undo?(ctx: ActionContext, prepared: Prepared): Promise<void>;
  /** Once the workflow took it: what is written with the request's audit row (one transaction). */
  taken?(ctx: ActionContext, input: Input, prepared: Prepared, tx: PoolClient): Promise<void>;
  /** More of the answer than the status. */
  extra?(prepared: Prepared, input: Input): Record<string, unknown>;
}

interface ActionContext {
  deps: ApiDeps;
  req: Request;
  actor: Actor;
  row: ApplicationRow;
  /** The update's ID: the caller's Idempotency-Key, made opaque (Temporal's UI shows it). */
  updateId: string;
  uploadKey?: string;
}

/** The Idempotency-Key header, if sent (optional for actions; a client that retries sends one). */
function actionKey(req: Request): string | undefined {
  const raw = req.get(IDEMPOTENCY_HEADER);
  if (raw === undefined) return undefined;
  const parsed = idempotencyKeySchema.safeParse(raw);
  if (!parsed.success) throw apiError(400, 'IDEMPOTENCY_KEY_INVALID', { field: IDEMPOTENCY_HEADER });
  return parsed.data;
}

function caseAction<Input, Prepared, Arg>(deps: ApiDeps, spec: ActionSpec<Input, Prepared, Arg>) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const { id } = parseOrThrow(applicationIdParams, req.params);
    const row = await caseForActor(deps.pool, id, actor);
    const input = spec.parse(req);

    // 1. The procedure table, on the case as recorded.
    const verdict = checkAction(procedureStateOf(row), { role: actor.role }, spec.action);
    if (!verdict.allowed) throw invalidCaseAction(verdict.reason);

    // 2. The request's identity.
    const caller = actorRef(actor);
    const key = actionKey(req);
    const ctx: ActionContext = {
      deps,
      req,
      actor,
      row,
      updateId: createHash('sha256').update(`${caller}\n${key ?? randomUUID()}`).digest('hex').slice(0, 32),
      ...(key ? { uploadKey: createHash('sha256').update(`${caller}\n${key}`).digest('hex') } : {}),
    };
    if (key) {
      const state = await cases.beginActionRequest(deps.pool, {
        caller,
        key,
        applicationId: row.id,
        action: spec.action,
        requestHash: sha256Hex(canonicalJson(spec.identity ? spec.identity(input) : input)),
      });
      if (state.kind === 'KEY_REUSED') throw apiError(422, 'IDEMPOTENCY_KEY_REUSED', { field: IDEMPOTENCY_HEADER });
      if (state.kind === 'ANSWERED') {
        // The first answer again; still one audit row for this (2xx) request.
        await withTransaction(deps.pool, (tx) => recordInTransaction(req, tx, row.id));
        res.status(state.httpStatus).json(state.response);
        return;
      }
    }

    // 3. The workflow.
    const prepared = spec.prepare ? await spec.prepare(ctx, input) : (undefined as Prepared);
    let outcome: UpdateOutcome;
    try {
      outcome = await updateCase(deps.client, row.workflow_id, row.id, spec.update, spec.toArg(caller, input, prepared), ctx.updateId);
    } catch (err) {
      // Only a definite "no" is final (after a timeout the workflow may still take the update).
      if (err instanceof ApiError && err.code === 'INVALID_CASE_ACTION') {
        if (spec.undo) await spec.undo(ctx, prepared);
        if (key) await cases.finishActionRequest(deps.pool, caller, key, err.status, err.toBody());
      }
      throw err;
    }
    // 202: the workflow took the action and is still acting on it (e.g. a re-check waiting on a registry).
    const status = outcome.status ?? dbCaseStatus((await cases.findApplication(deps.pool, row.id)) ?? row);
    const httpStatus = outcome.completed ? 200 : 202;
    const body = { ...(spec.extra ? spec.extra(prepared, input) : {}), status };
    await withTransaction(deps.pool, async (tx) => {
      if (spec.taken) await spec.taken(ctx, input, prepared, tx);
      if (key) await cases.finishActionRequest(tx, caller, key, httpStatus, body);
      await recordInTransaction(req, tx, row.id);
    });
    res.status(httpStatus).json(body);
  };
}

/** A signature sent with the request is verified; a caller who must sign and did not is refused. */
async function verifiedIfSigned(
  signing: DocumentSigning,
  actor: Actor,
  signature: string | undefined,
  form: () => Promise<Parameters<DocumentSigning['verify']>[1]>,
): Promise<VerifiedDocument | undefined> {
  if (signature !== undefined) return signing.verify(actor, await form(), signature);
  if (signing.required(actor)) throw signatureError(400, 'SIGNATURE_REQUIRED');
  return undefined;
}

const withoutSignature = <T extends { signature?: string }>({ signature: _s, ...rest }: T): Omit<T, 'signature'> => rest;

/** POST /v1/applications/:id/position — the position before the hearing (R17), signed with EDS. */
export function positionHandler(deps: ApiDeps, signing: DocumentSigning) {
  type Body = z.output<typeof positionBody>;
  return caseAction<Body, VerifiedDocument | undefined, { actor: string; text: string }>(deps, {
    action: 'STATE_POSITION',
    update: statePositionUpdate,
    parse: (req) => parseOrThrow(positionBody, req.body),
    identity: withoutSignature,
    prepare: (ctx, b) => verifiedIfSigned(signing, ctx.actor, b.signature, () => positionDocumentOf(ctx.deps.pool, ctx.row, ctx.actor, b.text)),
    toArg: (actor, b) => ({ actor, text: b.text }),
    taken: async (ctx, _b, signed, tx) => {
      if (signed) await storeSignedDocument(tx, ctx.row.id, signed);
    },
  });
}

/**
 * POST /v1/applications/:id/consents — give missing consents (R17). Once the workflow has taken
 * them, they are recorded in `consents` (with their signature) together with the request's audit
 * row. Should that write fail after the workflow took the update, the answer is 500 and the
 * workflow's CONSENT_GIVEN timeline entry remains the record; the same request again records them.
 */
export function consentsHandler(deps: ApiDeps, signing: DocumentSigning) {
  type Body = z.output<typeof consentsBody>;
  return caseAction<Body, VerifiedDocument | undefined, { actor: string; codes: Body['codes'] }>(deps, {
    action: 'GIVE_CONSENT',
    update: giveConsentUpdate,
    parse: (req) => parseOrThrow(consentsBody, req.body),
    identity: withoutSignature,
    prepare: async (ctx, b) => verifiedIfSigned(signing, ctx.actor, b.signature, async () => consentDocumentOf(ctx.row, b.codes)),
    toArg: (actor, b) => ({ actor, codes: b.codes }),
    taken: async (ctx, b, signed, tx) => {
      await recordConsentsGiven(tx, ctx.row.id, b.codes, new Date(), actorRef(ctx.actor));
      if (signed) {
        // The consent rows and their signed document commit together.
        await storeSignedDocument(tx, ctx.row.id, signed);
        await cases.signConsents(tx, ctx.row.id, b.codes, signed.cms);
      }
    },
  });
}

/** POST /v1/applications/:id/recheck — a re-check of the registries before the hearing (R17, R9). */
export function recheckHandler(deps: ApiDeps) {
  type Body = z.output<typeof recheckBody>;
  return caseAction<Body, undefined, { actor: string; reason?: string }>(deps, {
    action: 'REQUEST_RECHECK',
    update: requestRecheckUpdate,
    parse: (req) => parseOrThrow(recheckBody, req.body === undefined ? {} : req.body),
    toArg: (actor, b) => ({ actor, ...(b.reason ? { reason: b.reason } : {}) }),
  });
}

/** POST /v1/applications/:id/report-review — the operator's verdict on the technical report (R13, R15.6). */
export function reportReviewHandler(deps: ApiDeps) {
  type Body = z.output<typeof reportReviewBody>;
  return caseAction<Body, undefined, { actor: string; accepted: boolean; reason?: string }>(deps, {
    action: 'REVIEW_REPORT',
    update: reviewTechnicalReportUpdate,
    parse: (req) => parseOrThrow(reportReviewBody, req.body),
    toArg: (actor, b) => ({ actor, accepted: b.accepted, ...(b.reason ? { reason: b.reason } : {}) }),
  });
}

/**
 * POST /v1/applications/:id/hearing-outcome — the officer's decision (R17). Signed: the officer's
 * CMS over the decision's canonical form (outcome, reasoning, the case's grounds and categories,
 * decidedAt of the sign request, decidedBy) is verified — a provider employee's SIGN certificate
 * whose IIN the staff registry maps to this officer — and stored before the workflow is asked; the
 * activity that writes the decision links it to the decision in the decision's transaction
 * (db/cases/decisions.ts). If the workflow refuses the outcome, the form this request stored goes again.
 */
export function hearingOutcomeHandler(deps: ApiDeps, signing: DocumentSigning) {
  type Body = z.output<typeof hearingOutcomeBody>;
  return caseAction<Body, { storedId?: number }, { actor: string; outcome: Body['outcome']; reasoning: string }>(deps, {
    action: 'RECORD_HEARING_OUTCOME',
    update: recordHearingOutcomeUpdate,
    parse: (req) => parseOrThrow(hearingOutcomeBody, req.body),
    identity: withoutSignature,
    prepare: async (ctx, b) => {
      if (b.signature !== undefined && b.decidedAt !== undefined) {
        checkDecidedAt(b.decidedAt, new Date());
        const doc = decisionDocumentOf(ctx.row, ctx.actor, { outcome: b.outcome, reasoning: b.reasoning, decidedAt: b.decidedAt });
        const signed = await signing.verify(ctx.actor, doc, b.signature);
        const stored = await storeSignedDocument(ctx.deps.pool, ctx.row.id, signed);
        return stored.created ? { storedId: stored.id } : {};
      }
      if (signing.required(ctx.actor)) throw signatureError(400, 'SIGNATURE_REQUIRED');
      return {};
    },
    toArg: (actor, b) => ({ actor, outcome: b.outcome, reasoning: b.reasoning }),
    undo: async (ctx, p) => {
      if (p.storedId !== undefined) await cases.deleteSignedDocument(ctx.deps.pool, p.storedId);
    },
  });
}

/**
 * POST /v1/applications/:id/final-refusal — R17: after a hearing without a position the refusal is
 * final, and the authorised officer signs it (interpretation `finalRefusalSignedBy`). Signed like
 * the hearing outcome: the officer's CMS over the refusal's canonical form (sign-request action
 * `final-refusal`) is verified and stored first; the decision's transaction links it.
 */
export function finalRefusalHandler(deps: ApiDeps, signing: DocumentSigning) {
  type Body = z.output<typeof finalRefusalBody>;
  return caseAction<Body, { storedId?: number }, { actor: string }>(deps, {
    action: 'SIGN_FINAL_REFUSAL',
    update: signFinalRefusalUpdate,
    parse: (req) => parseOrThrow(finalRefusalBody, req.body === undefined ? {} : req.body),
    identity: withoutSignature,
    prepare: async (ctx, b) => {
      if (b.signature !== undefined && b.decidedAt !== undefined) {
        checkDecidedAt(b.decidedAt, new Date());
        const signed = await signing.verify(ctx.actor, finalRefusalDocumentOf(ctx.row, ctx.actor, b.decidedAt), b.signature);
        const stored = await storeSignedDocument(ctx.deps.pool, ctx.row.id, signed);
        return stored.created ? { storedId: stored.id } : {};
      }
      if (signing.required(ctx.actor)) throw signatureError(400, 'SIGNATURE_REQUIRED');
      return {};
    },
    toArg: (actor) => ({ actor }),
    undo: async (ctx, p) => {
      if (p.storedId !== undefined) await cases.deleteSignedDocument(ctx.deps.pool, p.storedId);
    },
  });
}

/** POST /v1/applications/:id/retry-failed-step — an administrator resumes a case held by a failed step. */
export function retryFailedStepHandler(deps: ApiDeps) {
  return caseAction<z.output<typeof emptyBody>, undefined, { actor: string }>(deps, {
    action: 'RETRY_FAILED_STEP',
    update: retryFailedStepUpdate,
    parse: (req) => parseOrThrow(emptyBody, req.body === undefined ? {} : req.body),
    toArg: (actor) => ({ actor }),
  });
}

/** The technical report must arrive as application/pdf; checked before its (up to 10 MB) body is read. */
export const requirePdf: RequestHandler = (req, _res, next) => {
  next(req.is('application/pdf') ? undefined : apiError(415, 'UNSUPPORTED_MEDIA_TYPE'));
};

export const pdfBody: RequestHandler = express.raw({ type: 'application/pdf', limit: MAX_PDF_BYTES });

/**
 * POST /v1/applications/:id/technical-report — the e-copy of the expert's report (R7.2, A1.8.2).
 * Every upload is a version of its own (db/cases/documents.ts); a retry with the same
 * Idempotency-Key finds its version again. If the workflow refuses it, a version this request
 * stored is deleted again.
 */
export function technicalReportHandler(deps: ApiDeps) {
  type Input = z.output<typeof technicalReportQuery> & { sha256: string; pdf: Buffer };
  return caseAction<Input, cases.StoredDocument, TechnicalReportInput>(deps, {
    action: 'UPLOAD_REPORT',
    update: uploadTechnicalReportUpdate,
    parse: (req) => {
      const query = parseOrThrow(technicalReportQuery, req.query);
      const pdf: unknown = req.body;
      if (!Buffer.isBuffer(pdf) || pdf.length < PDF_MAGIC.length || !pdf.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) throw apiError(400, 'INVALID_PDF');
      return { ...query, sha256: createHash('sha256').update(pdf).digest('hex'), pdf };
    },
    identity: ({ pdf: _pdf, ...rest }) => rest,
    prepare: (ctx, input) =>
      cases.storeUpload(ctx.deps.pool, {
        id: randomUUID(),
        applicationId: ctx.row.id,
        kind: 'TECHNICAL_REPORT',
        mediaType: 'application/pdf',
        content: input.pdf,
        details: { reportNumber: input.reportNumber, propertyId: input.propertyId },
        uploadedBy: actorRef(ctx.actor),
        ...(ctx.uploadKey ? { uploadKey: ctx.uploadKey } : {}),
      }),
    toArg: (actor, input, doc) => ({
      actor,
      documentId: doc.id,
      version: doc.version,
      sha256: doc.sha256,
      reportNumber: input.reportNumber,
      propertyId: input.propertyId,
    }),
    undo: async (ctx, doc) => {
      if (doc.created) await cases.deleteUpload(ctx.deps.pool, doc.id);
    },
    extra: (doc, input) => ({ documentId: doc.id, version: doc.version, sha256: doc.sha256, sizeBytes: input.pdf.length }),
  });
}

/**
 * POST /v1/uploads/technical-report — the expert's technical report uploaded just before the
 * application on the emergency path (R7.2, A1.8.2); the application carries it by the returned
 * `uploadId` (`technicalReport.uploadId`) and claims it as its version 1. Until claimed it is the
 * uploader's alone.
 */
export function preUploadTechnicalReportHandler(deps: ApiDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const query = parseOrThrow(technicalReportQuery, req.query);
    const pdf: unknown = req.body;
    if (!Buffer.isBuffer(pdf) || pdf.length < PDF_MAGIC.length || !pdf.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) throw apiError(400, 'INVALID_PDF');
    const stored = await cases.storeUnclaimedUpload(deps.pool, {
      id: randomUUID(),
      kind: 'TECHNICAL_REPORT',
      mediaType: 'application/pdf',
      content: pdf,
      details: query,
      uploadedBy: actorRef(actor),
    });
    res.status(201).json({ uploadId: stored.id, sha256: stored.sha256, sizeBytes: pdf.length });
  };
}
