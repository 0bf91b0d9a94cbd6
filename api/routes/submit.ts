/**
 * POST /v1/applications — submission (A2), idempotent by the caller's Idempotency-Key. The route
 * parses, authorises and checks the signature; filing and starting the case once is the submission
 * service's (api/services/submission.ts).
 *
 * EDS (R5, R13; api/routes/signatures.ts): the application is signed — a detached CMS over its
 * canonical form (POST /v1/applications/sign-request), sent as `signature`. It is verified before
 * anything is written (the signer must be the acting applicant or representative) and stored with
 * the application and its consents in the same transaction. Required for a caller signed in by EDS.
 */
import type { Request, Response } from 'express';
import { toAlmatyIso } from '../../domain/time';
import { dbCaseStatus } from '../cases';
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
  return {
    applicationId: row.id,
    status: dbCaseStatus(row),
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

    const { created, row } = await service.submit({
      actor,
      idempotencyKey,
      body,
      ...(signed ? { signed: { stored: signedDocumentInput(signed), cms: signed.cms } } : {}),
    });
    if (created) res.status(201).location(linksOf(row.id).self).json({ ...createdView(row), status: 'CHECKING' });
    else res.status(200).json(createdView(row));
  };
}
