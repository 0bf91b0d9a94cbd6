/**
 * POST /v1/applications — submission (A2), idempotent by the client's Idempotency-Key.
 *
 * The row is written first (the database is the system of record and the workflow's activities need
 * it), together with the consents given in it (one transaction, R12), then the workflow is started.
 * If the start fails, the row and its consents are deleted again, so a failed submission leaves
 * nothing half-written; the client retries with the same key.
 *
 * EDS (R5, R13; api/routes/signatures.ts): the application is signed — a detached CMS over its
 * canonical form (POST /v1/applications/sign-request), sent as `signature`. It is verified before
 * anything is written (the signer must be the acting applicant or representative) and stored with
 * the application and its consents in the same transaction. Required for a caller signed in by EDS.
 */
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { DatabaseError, PoolClient } from 'pg';
import type { ApplicationDeclaration } from '../../domain/application';
import { acceptanceInstant, decisionTermDays, termEnd } from '../../domain/calendar';
import { localityOf } from '../../domain/kato';
import { toAlmatyIso } from '../../domain/time';
import type { ApplicationWorkflowInput } from '../../workflows/contract';
import { findByIdempotencyKey, dbCaseStatus, type ApplicationRow } from '../cases';
import { apiError, parseOrThrow } from '../errors';
import { canonicalJson, sha256Hex, type ApiDeps } from '../http';
import { authoriseSubject } from '../auth/authorise';
import { actorOf, actorRef, type Actor } from '../identity';
import { createApplicationBody, idempotencyKeySchema } from '../schemas';
import { caseWorkflowExists, startCaseWorkflow, type StartOutcome } from '../workflow-gateway';
import { insertApplication, workflowIdFor } from '../../db/applications';
import { recordConsentsGiven } from '../../personal-data/consents';
import { withTransaction } from '../../db/transaction';
import { applicationDocumentOf, signatureError, storeSignedDocument, type DocumentSigning, type VerifiedDocument } from './signatures';

const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';
const ONE_ACTIVE_PER_PERSON = 'applications_one_active_per_person';

function isDatabaseError(err: unknown): err is DatabaseError {
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'string';
}


interface CreatedView {
  applicationId: string;
  status: ReturnType<typeof dbCaseStatus>;
  path: 'NO_HOUSING' | 'EMERGENCY';
  kato: string;
  receivedAt: string;
  acceptedAt: string;
  decisionDueAt: string;
  links: { self: string; timeline: string };
}

export function linksOf(id: string): { self: string; timeline: string } {
  const self = `/v1/applications/${id}`;
  return { self, timeline: `${self}/timeline` };
}

function createdView(row: ApplicationRow): CreatedView {
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
  const { pool, client, settings } = deps;

  /**
   * Deletes a row that has no workflow behind it, with its consents and its signature, in the
   * caller's transaction. A row the workflow already wrote to is kept (and so are its consents):
   * the foreign-key violation is rolled back to a savepoint.
   */
  async function discardIn(tx: PoolClient, id: string): Promise<void> {
    await tx.query('SAVEPOINT discard');
    try {
      // Its signature goes with it (only while the row is still SUBMITTED: the delete below then
      // either removes the row too or rolls this back).
      await tx.query(
        `DELETE FROM signed_documents WHERE application_id = $1 AND document_key = 'application'
           AND EXISTS (SELECT 1 FROM applications WHERE id = $1 AND case_status = 'SUBMITTED')`,
        [id],
      );
      // Not a row another request has since seen started.
      const gone = await tx.query(`DELETE FROM applications WHERE id = $1 AND case_status = 'SUBMITTED' AND workflow_started_at IS NULL`, [id]);
      if (gone.rowCount === 1) await tx.query(`DELETE FROM consents WHERE application_id = $1`, [id]);
      await tx.query('RELEASE SAVEPOINT discard');
    } catch (err) {
      await tx.query('ROLLBACK TO SAVEPOINT discard');
      if (!(isDatabaseError(err) && err.code === FOREIGN_KEY_VIOLATION)) throw err;
    }
  }

  /** 409 ACTIVE_APPLICATION_EXISTS; the existing case's id only to its own applicant or representative. */
  async function activeExists(actor: Actor, applicantIin: string): Promise<never> {
    const res = await pool.query<{ id: string; applicant_iin: string; representative_iin: string | null }>(
      `SELECT id, applicant_iin, representative_iin FROM applications WHERE applicant_iin = $1 AND status = 'ACTIVE'`,
      [applicantIin],
    );
    const existing = res.rows[0];
    const mine =
      existing !== undefined &&
      ((actor.role === 'applicant' && actor.id === existing.applicant_iin) ||
        (actor.role === 'representative' && actor.id === existing.representative_iin));
    throw apiError(409, 'ACTIVE_APPLICATION_EXISTS', mine ? { details: [{ applicationId: existing.id }] } : {});
  }

  /**
   * Starts the workflow of a stored row, once. Requests with the same Idempotency-Key (a client
   * retrying, or sending twice at once) take the row's lock in turn, and `workflow_started_at` says
   * whether one of them already started it. Without this, a retry that asked Temporal just before
   * the first request's start could start a second run after the first had decided the case: the
   * person's workflow ID allows a new run once the old one is closed. On a failed start the row
   * goes (nothing half-written stays).
   *
   * `askTemporal`: the row may have a run the database does not know of (a row from before
   * workflow_started_at, or a start that reached Temporal but whose request then failed).
   */
  async function startOnce(row: ApplicationRow, actor: Actor, askTemporal: boolean): Promise<void> {
    const input: ApplicationWorkflowInput = {
      applicationId: row.id,
      declaration: row.declaration,
      receivedAt: toAlmatyIso(row.received_at.getTime()),
      submittedBy: row.submitted_by,
    };
    const outcome = await withTransaction(pool, async (tx): Promise<'STARTED' | 'GONE' | 'FAILED' | 'OTHER_CASE_RUNNING'> => {
      const locked = await tx.query<{ started: boolean }>(
        `SELECT workflow_started_at IS NOT NULL AS started FROM applications WHERE id = $1 FOR UPDATE`,
        [row.id],
      );
      if (locked.rows[0] === undefined) return 'GONE'; // its own start failed meanwhile: the client retries
      if (locked.rows[0].started) return 'STARTED';
      let started: StartOutcome;
      if (askTemporal) {
        let exists: boolean;
        try {
          exists = await caseWorkflowExists(client, row.workflow_id, row.id);
        } catch {
          // We cannot tell whether a start went through, so the row stays; the next retry decides.
          throw apiError(503, 'TEMPORAL_UNAVAILABLE');
        }
        if (exists) {
          await tx.query(`UPDATE applications SET workflow_started_at = now() WHERE id = $1`, [row.id]);
          return 'STARTED';
        }
      }
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
        await discardIn(tx, row.id);
        return 'OTHER_CASE_RUNNING';
      }
      await tx.query(`UPDATE applications SET workflow_started_at = now() WHERE id = $1`, [row.id]);
      return 'STARTED';
    });
    if (outcome === 'FAILED') await withTransaction(pool, (tx) => discardIn(tx, row.id));
    if (outcome === 'GONE' || outcome === 'FAILED') throw apiError(503, 'TEMPORAL_UNAVAILABLE');
    if (outcome === 'OTHER_CASE_RUNNING') await activeExists(actor, row.applicant_iin);
  }

  /** A retried submission whose row exists: start its workflow unless that already happened. */
  async function ensureStarted(row: ApplicationRow, actor: Actor): Promise<void> {
    if (row.status !== 'ACTIVE' || row.case_status !== 'SUBMITTED') return; // the workflow has run
    await startOnce(row, actor, true);
  }

  return async (req: Request, res: Response): Promise<void> => {
    const actor = actorOf(req);
    const keyCheck = idempotencyKeySchema.safeParse(req.get('Idempotency-Key'));
    if (!keyCheck.success) throw apiError(400, 'IDEMPOTENCY_KEY_INVALID', { field: 'Idempotency-Key' });
    const idempotencyKey = keyCheck.data;
    const { signature, ...body } = parseOrThrow(createApplicationBody, req.body);
    // Only the applicant themselves (naming no representative), or the named representative whose
    // authority the representation registry confirms now (security/policy/policy.json).
    await authoriseSubject(actor, { applicantIin: body.applicantIin, representativeIin: body.representativeIin ?? null });

    // The signature is checked before anything is written; a request that needs one and has none,
    // or whose signature does not verify over this very request, changes nothing.
    let signed: VerifiedDocument | undefined;
    if (signature !== undefined) signed = await signing.verify(actor, applicationDocumentOf(body, idempotencyKey), signature);
    else if (signing.required(actor)) throw signatureError(400, 'SIGNATURE_REQUIRED');

    const submittedBy = actorRef(actor);
    // Without the signature: a retry re-signed by NCALayer (a new signing time) is the same request.
    const requestHash = sha256Hex(canonicalJson({ actor: submittedBy, body }));

    // SPEC §2: receivedAt orders the queue, acceptedAt starts the term (R13).
    const receivedAtMs = Date.now();
    const receivedAt = toAlmatyIso(receivedAtMs);
    const acceptedAtMs = acceptanceInstant(receivedAtMs); // CalendarUnavailableError → 503 (errors.ts)
    const decisionDueAtMs = termEnd(acceptedAtMs, decisionTermDays(body.path));

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
    };
    const id = randomUUID();
    const workflowId = workflowIdFor(body.applicantIin, settings.workflowIdKey);

    let inserted: boolean;
    try {
      inserted = await withTransaction(pool, async (tx) => {
        const fresh = await insertApplication(tx, {
          id,
          idempotencyKey,
          requestHash,
          declaration,
          submittedBy,
          receivedAt,
          acceptedAt: toAlmatyIso(acceptedAtMs),
          decisionDueAt: toAlmatyIso(decisionDueAtMs),
          workflowId,
        });
        if (fresh) {
          await recordConsentsGiven(tx, id, body.consents, new Date(receivedAtMs), submittedBy);
          if (signed) {
            await storeSignedDocument(tx, id, signed);
            // The consents given in the application are signed with it (its form lists them).
            await tx.query(
              `UPDATE consents SET signature = $3 WHERE application_id = $1 AND code = ANY ($2::text[]) AND withdrawn_at IS NULL AND signature IS NULL`,
              [id, body.consents, signed.cms],
            );
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
      const existing = await findByIdempotencyKey(pool, idempotencyKey);
      // Deleted between our insert and this read (its own start failed): ask the client to retry.
      if (!existing) throw apiError(503, 'TEMPORAL_UNAVAILABLE');
      if (existing.request_hash !== requestHash) throw apiError(422, 'IDEMPOTENCY_KEY_REUSED', { field: 'Idempotency-Key' });
      await ensureStarted(existing, actor);
      res.status(200).json(createdView(existing));
      return;
    }

    const row: ApplicationRow = {
      id,
      idempotency_key: idempotencyKey,
      request_hash: requestHash,
      applicant_iin: body.applicantIin,
      representative_iin: body.representativeIin ?? null,
      submitted_by: submittedBy,
      path: body.path,
      fund: body.fund,
      kato: body.kato,
      locality: localityOf(body.kato),
      declaration,
      received_at: new Date(receivedAtMs),
      accepted_at: new Date(acceptedAtMs),
      decision_due_at: new Date(decisionDueAtMs),
      status: 'ACTIVE',
      case_status: 'SUBMITTED',
      workflow_id: workflowId,
      decided_at: null,
    };
    await startOnce(row, actor, false);
    res.status(201).location(linksOf(id).self).json({ ...createdView(row), status: 'CHECKING' });
  };
}
