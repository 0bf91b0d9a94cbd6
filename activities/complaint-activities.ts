/**
 * The complaint's activities (R18, R19): thin calls into db/complaints and db/cases, which own the
 * SQL. Each is idempotent: steps are keyed per complaint, the case file is one signed document per
 * complaint, and the remedy finds its own revision on a retry.
 */
import type { Pool } from 'pg';
import { ApplicationFailure } from '@temporalio/common';
import * as cases from '../db/cases';
import * as complaints from '../db/complaints';
import type { ComplaintRemedy } from '../domain/complaints/procedure';
import { toAlmatyIso } from '../domain/time';
import { decisionDocument, type CaseFileDocument, SIGNED_DOCUMENT_VERSION } from '../security/pki/signed-documents';
import { signBySystem } from './case-activities';
import { lazySystemSigner, type SystemSigner } from '../security/pki/system-signer';
import type { QueuePlacement } from '../workflows/contract';

export type ComplaintStepInput = Omit<complaints.ComplaintStep, 'phone'>;

export interface ForwardInput {
  step: ComplaintStepInput;
}

export interface RemedyInput {
  complaintId: string;
  applicationId: string;
  remedy: ComplaintRemedy;
  decidedAt: string;
  decidedBy: string;
  reasons: string;
}

export interface ComplaintActivities {
  /** A step of the complaint: status, timeline entry and notices, in one transaction. */
  recordComplaintStep(input: ComplaintStepInput): Promise<void>;
  /** R19: assembles the administrative case file, signs it with the system key, stores it, and records the forwarding. */
  forwardComplaint(input: ForwardInput): Promise<{ caseFileSha256: string }>;
  /** SPEC §8: a satisfied complaint acts on its case. */
  applyComplaintRemedy(input: RemedyInput): Promise<{ applied: boolean; queue?: QueuePlacement }>;
}

const iso = (d: Date | null | undefined): string | null => (d ? toAlmatyIso(d.getTime()) : null);

/** R19: what the review body receives — everything the case record holds about the case. */
async function assembleCaseFile(pool: Pool, complaintId: string, applicationId: string, at: string): Promise<CaseFileDocument> {
  const row = await cases.findApplication(pool, applicationId);
  if (!row) throw ApplicationFailure.nonRetryable(`application ${applicationId} has no record`, 'CaseRecordMissing');
  const [decision, preliminary, signed, events] = await Promise.all([
    cases.findDecision(pool, applicationId),
    cases.latestPreliminary(pool, applicationId),
    cases.caseSignedDocuments(pool, applicationId),
    cases.caseEvents(pool, applicationId),
  ]);
  return {
    documentType: 'CASE_FILE',
    version: SIGNED_DOCUMENT_VERSION,
    applicationId,
    complaintId,
    assembledAt: at,
    application: { declaration: row.declaration, submittedBy: row.submitted_by, receivedAt: iso(row.received_at), acceptedAt: iso(row.accepted_at), decisionDueAt: iso(row.decision_due_at) },
    grounds: row.grounds,
    categories: row.categories,
    preliminaryDecision: preliminary
      ? { seq: preliminary.seq, noticeAt: iso(preliminary.notice_at), hearingAt: iso(preliminary.hearing_at), grounds: preliminary.grounds }
      : null,
    decision: decision ? { outcome: decision.outcome, grounds: decision.grounds, categories: decision.categories, decidedAt: iso(decision.decided_at), termCheck: decision.term_check } : null,
    // Each signed document with its own CMS, so the review body can verify every one of them.
    signedDocuments: signed.filter((d) => d.document_type !== 'CASE_FILE').map((d) => ({ type: d.document_type, sha256: d.sha256, signer: d.signer_ref, cms: d.cms })),
    // The registry facts are in the timeline (CHECKED and the registry entries), as the case recorded them.
    timeline: events.map((e) => ({ at: toAlmatyIso(e.at.getTime()), kind: e.kind, actor: e.actor, data: e.data })),
  };
}

export function createComplaintActivities(pool: Pool, options: { systemSigner?: () => Promise<SystemSigner> } = {}): ComplaintActivities {
  const signer = options.systemSigner ?? lazySystemSigner();
  return {
    async recordComplaintStep(input) {
      const phone = input.notice ? await complaints.casePhone(pool, input.applicationId) : null;
      await complaints.recordComplaintStep(pool, { ...input, phone });
    },

    async forwardComplaint({ step }) {
      const doc = await assembleCaseFile(pool, step.complaintId, step.applicationId, step.at);
      const signature = await signBySystem(signer, doc);
      const stored = await cases.storeSignedDocument(pool, step.applicationId, {
        documentType: 'CASE_FILE',
        // One case file per complaint: a retry finds the first one (assembled from the same record).
        documentKey: `case-file:${step.complaintId}`,
        canonical: signature.canonical,
        sha256: signature.sha256,
        cms: signature.cms,
        signerRef: 'system',
        signerIin: signature.signer.iin,
        signerBin: signature.signer.bin,
        signerName: signature.signer.commonName,
        certificateSerial: signature.signer.serialNumber,
        signingTime: signature.at,
        receivedAt: signature.at,
      });
      const phone = await complaints.casePhone(pool, step.applicationId);
      await complaints.recordComplaintStep(pool, { ...step, set: { ...step.set, caseFileDocumentId: stored.id }, data: { ...step.data, caseFileSha256: signature.sha256 }, phone });
      return { caseFileSha256: signature.sha256 };
    },

    async applyComplaintRemedy(input) {
      if (input.remedy === 'ACTION_TAKEN') return { applied: true }; // taken in the case itself; the complaint records it
      const decision = await cases.findDecision(pool, input.applicationId);
      const doc = decisionDocument({
        applicationId: input.applicationId,
        outcome: 'REGISTERED',
        grounds: [],
        categories: decision?.categories ?? { confirmed: [], unconfirmed: [] },
        reasoning: `R18/R19: complaint ${input.complaintId} satisfied — ${input.reasons}`,
        decidedAt: input.decidedAt,
        decidedBy: input.decidedBy,
      });
      const system = await signBySystem(signer, doc);
      const phone = await complaints.casePhone(pool, input.applicationId);
      const queue = await cases.registerAfterComplaint(pool, {
        applicationId: input.applicationId,
        complaintId: input.complaintId,
        decidedAt: input.decidedAt,
        decidedBy: input.decidedBy,
        reasoning: doc.reasoning!,
        system,
        phone,
      });
      return queue ? { applied: true, queue } : { applied: false };
    },
  };
}
