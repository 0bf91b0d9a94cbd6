/**
 * Filing an application (A2), without HTTP: idempotent by the caller's Idempotency-Key, answered
 * as soon as the case is on record (issue #14).
 *
 * One transaction writes the row with its receivedAt (the place in the queue, SPEC §2, §7) and
 * acceptedAt (the term's start), the consents given in it and the application's signature (R12,
 * R13), the claimed technical report (A1.8.2) and the case's entry in the intake outbox
 * (db/intake/outbox.ts). Once it commits the submission is answered 202: the starter
 * (intake/starter.ts) starts the case's workflow from the outbox, once, retrying while Temporal is
 * slow or away. Temporal's speed therefore delays the decision, never the acceptance, and a client
 * never has to retry into a later receivedAt.
 *
 * The only refusal for load is the database's own: no connection within the admission limits
 * (db/intake/admission.ts) → 503 INTAKE_BUSY with Retry-After, and nothing is written.
 */
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import * as cases from '../../db/cases';
import * as intake from '../../db/intake';
import type { ApplicationDeclaration } from '../../domain/application';
import { Terms } from '../../domain/procedure/terms';
import type { ReferenceSnapshot } from '../../domain/procedure/reference';
import { currentTerms } from '../../domain/calendar';
import { currentReferenceSnapshot, developmentAlwaysOpenSnapshot } from '../../domain/reference-snapshot';
import { toAlmatyIso } from '../../domain/time';
import { recordConsentsGiven } from '../../personal-data/consents';
import { apiError } from '../errors';
import { canonicalJson, sha256Hex } from '../http';
import { actorRef, type Actor } from '../identity';
import type { CreateApplicationBody } from '../schemas';

const UNIQUE_VIOLATION = '23505';
const ONE_ACTIVE_PER_PERSON = 'applications_one_active_per_person';

export interface SubmissionDeps {
  pool: Pool;
  settings: { taskQueue: string; workflowIdKey: string; devAlwaysOpen?: boolean };
  /** When the database counts as unable to take more (db/intake/admission.ts). */
  admission?: intake.AdmissionLimits;
  /** The receipt instant (tests pin it); the server clock otherwise. */
  now?: () => number;
  /** The reference data a new case pins (api/http.ts ApiDeps.reference); the installed one otherwise. */
  reference?: () => ReferenceSnapshot;
}

export interface Submission {
  actor: Actor;
  idempotencyKey: string;
  /** The application as filed, without its signature. */
  body: Omit<CreateApplicationBody, 'signature'>;
  /** The verified signature over the application's canonical form, with what the database stores. */
  signed?: { stored: cases.SignedDocumentInput; cms: string };
}

export interface SubmissionResult {
  /** A new case, or the case this key already filed. */
  created: boolean;
  /** Whether the case's workflow has started (a new case: not yet — the outbox starts it). */
  started: boolean;
  row: Pick<cases.ApplicationRow, 'id' | 'path' | 'kato' | 'received_at' | 'accepted_at' | 'decision_due_at' | 'status' | 'case_status'>;
}

function isDatabaseError(err: unknown): err is { code: string; constraint?: string } {
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'string';
}

export function submissionService(deps: SubmissionDeps) {
  const { pool, settings } = deps;
  const admission = deps.admission ?? intake.DEFAULT_ADMISSION;
  const now = deps.now ?? Date.now;
  const intakeTerms = settings.devAlwaysOpen ? new Terms(developmentAlwaysOpenSnapshot()) : undefined;
  const referenceNow = deps.reference ?? ((): ReferenceSnapshot => (settings.devAlwaysOpen ? developmentAlwaysOpenSnapshot() : currentReferenceSnapshot()));

  /** 409 ACTIVE_APPLICATION_EXISTS; the existing case's id only to its own applicant or representative. */
  async function activeExists(actor: Actor, applicantIin: string): Promise<never> {
    const existing = await cases.activeApplicationOf(pool, applicantIin);
    const mine =
      existing !== undefined &&
      ((actor.role === 'applicant' && actor.id === existing.applicant_iin) || (actor.role === 'representative' && actor.id === existing.representative_iin));
    throw apiError(409, 'ACTIVE_APPLICATION_EXISTS', mine ? { details: [{ applicationId: existing.id }] } : {});
  }

  return {
    async submit(s: Submission): Promise<SubmissionResult> {
      const { actor, body, idempotencyKey } = s;
      const submittedBy = actorRef(actor);
      // Without the signature: a retry re-signed by NCALayer (a new signing time) is the same request.
      const requestHash = sha256Hex(canonicalJson({ actor: submittedBy, body }));

      // SPEC §2: receivedAt orders the queue, acceptedAt starts the term (R13) — on the reference
      // data the case pins for its life (domain/procedure/terms.ts).
      const reference = referenceNow();
      const terms = (intakeTerms ?? currentTerms()).caseTerms(now(), body.path); // CalendarUnavailableError → 503 (errors.ts)
      const receivedAt = toAlmatyIso(terms.receivedAtMs);
      const declaration: ApplicationDeclaration = {
        applicantIin: body.applicantIin,
        ...(body.representativeIin !== undefined ? { representativeIin: body.representativeIin } : {}),
        path: body.path,
        fund: body.fund,
        kato: body.kato,
        ...(body.emergencyPropertyId !== undefined ? { emergencyPropertyId: body.emergencyPropertyId } : {}),
        categories: body.categories,
        contact: {
          ...(body.contact.mobile !== undefined ? { mobile: body.contact.mobile } : {}),
          ...(body.contact.email !== undefined ? { email: body.contact.email } : {}),
        },
        consents: body.consents.map((code) => ({ code, givenAt: receivedAt })),
        ...(body.person !== undefined ? { person: body.person } : {}),
      };
      const id = randomUUID();
      const workflowId = cases.workflowIdFor(body.applicantIin, settings.workflowIdKey);

      let inserted: boolean;
      try {
        inserted = await intake.withAdmittedTransaction(pool, admission, async (tx) => {
          const fresh = await cases.insertApplication(tx, {
            id,
            idempotencyKey,
            requestHash,
            declaration,
            submittedBy,
            receivedAt,
            acceptedAt: toAlmatyIso(terms.acceptedAtMs),
            decisionDueAt: toAlmatyIso(terms.decisionDueAtMs),
            workflowId,
            reference,
          });
          if (fresh) {
            if (body.technicalReport) {
              // A1.8.2: the report uploaded just before, by this caller, becomes the case's version 1.
              const claimed = await cases.claimUpload(tx, { documentId: body.technicalReport.uploadId, applicationId: id, uploadedBy: submittedBy });
              if (!claimed) throw apiError(422, 'UPLOAD_NOT_FOUND', { field: 'technicalReport.uploadId' });
            }
            await recordConsentsGiven(tx, id, body.consents, new Date(terms.receivedAtMs), submittedBy);
            if (s.signed) {
              await cases.storeSignedDocument(tx, id, s.signed.stored);
              // The consents given in the application are signed with it (its form lists them).
              await cases.signConsents(tx, id, body.consents, s.signed.cms);
            }
            // The workflow's start, from this record (intake/starter.ts): committed with it or not at all.
            await intake.enqueueStart(tx, id, settings.taskQueue);
          }
          return fresh;
        });
      } catch (err) {
        if (isDatabaseError(err) && err.code === UNIQUE_VIOLATION && err.constraint === ONE_ACTIVE_PER_PERSON) {
          await activeExists(actor, body.applicantIin);
        }
        throw err;
      }

      if (!inserted) {
        const existing = await cases.findByIdempotencyKey(pool, submittedBy, idempotencyKey);
        // The row of a key is never deleted: the insert that lost the race sees it now.
        if (!existing) throw new Error('idempotency key without its application');
        if (existing.request_hash !== requestHash) throw apiError(422, 'IDEMPOTENCY_KEY_REUSED', { field: 'Idempotency-Key' });
        return { created: false, started: existing.workflow_started_at !== null || existing.case_status !== 'SUBMITTED', row: existing };
      }
      return {
        created: true,
        started: false,
        row: {
          id,
          path: body.path,
          kato: body.kato,
          received_at: new Date(terms.receivedAtMs),
          accepted_at: new Date(terms.acceptedAtMs),
          decision_due_at: new Date(terms.decisionDueAtMs),
          status: 'ACTIVE',
          case_status: 'SUBMITTED',
        },
      };
    },
  };
}
