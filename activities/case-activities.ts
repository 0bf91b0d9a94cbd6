/**
 * Case records in PostgreSQL. Each activity is one transaction, and every write is keyed so a retry
 * is a no-op: one decision per case (primary key), one queue entry per case (unique), one notice
 * per case, kind and channel (unique), one timeline event per event key (unique).
 *
 * Final decisions are signed (R17; docs/eds.md "Signed documents"): the decision row and its
 * signature commit in one transaction. An automated decision (decidedBy `system`, or one following
 * an operator's review) is signed here with the provider's system key (security/pki/system-signer.ts);
 * a hearing officer's decision carries the officer's own signature, which the API verified and
 * stored when the officer signed, and which is linked here. A retry finds the decision row (its
 * primary key) and writes neither again.
 */
import type { Pool, PoolClient } from 'pg';
import { ApplicationFailure } from '@temporalio/common';
import type { Ground } from '../domain/application';
import {
  caseRef,
  finalRefusalNotice,
  preliminaryRefusalNotice,
  registrationNotice,
  type RenderedNotice,
} from '../domain/notices';
import type { QueuePlacement } from '../workflows/contract';
import { canonicalJson } from '../security/pki/cms';
import { canonicalFormOf, decisionDocument, type DecisionDocument } from '../security/pki/signed-documents';
import { lazySystemSigner, type SystemSigner } from '../security/pki/system-signer';
import type {
  AcceptanceInput,
  CaseActivities,
  CaseEventInput,
  CaseProgressInput,
  NoticeRecipient,
  PreliminaryDecisionInput,
  RefusalInput,
  RegistrationInput,
} from './types';
import { noticeIdFor } from './notice-activities';
import { withTransaction } from '../db/transaction';

async function insertEvent(c: PoolClient | Pool, e: CaseEventInput): Promise<void> {
  await c.query(
    `INSERT INTO case_events (application_id, event_key, at, kind, actor, data)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (application_id, event_key) DO NOTHING`,
    [e.applicationId, e.eventKey, e.at, e.kind, e.actor ?? null, JSON.stringify(e.data ?? {})],
  );
}

async function queueNotices(c: PoolClient, applicationId: string, at: string, n: RenderedNotice, to: NoticeRecipient): Promise<void> {
  await c.query(
    `INSERT INTO notices (id, application_id, kind, channel, issued_at, recipient, body, status)
     VALUES ($1, $2, $3, 'CABINET', $4, NULL, $5, 'PENDING'),
            ($6, $2, $3, 'SMS', $4, $7, $8, $9)
     ON CONFLICT (application_id, kind, channel, dedupe_key) DO NOTHING`,
    [
      noticeIdFor(applicationId, n.kind, 'CABINET'),
      applicationId,
      n.kind,
      at,
      JSON.stringify(n.cabinet),
      noticeIdFor(applicationId, n.kind, 'SMS'),
      to.phone,
      JSON.stringify(n.sms),
      // R16: by SMS only "if there is one" linked number.
      to.phone ? 'PENDING' : 'NO_PHONE',
    ],
  );
}

/** Position in a list: rank by (received_at, application_id) among active entries (SPEC §7). */
export async function queuePosition(
  c: PoolClient | Pool,
  entry: { locality: string; receivedAt: Date | string; applicationId: string },
  category?: string,
): Promise<number> {
  const res = await c.query<{ ahead: number }>(
    `SELECT count(*)::int AS ahead FROM queue_entries
      WHERE status = 'ACTIVE' AND locality = $1 AND (received_at, application_id) < ($2::timestamptz, $3::uuid)
        ${category ? 'AND $4 = ANY (categories)' : ''}`,
    category ? [entry.locality, entry.receivedAt, entry.applicationId, category] : [entry.locality, entry.receivedAt, entry.applicationId],
  );
  return res.rows[0].ahead + 1;
}

export async function placementOf(c: PoolClient | Pool, applicationId: string): Promise<QueuePlacement | null> {
  const res = await c.query<{ locality: string; received_at: Date; registration_number: string; categories: string[]; status: string }>(
    `SELECT locality, received_at, registration_number, categories, status FROM queue_entries WHERE application_id = $1`,
    [applicationId],
  );
  const row = res.rows[0];
  if (!row || row.status !== 'ACTIVE') return null;
  const entry = { locality: row.locality, receivedAt: row.received_at, applicationId };
  const categoryPositions: Record<string, number> = {};
  for (const cat of row.categories) categoryPositions[cat] = await queuePosition(c, entry, cat);
  return {
    kato: row.locality,
    registrationNumber: row.registration_number,
    position: await queuePosition(c, entry),
    categoryPositions,
  };
}

function missingCase(applicationId: string): never {
  // The API writes the application row before it starts the workflow; without it nothing can be
  // recorded, and retrying will not help.
  throw ApplicationFailure.nonRetryable(`application ${applicationId} has no record`, 'CaseRecordMissing');
}

/** A decision signed by the system, made before its transaction (signing is CPU work, not I/O). */
interface SystemSignature {
  doc: DecisionDocument;
  canonical: string;
  sha256: string;
  cms: string;
  certificate: SystemSigner['certificate'];
  at: Date;
}

function decisionOf(input: { applicationId: string; decidedAt: string; decidedBy: string; reasoning?: string; categories: { confirmed: string[]; unconfirmed: string[] } }, outcome: DecisionDocument['outcome'], grounds: readonly Ground[]): DecisionDocument {
  return decisionDocument({
    applicationId: input.applicationId,
    outcome,
    grounds: grounds.map((g) => g.id),
    categories: input.categories,
    ...(input.reasoning ? { reasoning: input.reasoning } : {}),
    decidedAt: input.decidedAt,
    decidedBy: input.decidedBy,
  });
}

/** An officer decides at the hearing and signs it; everything else the system issues. */
const byOfficer = (decidedBy: string): boolean => decidedBy.startsWith('officer:');

async function signBySystem(signer: () => Promise<SystemSigner>, doc: DecisionDocument): Promise<SystemSignature> {
  const key = await signer();
  const form = canonicalFormOf(doc);
  const at = new Date();
  return { doc, canonical: form.canonical, sha256: form.sha256, cms: key.sign(form.bytes), certificate: key.certificate, at };
}

/** The decision's (identical except for decidedAt) signed form: what the officer signed must be what is recorded. */
const decisionContent = (d: Partial<DecisionDocument>): string =>
  canonicalJson({ applicationId: d.applicationId, outcome: d.outcome, grounds: d.grounds, categories: d.categories, reasoning: d.reasoning, decidedBy: d.decidedBy });

/**
 * In the transaction that has just inserted the decision row: stores the system's signature, or
 * finds the officer's signed form of this very decision, and links it to the decision.
 */
async function attachDecisionSignature(c: PoolClient, doc: DecisionDocument, system: SystemSignature | undefined): Promise<void> {
  let signedId: number | undefined;
  if (system) {
    const p = system.certificate.parsed;
    const res = await c.query<{ id: string }>(
      `INSERT INTO signed_documents (application_id, document_type, document_key, canonical, sha256, cms, signer_ref, signer_iin,
                                     signer_bin, signer_name, certificate_serial, signing_time, received_at)
       VALUES ($1, 'DECISION', $2, $3, $4, $5, 'system', $6, $7, $8, $9, $10, $10)
       ON CONFLICT (application_id, document_key) DO NOTHING RETURNING id`,
      [doc.applicationId, `decision:${system.sha256}`, system.canonical, system.sha256, system.cms, p.iin ?? null, p.bin ?? null, p.commonName, p.serialNumber, system.at],
    );
    signedId = res.rows[0] === undefined ? undefined : Number(res.rows[0].id);
  } else {
    const drafts = await c.query<{ id: string; canonical: string }>(
      `SELECT id, canonical FROM signed_documents
        WHERE application_id = $1 AND document_type = 'DECISION' AND signer_ref = $2 ORDER BY id DESC`,
      [doc.applicationId, doc.decidedBy],
    );
    const want = decisionContent(doc);
    for (const d of drafts.rows) {
      let signed: Partial<DecisionDocument>;
      try {
        signed = JSON.parse(d.canonical) as Partial<DecisionDocument>; // canonical JSON written by the API
      } catch {
        continue;
      }
      if (decisionContent(signed) === want) {
        signedId = Number(d.id);
        break;
      }
    }
  }
  if (signedId !== undefined) await c.query(`UPDATE decisions SET signed_document_id = $2 WHERE application_id = $1`, [doc.applicationId, signedId]);
}

export interface CaseActivityOptions {
  /** The provider's system signing key for automated decisions; default from the environment. */
  systemSigner?: () => Promise<SystemSigner>;
}

export function createCaseActivities(pool: Pool, options: CaseActivityOptions = {}): CaseActivities {
  const systemSigner = options.systemSigner ?? lazySystemSigner();
  return {
    async recordAcceptance(input: AcceptanceInput) {
      return withTransaction(pool, async (c) => {
        const app = await c.query<{ applicant_iin: string }>(
          `UPDATE applications SET case_status = 'CHECKING' WHERE id = $1 RETURNING applicant_iin`,
          [input.applicationId],
        );
        if (app.rowCount === 0) missingCase(input.applicationId);
        await insertEvent(c, {
          applicationId: input.applicationId,
          eventKey: 'accepted',
          at: input.at,
          kind: 'ACCEPTED',
          actor: 'system',
          data: { acceptedAt: input.acceptedAt, decisionDueAt: input.decisionDueAt },
        });
        // Only the provider's own entries: a migrated akimat record is the unifiedQueue registry's
        // (activities/registry-activities.ts), and counting it here too gave R15.1 twice.
        const own = await c.query(`SELECT 1 FROM queue_entries WHERE applicant_iin = $1 AND status = 'ACTIVE' AND source = 'APPLICATION'`, [
          app.rows[0].applicant_iin,
        ]);
        return { ownQueueActive: (own.rowCount ?? 0) > 0 };
      });
    },

    async recordCaseProgress(input: CaseProgressInput) {
      await withTransaction(pool, async (c) => {
        for (const e of input.events) await insertEvent(c, e);
        // A decided case keeps its final status, whatever a late retry says.
        await c.query(
          `UPDATE applications SET case_status = $2, decision_due_at = $3 WHERE id = $1 AND status = 'ACTIVE'`,
          [input.applicationId, input.caseStatus, input.decisionDueAt],
        );
      });
    },

    async recordPreliminaryDecision(input: PreliminaryDecisionInput) {
      await withTransaction(pool, async (c) => {
        await c.query(
          `INSERT INTO preliminary_decisions (application_id, seq, notice_at, hearing_at, decision_due_at, grounds)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
          [input.applicationId, input.seq, input.noticeAt, input.hearingAt, input.decisionDueAt, JSON.stringify(input.grounds)],
        );
        for (const e of input.events) await insertEvent(c, e);
        await c.query(`UPDATE applications SET case_status = 'HEARING_SCHEDULED', decision_due_at = $2 WHERE id = $1`, [
          input.applicationId,
          input.decisionDueAt,
        ]);
        await insertEvent(c, {
          applicationId: input.applicationId,
          eventKey: `preliminary-${input.seq}`,
          at: input.noticeAt,
          kind: 'PRELIMINARY_REFUSAL',
          actor: 'system',
          data: { grounds: input.grounds.map((g) => g.id), hearingAt: input.hearingAt, decisionDueAt: input.decisionDueAt },
        });
        const notice = preliminaryRefusalNotice({
          caseRef: caseRef(input.applicationId),
          grounds: input.grounds,
          hearingAt: input.hearingAt,
          decisionDueAt: input.decisionDueAt,
        });
        await queueNotices(c, input.applicationId, input.noticeAt, notice, input.recipient);
      });
    },

    async registerApplicant(input: RegistrationInput) {
      const doc = decisionOf(input, 'REGISTERED', input.dismissedGrounds);
      const system = byOfficer(input.decidedBy) ? undefined : await signBySystem(systemSigner, doc);
      return withTransaction(pool, async (c) => {
        const app = await c.query<{ applicant_iin: string; locality: string; received_at: Date }>(
          `SELECT applicant_iin, locality, received_at FROM applications WHERE id = $1 FOR UPDATE`,
          [input.applicationId],
        );
        if (app.rowCount === 0) missingCase(input.applicationId);
        const { applicant_iin, locality, received_at } = app.rows[0];
        for (const e of input.events) await insertEvent(c, e);
        const decided = await c.query(
          `INSERT INTO decisions (application_id, outcome, basis, grounds, categories, decided_at, decided_by, reasoning)
           VALUES ($1, 'REGISTERED', $2, $3, $4, $5, $6, $7) ON CONFLICT (application_id) DO NOTHING`,
          [
            input.applicationId,
            input.basis,
            JSON.stringify(input.dismissedGrounds),
            JSON.stringify(input.categories),
            input.decidedAt,
            input.decidedBy,
            input.reasoning ?? null,
          ],
        );
        if (decided.rowCount === 1) await attachDecisionSignature(c, doc, system);
        await c.query(
          `INSERT INTO queue_entries (application_id, registration_number, applicant_iin, locality, received_at, registered_at, categories)
           SELECT $1, $2 || '-' || lpad(nextval('registration_number_seq')::text, 8, '0'), $3, $2, $4, $5, $6
           WHERE NOT EXISTS (SELECT 1 FROM queue_entries WHERE application_id = $1)`,
          [input.applicationId, locality, applicant_iin, received_at, input.decidedAt, input.categories.confirmed],
        );
        await c.query(`UPDATE applications SET status = 'REGISTERED', case_status = 'REGISTERED', decided_at = $2 WHERE id = $1`, [
          input.applicationId,
          input.decidedAt,
        ]);
        const placement = await placementOf(c, input.applicationId);
        if (!placement) missingCase(input.applicationId);
        await insertEvent(c, {
          applicationId: input.applicationId,
          eventKey: 'decision',
          at: input.decidedAt,
          kind: 'REGISTERED',
          actor: input.decidedBy,
          data: { registrationNumber: placement.registrationNumber, position: placement.position, basis: input.basis },
        });
        const notice = registrationNotice({
          caseRef: caseRef(input.applicationId),
          registrationNumber: placement.registrationNumber,
          position: placement.position,
          kato: placement.kato,
          confirmed: input.categories.confirmed,
          unconfirmed: input.categories.unconfirmed,
        });
        await queueNotices(c, input.applicationId, input.decidedAt, notice, input.recipient);
        return placement;
      });
    },

    async finaliseRefusal(input: RefusalInput) {
      const doc = decisionOf(input, 'REFUSED', input.grounds);
      const system = byOfficer(input.decidedBy) ? undefined : await signBySystem(systemSigner, doc);
      await withTransaction(pool, async (c) => {
        const app = await c.query(`SELECT 1 FROM applications WHERE id = $1 FOR UPDATE`, [input.applicationId]);
        if (app.rowCount === 0) missingCase(input.applicationId);
        for (const e of input.events) await insertEvent(c, e);
        const decided = await c.query(
          `INSERT INTO decisions (application_id, outcome, grounds, categories, decided_at, decided_by, reasoning)
           VALUES ($1, 'REFUSED', $2, $3, $4, $5, $6) ON CONFLICT (application_id) DO NOTHING`,
          [
            input.applicationId,
            JSON.stringify(input.grounds),
            JSON.stringify(input.categories),
            input.decidedAt,
            input.decidedBy,
            input.reasoning ?? null,
          ],
        );
        if (decided.rowCount === 1) await attachDecisionSignature(c, doc, system);
        await c.query(`UPDATE applications SET status = 'REFUSED', case_status = 'REFUSED', decided_at = $2 WHERE id = $1`, [
          input.applicationId,
          input.decidedAt,
        ]);
        await insertEvent(c, {
          applicationId: input.applicationId,
          eventKey: 'decision',
          at: input.decidedAt,
          kind: 'REFUSED',
          actor: input.decidedBy,
          data: { grounds: input.grounds.map((g: Ground) => g.id) },
        });
        const notice = finalRefusalNotice({ caseRef: caseRef(input.applicationId), grounds: input.grounds, reasoning: input.reasoning });
        await queueNotices(c, input.applicationId, input.decidedAt, notice, input.recipient);
      });
    },
  };
}
