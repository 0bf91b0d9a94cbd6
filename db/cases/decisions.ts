/**
 * Decisions (SPEC §7, R16, R17): the preliminary decision with its hearing notice, and the one final
 * decision per case — a registration with its queue entry, or a refusal — each written with its
 * notices in one transaction. Final decisions are signed (docs/eds.md): the system's signature is
 * stored here with the decision; an officer's, which the API verified and stored when the officer
 * signed, is found and linked. A retry finds the decision row (its primary key) and writes neither
 * again.
 */
import type { Pool, PoolClient } from 'pg';
import type { CategoryOutcome, Ground } from '../../domain/application';
import { caseRef, finalRefusalNotice, preliminaryRefusalNotice, registrationNotice } from '../../domain/notices';
import type { QueuePlacement } from '../../workflows/contract';
import { withTransaction } from '../transaction';
import { queueCaseNotice } from './notices';
import { insertEvent, insertEvents, type CaseEventInput } from './progress';
import { enterQueue, placementOf } from './queue';

type Db = Pool | PoolClient;

/** The row is missing: nothing can be recorded and retrying will not help (the caller fails for good). */
export class CaseRecordMissingError extends Error {
  constructor(applicationId: string) {
    super(`application ${applicationId} has no record`);
    this.name = 'CaseRecordMissingError';
  }
}

export interface PreliminaryDecision {
  applicationId: string;
  events: CaseEventInput[];
  seq: number;
  noticeAt: string;
  hearingAt: string;
  decisionDueAt: string;
  grounds: Ground[];
  categories: CategoryOutcome;
  waitingOn: string[];
  phone: string | null;
}

/** R17: the preliminary decision, its hearing notice in the outbox, the case HEARING_SCHEDULED. */
export async function recordPreliminaryDecision(pool: Pool, p: PreliminaryDecision): Promise<void> {
  await withTransaction(pool, async (c) => {
    await c.query(
      `INSERT INTO preliminary_decisions (application_id, seq, notice_at, hearing_at, decision_due_at, grounds)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [p.applicationId, p.seq, p.noticeAt, p.hearingAt, p.decisionDueAt, JSON.stringify(p.grounds)],
    );
    await insertEvents(c, p.events);
    await c.query(
      `UPDATE applications SET case_status = 'HEARING_SCHEDULED', decision_due_at = $2, waiting_on = $3, grounds = $4, categories = $5
        WHERE id = $1 AND status = 'ACTIVE'`,
      [p.applicationId, p.decisionDueAt, p.waitingOn, JSON.stringify(p.grounds), JSON.stringify(p.categories)],
    );
    await insertEvent(c, {
      applicationId: p.applicationId,
      eventKey: `preliminary-${p.seq}`,
      at: p.noticeAt,
      kind: 'PRELIMINARY_REFUSAL',
      actor: 'system',
      data: {
        grounds: p.grounds.map((g) => g.id),
        hearingAt: p.hearingAt,
        decisionDueAt: p.decisionDueAt,
        termExtensionReason: 'R17: hearing before a refusal (APPC art. 73)',
      },
    });
    const notice = preliminaryRefusalNotice({ caseRef: caseRef(p.applicationId), grounds: p.grounds, hearingAt: p.hearingAt, decisionDueAt: p.decisionDueAt });
    // Each preliminary decision has its own notice (a second hearing after a new ground).
    await queueCaseNotice(c, p.applicationId, p.noticeAt, notice, p.phone, p.seq === 1 ? '' : `preliminary-${p.seq}`);
  });
}

/** A signature the system made over a decision's canonical form (security/pki/system-signer.ts). */
export interface SystemSignature {
  canonical: string;
  sha256: string;
  cms: string;
  signer: { iin: string | null; bin: string | null; commonName: string; serialNumber: string };
  at: Date;
}

export interface FinalDecision {
  applicationId: string;
  events: CaseEventInput[];
  decidedAt: string;
  decidedBy: string;
  categories: CategoryOutcome;
  reasoning?: string;
  phone: string | null;
  /** The system's signature; absent for an officer's decision (the officer's is found by its content). */
  system?: SystemSignature;
  /** The canonical content an officer's signed form must carry to be this decision's signature. */
  matchesSignedForm: (canonical: string) => boolean;
  /** R16: whether the decision went out within the ceiling, or why the hearing extended it. */
  termCheck: TermCheck;
}

export interface TermCheck {
  ceilingAt: string;
  extendedTo?: string;
  extensionReason?: string;
  met: boolean;
}

/**
 * In the transaction that has just inserted the decision row: stores the system's signature, or
 * finds the officer's signed form of this very decision, and links it to the decision.
 */
async function attachSignature(c: PoolClient, d: Pick<FinalDecision, 'applicationId' | 'decidedBy' | 'system' | 'matchesSignedForm'>): Promise<void> {
  let signedId: number | undefined;
  if (d.system) {
    const s = d.system;
    const res = await c.query<{ id: string }>(
      `INSERT INTO signed_documents (application_id, document_type, document_key, canonical, sha256, cms, signer_ref, signer_iin,
                                     signer_bin, signer_name, certificate_serial, signing_time, received_at)
       VALUES ($1, 'DECISION', $2, $3, $4, $5, 'system', $6, $7, $8, $9, $10, $10)
       ON CONFLICT (application_id, document_key) DO NOTHING RETURNING id`,
      [d.applicationId, `decision:${s.sha256}`, s.canonical, s.sha256, s.cms, s.signer.iin, s.signer.bin, s.signer.commonName, s.signer.serialNumber, s.at],
    );
    signedId = res.rows[0] === undefined ? undefined : Number(res.rows[0].id);
  } else {
    const drafts = await c.query<{ id: string; canonical: string }>(
      `SELECT id, canonical FROM signed_documents WHERE application_id = $1 AND document_type = 'DECISION' AND signer_ref = $2 ORDER BY id DESC`,
      [d.applicationId, d.decidedBy],
    );
    signedId = drafts.rows.map((r) => ({ id: Number(r.id), canonical: r.canonical })).find((r) => d.matchesSignedForm(r.canonical))?.id;
  }
  if (signedId !== undefined) await c.query(`UPDATE decisions SET signed_document_id = $2 WHERE application_id = $1`, [d.applicationId, signedId]);
}

/** Registration: the decision, the queue entry and the notices in one transaction; returns the placement. */
export async function recordRegistration(pool: Pool, d: FinalDecision & { basis: string; dismissedGrounds: Ground[] }): Promise<QueuePlacement> {
  return withTransaction(pool, async (c) => {
    const app = await c.query<{ applicant_iin: string; locality: string; received_at: Date }>(
      `SELECT applicant_iin, locality, received_at FROM applications WHERE id = $1 FOR UPDATE`,
      [d.applicationId],
    );
    if (app.rowCount === 0) throw new CaseRecordMissingError(d.applicationId);
    const { applicant_iin, locality, received_at } = app.rows[0];
    await insertEvents(c, d.events);
    const decided = await c.query(
      `INSERT INTO decisions (application_id, outcome, basis, grounds, categories, decided_at, decided_by, reasoning, term_check)
       VALUES ($1, 'REGISTERED', $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (application_id) DO NOTHING`,
      [d.applicationId, d.basis, JSON.stringify(d.dismissedGrounds), JSON.stringify(d.categories), d.decidedAt, d.decidedBy, d.reasoning ?? null, JSON.stringify(d.termCheck)],
    );
    if (decided.rowCount === 1) await attachSignature(c, d);
    await enterQueue(c, { applicationId: d.applicationId, applicantIin: applicant_iin, locality, receivedAt: received_at, registeredAt: d.decidedAt, categories: d.categories.confirmed });
    await c.query(
      `UPDATE applications SET status = 'REGISTERED', case_status = 'REGISTERED', flags = '{}', waiting_on = '{}', failure = NULL,
              decided_at = $2, categories = $3 WHERE id = $1`,
      [d.applicationId, d.decidedAt, JSON.stringify(d.categories)],
    );
    const placement = await placementOf(c, d.applicationId);
    if (!placement) throw new CaseRecordMissingError(d.applicationId);
    await insertEvent(c, {
      applicationId: d.applicationId,
      eventKey: 'decision',
      at: d.decidedAt,
      kind: 'REGISTERED',
      actor: d.decidedBy,
      data: { registrationNumber: placement.registrationNumber, position: placement.position, basis: d.basis, termCheck: d.termCheck },
    });
    const notice = registrationNotice({
      caseRef: caseRef(d.applicationId),
      registrationNumber: placement.registrationNumber,
      position: placement.position,
      kato: placement.kato,
      confirmed: d.categories.confirmed,
      unconfirmed: d.categories.unconfirmed,
    });
    await queueCaseNotice(c, d.applicationId, d.decidedAt, notice, d.phone);
    const { registeredAt: _registeredAt, ...view } = placement;
    return view;
  });
}

/** The final refusal with every ground, and its notices, in one transaction. */
export async function recordRefusal(pool: Pool, d: FinalDecision & { grounds: Ground[] }): Promise<void> {
  await withTransaction(pool, async (c) => {
    const app = await c.query(`SELECT 1 FROM applications WHERE id = $1 FOR UPDATE`, [d.applicationId]);
    if (app.rowCount === 0) throw new CaseRecordMissingError(d.applicationId);
    await insertEvents(c, d.events);
    const decided = await c.query(
      `INSERT INTO decisions (application_id, outcome, grounds, categories, decided_at, decided_by, reasoning, term_check)
       VALUES ($1, 'REFUSED', $2, $3, $4, $5, $6, $7) ON CONFLICT (application_id) DO NOTHING`,
      [d.applicationId, JSON.stringify(d.grounds), JSON.stringify(d.categories), d.decidedAt, d.decidedBy, d.reasoning ?? null, JSON.stringify(d.termCheck)],
    );
    if (decided.rowCount === 1) await attachSignature(c, d);
    await c.query(
      `UPDATE applications SET status = 'REFUSED', case_status = 'REFUSED', flags = '{}', waiting_on = '{}', failure = NULL,
              decided_at = $2, grounds = $3, categories = $4 WHERE id = $1`,
      [d.applicationId, d.decidedAt, JSON.stringify(d.grounds), JSON.stringify(d.categories)],
    );
    await insertEvent(c, {
      applicationId: d.applicationId,
      eventKey: 'decision',
      at: d.decidedAt,
      kind: 'REFUSED',
      actor: d.decidedBy,
      data: { grounds: d.grounds.map((g) => g.id), termCheck: d.termCheck },
    });
    const notice = finalRefusalNotice({ caseRef: caseRef(d.applicationId), grounds: d.grounds, reasoning: d.reasoning });
    await queueCaseNotice(c, d.applicationId, d.decidedAt, notice, d.phone);
  });
}

export interface DecisionRow {
  outcome: 'REGISTERED' | 'REFUSED';
  grounds: Ground[];
  categories: CategoryOutcome;
  decided_at: Date;
  signed_document_id: number | null;
  term_check: TermCheck | null;
}

export async function findDecision(db: Db, applicationId: string): Promise<DecisionRow | undefined> {
  const res = await db.query<DecisionRow>(
    `SELECT outcome, grounds, categories, decided_at, signed_document_id, term_check FROM decisions WHERE application_id = $1`,
    [applicationId],
  );
  return res.rows[0];
}

export interface PreliminaryRow {
  seq: number;
  notice_at: Date;
  hearing_at: Date;
  decision_due_at: Date;
  grounds: Ground[];
}

export async function latestPreliminary(db: Db, applicationId: string): Promise<PreliminaryRow | undefined> {
  const res = await db.query<PreliminaryRow>(
    `SELECT seq, notice_at, hearing_at, decision_due_at, grounds FROM preliminary_decisions WHERE application_id = $1 ORDER BY seq DESC LIMIT 1`,
    [applicationId],
  );
  return res.rows[0];
}

/**
 * A satisfied complaint cancels the refusal and registers the person (SPEC §8): the refusal is kept
 * in decision_revisions as it was, the decision becomes a registration on basis `R18/R19`, and the
 * queue entry takes the ORIGINAL receivedAt, so the person stands where they would have stood. The
 * categories are those the refusal evaluated. Idempotent: a retry finds the revision and the entry.
 * Returns undefined when the case is not refused (nothing to cancel).
 */
export async function registerAfterComplaint(
  pool: Pool,
  d: { applicationId: string; complaintId: string; decidedAt: string; decidedBy: string; reasoning: string; system: SystemSignature; phone: string | null },
): Promise<QueuePlacement | undefined> {
  return withTransaction(pool, async (c) => {
    const app = await c.query<{ applicant_iin: string; locality: string; received_at: Date; status: string }>(
      `SELECT applicant_iin, locality, received_at, status FROM applications WHERE id = $1 FOR UPDATE`,
      [d.applicationId],
    );
    if (app.rowCount === 0) throw new CaseRecordMissingError(d.applicationId);
    const { applicant_iin, locality, received_at } = app.rows[0];
    const revised = await c.query(`SELECT 1 FROM decision_revisions WHERE application_id = $1 AND complaint_id = $2`, [d.applicationId, d.complaintId]);
    const decision = await c.query<{ outcome: string; categories: CategoryOutcome }>(`SELECT * FROM decisions WHERE application_id = $1`, [d.applicationId]);
    if (revised.rowCount === 0) {
      if (decision.rows[0]?.outcome !== 'REFUSED') return undefined;
      await c.query(`INSERT INTO decision_revisions (application_id, complaint_id, replaced, revised_at) VALUES ($1, $2, $3, $4)`, [
        d.applicationId,
        d.complaintId,
        JSON.stringify(decision.rows[0]),
        d.decidedAt,
      ]);
      await c.query(
        // term_check stays the first decision's: R16's ceiling is about the decision on the application;
        // the complaint's own terms are the complaint's (domain/complaints/terms.ts).
        `UPDATE decisions SET outcome = 'REGISTERED', basis = 'R18/R19', grounds = '[]', decided_at = $2, decided_by = $3, reasoning = $4,
                signed_document_id = NULL WHERE application_id = $1`,
        [d.applicationId, d.decidedAt, d.decidedBy, d.reasoning],
      );
      await attachSignature(c, { applicationId: d.applicationId, decidedBy: d.decidedBy, system: d.system, matchesSignedForm: () => false });
    }
    const categories = decision.rows[0].categories;
    await enterQueue(
      c,
      { applicationId: d.applicationId, applicantIin: applicant_iin, locality, receivedAt: received_at, registeredAt: d.decidedAt, categories: categories.confirmed },
      'RESTORED',
    );
    await c.query(
      `UPDATE applications SET status = 'REGISTERED', case_status = 'REGISTERED', flags = '{}', waiting_on = '{}', failure = NULL, decided_at = $2
        WHERE id = $1`,
      [d.applicationId, d.decidedAt],
    );
    const placement = await placementOf(c, d.applicationId);
    if (!placement) throw new CaseRecordMissingError(d.applicationId);
    await insertEvent(c, {
      applicationId: d.applicationId,
      eventKey: `decision:complaint:${d.complaintId}`,
      at: d.decidedAt,
      kind: 'REGISTERED',
      actor: d.decidedBy,
      data: { registrationNumber: placement.registrationNumber, position: placement.position, basis: 'R18/R19', complaintId: d.complaintId },
    });
    const notice = registrationNotice({
      caseRef: caseRef(d.applicationId),
      registrationNumber: placement.registrationNumber,
      position: placement.position,
      kato: placement.kato,
      confirmed: categories.confirmed,
      unconfirmed: categories.unconfirmed,
    });
    await queueCaseNotice(c, d.applicationId, d.decidedAt, notice, d.phone, `complaint:${d.complaintId}`);
    const { registeredAt: _registeredAt, ...view } = placement;
    return view;
  });
}
