/**
 * Taking one action a person sent the case (R17, R13, A1.8.2, A1.9.4): the case changes, the
 * timeline says so, and the grounds are evaluated again where the action bears on them. What comes
 * next is the procedure's to choose (domain/procedure/next-step.ts), not the action's.
 */
import type { CaseFile } from '../case-file';
import { iso } from '../case-file';
import type { CaseActionTaken } from '../inbox';
import { gatherFacts } from './facts';

export async function takeAction(c: CaseFile, a: CaseActionTaken): Promise<void> {
  switch (a.kind) {
    case 'POSITION':
      // R17: the position is part of the case record, for the officer who holds the hearing.
      c.positionStated = true;
      c.flags.add('POSITION_STATED');
      c.note('POSITION_STATED', a.actor, { text: a.text });
      return;
    case 'CONSENT':
      for (const code of a.codes) {
        if (!c.declaration.consents.some((g) => g.code === code)) c.declaration.consents.push({ code, givenAt: iso(Date.now()) });
      }
      c.note('CONSENT_GIVEN', a.actor, { codes: a.codes });
      c.evaluate();
      return;
    case 'RECHECK':
      // R17, R9: every registry is read again (a state body may have corrected its data).
      c.note('RECHECK_REQUESTED', a.actor, a.reason ? { reason: a.reason } : undefined);
      c.facts = await gatherFacts(c);
      c.evaluate();
      c.note('RECHECKED', 'system', { grounds: c.groundIds() });
      return;
    case 'REPORT':
      // A1.8.2: each upload is a version of its own; a review was of the version before.
      c.report = a.report;
      c.reportAcceptedBy = undefined;
      c.reportRejection = undefined;
      c.flags.add('REPORT_UPLOADED');
      c.note('TECHNICAL_REPORT_UPLOADED', a.actor, {
        version: a.report.version,
        sha256: a.report.sha256,
        reportNumber: a.report.reportNumber,
        propertyId: a.report.propertyId,
      });
      // Its number and dwelling must match the registry's emergency recognition (R15.6).
      if (c.facts) c.evaluate();
      return;
    case 'REVIEW': {
      const r = a.review;
      c.note('TECHNICAL_REPORT_REVIEWED', r.actor, { accepted: r.accepted, version: c.report?.version, ...(r.reason ? { reason: r.reason } : {}) });
      if (r.accepted) c.reportAcceptedBy = r.actor;
      else c.reportRejection = { reason: r.reason ?? '', by: r.actor };
      c.evaluate();
      return;
    }
    case 'OUTCOME':
      c.note('HEARING_OUTCOME', a.outcome.actor, { outcome: a.outcome.outcome, reasoning: a.outcome.reasoning });
      c.officerOutcome = a.outcome;
      return;
    case 'WITHDRAWAL':
      // A1.9.4: the consent already left the declaration (the update's handler); the ground follows.
      c.evaluate();
      c.note('CONSENT_WITHDRAWAL_APPLIED', 'system', { code: a.code, grounds: c.groundIds() });
      return;
    case 'FINAL_SIGNATURE':
      // R17: the authorised officer signs the refusal (their signed form was stored by the API).
      c.note('FINAL_REFUSAL_SIGNED', a.actor);
      c.finalRefusalSignedBy = a.actor;
      return;
    case 'RETRY':
      // Taken by the held step itself (workflows/application/record.ts `attempt`).
      return;
  }
}
