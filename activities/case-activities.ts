/**
 * The case record's activities: thin calls into db/cases, which owns the SQL. Each is one
 * transaction, and every write is keyed so a retry is a no-op.
 *
 * Final decisions are signed (R17; docs/eds.md "Signed documents"). An automated decision (decidedBy
 * `system`, or one following an operator's review) is signed here with the provider's system key
 * (security/pki/system-signer.ts) — CPU work, done before the transaction; a hearing officer's
 * decision carries the officer's own signature, which the API verified and stored, and which the
 * decision's transaction links.
 *
 * A write the database refuses on its data (a value it cannot store, a broken constraint) fails as
 * non-retryable: retrying cannot mend it, and the workflow then holds the case visibly for an
 * administrator (workflows/application/record.ts) instead of retrying for ever.
 */
import type { Pool } from 'pg';
import { ApplicationFailure } from '@temporalio/common';
import type { Ground } from '../domain/application';
import * as cases from '../db/cases';
import { caseRef, categoryRecheckNotice, overdueNotice } from '../domain/notices';
import { canonicalJson } from '../security/pki/cms';
import { canonicalFormOf, decisionDocument, type DecisionDocument, type SignedDocument } from '../security/pki/signed-documents';
import { lazySystemSigner, type SystemSigner } from '../security/pki/system-signer';
import type { CaseActivities } from './types';

/**
 * SQLSTATE class 22 (data exception: e.g. a NUL byte, an invalid encoding, a value out of range) and
 * the integrity violations that are not the idempotency keys' own conflicts.
 */
function isDataRefusal(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code === '23502' || code === '23514');
}

async function finalOnDataErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof cases.CaseRecordMissingError) throw ApplicationFailure.nonRetryable(err.message, 'CaseRecordMissing');
    // A timeline entry or a document for a case with no record: retrying will not bring the record back.
    if ((err as { code?: unknown }).code === '23503') throw ApplicationFailure.nonRetryable('the case has no record', 'CaseRecordMissing');
    if (isDataRefusal(err)) {
      // The SQLSTATE only: the message may quote the refused value.
      throw ApplicationFailure.nonRetryable(`the database refused the case's data (SQLSTATE ${(err as { code: string }).code})`, 'CaseDataRejected');
    }
    throw err;
  }
}

function decisionOf(
  input: { applicationId: string; decidedAt: string; decidedBy: string; reasoning?: string; categories: { confirmed: string[]; unconfirmed: string[] } },
  outcome: DecisionDocument['outcome'],
  grounds: readonly Ground[],
): DecisionDocument {
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

/** The provider's system key over a document's canonical form (decisions, and a complaint's case file). */
export async function signBySystem(signer: () => Promise<SystemSigner>, doc: SignedDocument): Promise<cases.SystemSignature> {
  const key = await signer();
  const form = canonicalFormOf(doc);
  const p = key.certificate.parsed;
  return {
    canonical: form.canonical,
    sha256: form.sha256,
    cms: key.sign(form.bytes),
    signer: { iin: p.iin ?? null, bin: p.bin ?? null, commonName: p.commonName, serialNumber: p.serialNumber },
    at: new Date(),
  };
}

/** The decision's content but for decidedAt: what the officer signed must be what is recorded. */
const decisionContent = (d: Partial<DecisionDocument>): string =>
  canonicalJson({ applicationId: d.applicationId, outcome: d.outcome, grounds: d.grounds, categories: d.categories, reasoning: d.reasoning, decidedBy: d.decidedBy });

function signedFormMatcher(doc: DecisionDocument): (canonical: string) => boolean {
  const want = decisionContent(doc);
  return (canonical) => {
    try {
      return decisionContent(JSON.parse(canonical) as Partial<DecisionDocument>) === want; // canonical JSON written by the API
    } catch {
      return false;
    }
  };
}

export interface CaseActivityOptions {
  /** The provider's system signing key for automated decisions; default from the environment. */
  systemSigner?: () => Promise<SystemSigner>;
}

export function createCaseActivities(pool: Pool, options: CaseActivityOptions = {}): CaseActivities {
  const systemSigner = options.systemSigner ?? lazySystemSigner();
  return {
    async recordAcceptance(input) {
      const accepted = await finalOnDataErrors(() => cases.recordAcceptance(pool, input));
      // The API writes the application row before it starts the workflow; without it nothing can be recorded.
      if (!accepted) throw ApplicationFailure.nonRetryable(`application ${input.applicationId} has no record`, 'CaseRecordMissing');
      return { ownQueueActive: accepted.ownQueueActive };
    },

    async recordCaseProgress(input) {
      await finalOnDataErrors(() => cases.recordProgress(pool, input));
    },

    async recordCategoryRecheck(input) {
      return finalOnDataErrors(() =>
        cases.recordCategoryRecheck(pool, { ...input, notice: (r) => categoryRecheckNotice({ caseRef: caseRef(input.applicationId), ...r }) }),
      );
    },

    async queueSmsNotice(input) {
      await finalOnDataErrors(() =>
        cases.queueNotice(pool, {
          applicationId: input.applicationId,
          kind: input.kind,
          channel: 'SMS',
          dedupeKey: input.dedupeKey,
          issuedAt: input.at,
          recipient: input.phone,
          body: input.text,
          status: input.phone ? 'PENDING' : 'NO_PHONE',
        }),
      );
    },

    async recordOverdue(input) {
      const notice = overdueNotice({ caseRef: caseRef(input.progress.applicationId), dueAt: input.dueAt });
      await finalOnDataErrors(() => cases.recordOverdue(pool, { ...input, notice }));
    },

    async recordPreliminaryDecision(input) {
      const { recipient, ...rest } = input;
      await finalOnDataErrors(() => cases.recordPreliminaryDecision(pool, { ...rest, phone: recipient.phone }));
    },

    async registerApplicant(input) {
      const doc = decisionOf(input, 'REGISTERED', input.dismissedGrounds);
      const system = byOfficer(input.decidedBy) ? undefined : await signBySystem(systemSigner, doc);
      const { recipient, ...rest } = input;
      return finalOnDataErrors(() =>
        cases.recordRegistration(pool, { ...rest, phone: recipient.phone, ...(system ? { system } : {}), matchesSignedForm: signedFormMatcher(doc) }),
      );
    },

    async finaliseRefusal(input) {
      const doc = decisionOf(input, 'REFUSED', input.grounds);
      const system = byOfficer(input.decidedBy) ? undefined : await signBySystem(systemSigner, doc);
      const { recipient, ...rest } = input;
      await finalOnDataErrors(() =>
        cases.recordRefusal(pool, { ...rest, phone: recipient.phone, ...(system ? { system } : {}), matchesSignedForm: signedFormMatcher(doc) }),
      );
    },
  };
}
