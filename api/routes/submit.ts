/**
 * POST /v1/applications — submission (A2), idempotent by the caller's Idempotency-Key. The route
 * parses, authorises and checks the signature; filing the case is the submission service's
 * (api/services/submission.ts), starting its workflow the intake starter's (intake/starter.ts).
 *
 * Answers (issue #14): 202 with the case (status RECEIVED, queued for checking) as soon as it is on
 * record — Temporal is not waited for. The same key and request again: the same case, 202 while its
 * workflow has not started yet, 200 once it has. 503 INTAKE_BUSY with Retry-After only when the
 * database cannot take the submission (db/intake/admission.ts); nothing is written then.
 *
 * EDS (R5, R13; api/routes/signatures.ts): the application is signed — a detached CMS over its
 * canonical form (POST /v1/applications/sign-request), sent as `signature`. It is verified before
 * anything is written (the signer must be the acting applicant or representative) and stored with
 * the application and its consents in the same transaction. Required for a caller signed in by EDS.
 */
import type { Request, Response } from 'express';
import { QUEUED_FOR_CHECKING_TEXT, STATUS_TEXT } from '../../domain/procedure/statuses';
import { toAlmatyIso } from '../../domain/time';
import { dbCaseStatus } from '../cases';
import { IntakeBusyError } from '../../db/intake';
import { apiError, parseOrThrow } from '../errors';
import type { ApiDeps } from '../http';
import { authoriseSubject } from '../auth/authorise';
import { actorOf } from '../identity';
import { createApplicationBody, idempotencyKeySchema } from '../schemas';
import { checkPersonBlock } from '../services/person-registry';
import { submissionService, type SubmissionResult } from '../services/submission';
import { applicationDocumentOf, signatureError, signedDocumentInput, type DocumentSigning, type VerifiedDocument } from './signatures';

export function linksOf(id: string): { self: string; timeline: string } {
  const self = `/v1/applications/${id}`;
  return { self, timeline: `${self}/timeline` };
}

function createdView(row: SubmissionResult['row']) {
  const status = dbCaseStatus(row);
  return {
    applicationId: row.id,
    status,
    statusText: row.case_status === 'SUBMITTED' ? QUEUED_FOR_CHECKING_TEXT : STATUS_TEXT[status],
    path: row.path,
    kato: row.kato,
    receivedAt: toAlmatyIso(row.received_at.getTime()),
    acceptedAt: toAlmatyIso(row.accepted_at.getTime()),
    decisionDueAt: toAlmatyIso(row.decision_due_at.getTime()),
    links: linksOf(row.id),
  };
}

export function submitHandler(deps: ApiDeps, signing: DocumentSigning) {
  const service = submissionService(deps);
  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const keyCheck = idempotencyKeySchema.safeParse(req.get('Idempotency-Key'));
    if (!keyCheck.success) throw apiError(400, 'IDEMPOTENCY_KEY_INVALID', { field: 'Idempotency-Key' });
    const idempotencyKey = keyCheck.data;
    const { signature, ...body } = parseOrThrow(createApplicationBody, req.body);
    // Only the applicant themselves (naming no representative), or the named representative whose
    // authority the representation registry confirms now (security/policy/policy.json).
    await authoriseSubject(actor, { applicantIin: body.applicantIin, representativeIin: body.representativeIin ?? null });
    // A2: the identity block the application carries is the registry's (issue #11 §3).
    if (body.person) await checkPersonBlock(deps.settings.gatewayUrl, body.person);

    // The signature is checked before anything is written; a request that needs one and has none,
    // or whose signature does not verify over this very request, changes nothing.
    let signed: VerifiedDocument | undefined;
    if (signature !== undefined) signed = await signing.verify(actor, applicationDocumentOf(body, idempotencyKey), signature);
    else if (signing.required(actor)) throw signatureError(400, 'SIGNATURE_REQUIRED');

    let result: SubmissionResult;
    try {
      result = await service.submit({
        actor,
        idempotencyKey,
        body,
        ...(signed ? { signed: { stored: signedDocumentInput(signed), cms: signed.cms } } : {}),
      });
    } catch (err) {
      if (!(err instanceof IntakeBusyError)) throw err;
      res.set('Retry-After', String(err.retryAfterSec));
      throw apiError(503, 'INTAKE_BUSY');
    }
    const { created, started, row } = result;
    if (!started) res.status(202).location(linksOf(row.id).self).json(createdView(row));
    else res.status(created ? 201 : 200).json(createdView(row));
  };
}
