/**
 * Filing an application (A2), without HTTP: idempotent by the caller's Idempotency-Key, and its
 * workflow started exactly once.
 *
 * The row is written first (the database is the system of record and the workflow's activities need
 * it), together with the consents given in it and the application's signature (one transaction,
 * R12, R13), then the workflow is started. If the start fails, the row goes again, so a failed
 * submission leaves nothing half-written; the client retries with the same key.
 *
 * Start once: requests with the same key (a client retrying, or sending twice at once) take the
 * row's lock in turn, and `workflow_started_at` says whether one of them already started it.
 * Without this, a retry that asked Temporal just before the first request's start could start a
 * second run after the first had decided the case: the person's workflow ID allows a new run once
 * the old one is closed.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import * as cases from '../../db/cases';
import { withTransaction } from '../../db/transaction';
import type { ApplicationDeclaration } from '../../domain/application';
import type { ReferenceSnapshot } from '../../domain/procedure/reference';
import { Terms } from '../../domain/procedure/terms';
import { currentTerms } from '../../domain/calendar';
import { currentReferenceSnapshot, developmentAlwaysOpenSnapshot } from '../../domain/reference-snapshot';
import { toAlmatyIso } from '../../domain/time';
import { recordConsentsGiven } from '../../personal-data/consents';
import type { ApplicationWorkflowInput, ReportRef } from '../../workflows/contract';
import { apiError } from '../errors';
import { canonicalJson, sha256Hex } from '../http';
import { actorRef, type Actor } from '../identity';
import type { CreateApplicationBody } from '../schemas';
import { caseWorkflowExists, startCaseWorkflow, type StartOutcome } from '../workflow-gateway';

const UNIQUE_VIOLATION = '23505';
const ONE_ACTIVE_PER_PERSON = 'applications_one_active_per_person';

export interface SubmissionDeps {
  pool: Pool;
  client: Client;
  settings: { taskQueue: string; workflowIdKey: string; devAlwaysOpen?: boolean };
  /** The receipt instant (tests pin it); the server clock otherwise. */
  now?: () => number;
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
  /** A new case (201), or the case this key already filed (200). */
  created: boolean;
  row: Pick<cases.ApplicationRow, 'id' | 'path' | 'kato' | 'received_at' | 'accepted_at' | 'decision_due_at' | 'status' | 'case_status'>;
}

/** What starting a case's workflow needs of its record. */
type StartableRow = Pick<
  cases.ApplicationRow,
  'id' | 'declaration' | 'received_at' | 'accepted_at' | 'decision_due_at' | 'submitted_by' | 'workflow_id' | 'applicant_iin' | 'reference_snapshot_id'
>;

function isDatabaseError(err: unknown): err is { code: string; constraint?: string } {
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'string';
}

/** The workflow's input: the record as filed, with its pinned reference data. */
async function workflowInput(pool: Pool, row: StartableRow, fallback: () => ReferenceSnapshot, pinned?: ReferenceSnapshot): Promise<ApplicationWorkflowInput> {
  // A row stored before its start pinned nothing yet: it takes the reference data in force now.
  const reference = pinned ?? (row.reference_snapshot_id ? await cases.referenceSnapshot(pool, row.reference_snapshot_id) : fallback());
  // A retried submission: the report the application carried is its version 1 (A1.8.2).
  const carried = pinned ? undefined : await cases.latestUpload(pool, row.id, 'TECHNICAL_REPORT');
  const details = carried?.details as { reportNumber?: string; propertyId?: string } | undefined;
  return {
    applicationId: row.id,
    declaration: row.declaration,
    receivedAt: toAlmatyIso(row.received_at.getTime()),
    acceptedAt: toAlmatyIso(row.accepted_at.getTime()),
    decisionDueAt: toAlmatyIso(row.decision_due_at.getTime()),
    submittedBy: row.submitted_by,
    reference,
    ...(carried && carried.version === 1 && details?.reportNumber && details.propertyId
      ? { technicalReport: { documentId: carried.id, version: 1, sha256: carried.sha256, reportNumber: details.reportNumber, propertyId: details.propertyId } }
      : {}),
  };
}

export function submissionService(deps: SubmissionDeps) {
  const { pool, client, settings } = deps;
  const now = deps.now ?? Date.now;
  const intakeTerms = settings.devAlwaysOpen ? new Terms(developmentAlwaysOpenSnapshot()) : undefined;
  const referenceNow = (): ReferenceSnapshot => (settings.devAlwaysOpen ? developmentAlwaysOpenSnapshot() : currentReferenceSnapshot());

  /** 409 ACTIVE_APPLICATION_EXISTS; the existing case's id only to its own applicant or representative. */
  async function activeExists(actor: Actor, applicantIin: string): Promise<never> {
    const existing = await cases.activeApplicationOf(pool, applicantIin);
    const mine =
      existing !== undefined &&
      ((actor.role === 'applicant' && actor.id === existing.applicant_iin) || (actor.role === 'representative' && actor.id === existing.representative_iin));
    throw apiError(409, 'ACTIVE_APPLICATION_EXISTS', mine ? { details: [{ applicationId: existing.id }] } : {});
  }

  /**
   * Starts the workflow of a stored row, once (see the header). On a failed start the row goes.
   * `askTemporal`: the row may have a run the database does not know of (a row from before
   * workflow_started_at, or a start that reached Temporal but whose request then failed).
   */
  async function startOnce(row: StartableRow, actor: Actor, askTemporal: boolean, pinned?: ReferenceSnapshot, report?: ReportRef): Promise<void> {
    const input = { ...(await workflowInput(pool, row, referenceNow, pinned)), ...(report ? { technicalReport: report } : {}) };
    const outcome = await withTransaction(pool, async (tx): Promise<'STARTED' | 'GONE' | 'FAILED' | 'OTHER_CASE_RUNNING'> => {
      const locked = await cases.lockForStart(tx, row.id);
      if (locked === undefined) return 'GONE'; // its own start failed meanwhile: the client retries
      if (locked.started) return 'STARTED';
      if (askTemporal) {
        let exists: boolean;
        try {
          exists = await caseWorkflowExists(client, row.workflow_id, row.id);
        } catch {
          // We cannot tell whether a start went through, so the row stays; the next retry decides.
          throw apiError(503, 'TEMPORAL_UNAVAILABLE');
        }
        if (exists) {
          await cases.markWorkflowStarted(tx, row.id);
          return 'STARTED';
        }
      }
      let started: StartOutcome;
      try {
        started = await startCaseWorkflow(client, { workflowId: row.workflow_id, taskQueue: settings.taskQueue, input });
      } catch {
        // The start may still have gone through (an answer lost while Temporal restarts). The row is
        // discarded after this transaction, so such a workflow — waiting on this row's lock to
        // record its acceptance — records it first, and the discard then keeps the row.
        return 'FAILED';
      }
      if (started === 'OTHER_CASE_RUNNING') {
        // Another application of this person is still running (decided in the database but its
        // workflow not yet closed, or the database lost track of it): the workflow ID guards it.
        await cases.discardUnstarted(tx, row.id);
        return 'OTHER_CASE_RUNNING';
      }
      await cases.markWorkflowStarted(tx, row.id);
      return 'STARTED';
    });
    if (outcome === 'FAILED') await withTransaction(pool, (tx) => cases.discardUnstarted(tx, row.id));
    if (outcome === 'GONE' || outcome === 'FAILED') throw apiError(503, 'TEMPORAL_UNAVAILABLE');
    if (outcome === 'OTHER_CASE_RUNNING') await activeExists(actor, row.applicant_iin);
  }

  return {
    startOnce,

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
      let report: ReportRef | undefined;
      try {
        inserted = await withTransaction(pool, async (tx) => {
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
              const details = claimed.details as { reportNumber: string; propertyId: string };
              report = { documentId: claimed.id, version: claimed.version, sha256: claimed.sha256, reportNumber: details.reportNumber, propertyId: details.propertyId };
            }
            await recordConsentsGiven(tx, id, body.consents, new Date(terms.receivedAtMs), submittedBy);
            if (s.signed) {
              await cases.storeSignedDocument(tx, id, s.signed.stored);
              // The consents given in the application are signed with it (its form lists them).
              await cases.signConsents(tx, id, body.consents, s.signed.cms);
            }
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
        // Deleted between our insert and this read (its own start failed): ask the client to retry.
        if (!existing) throw apiError(503, 'TEMPORAL_UNAVAILABLE');
        if (existing.request_hash !== requestHash) throw apiError(422, 'IDEMPOTENCY_KEY_REUSED', { field: 'Idempotency-Key' });
        // A retried submission whose workflow has not run yet: start it unless that already happened.
        if (existing.status === 'ACTIVE' && existing.case_status === 'SUBMITTED') await startOnce(existing, actor, true);
        return { created: false, row: existing };
      }
      const row = {
        id,
        declaration,
        path: body.path,
        kato: body.kato,
        received_at: new Date(terms.receivedAtMs),
        accepted_at: new Date(terms.acceptedAtMs),
        decision_due_at: new Date(terms.decisionDueAtMs),
        submitted_by: submittedBy,
        workflow_id: workflowId,
        applicant_iin: body.applicantIin,
        reference_snapshot_id: null,
        status: 'ACTIVE' as const,
        case_status: 'SUBMITTED',
      };
      await startOnce(row, actor, false, reference, report);
      return { created: true, row };
    },
  };
}
