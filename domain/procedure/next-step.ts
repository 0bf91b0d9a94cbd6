/**
 * The procedure's order (SPEC §7), as a pure function of where a case stands: what comes next once
 * the facts are evaluated and every action received so far has been taken into account. The
 * application workflow runs this in a loop — the one way a case moves from a step to another — so
 * no step calls another, and a new ground, a cleared one or a withdrawn consent all re-enter the
 * procedure at the same place.
 */
import type { CasePath } from '../application';

export interface ProcedurePosition {
  path: CasePath;
  /**
   * A1.7.2: the application is accepted (its acceptance instant has come). One received out of hours
   * may be checked early, but nothing is decided or notified before it is accepted.
   */
  accepted: boolean;
  /** Any refusal ground stands after the latest evaluation (SPEC §5). */
  groundsFound: boolean;
  /** R7.2: the expert's technical report (A1.8.2) and the operator's verdict on it (R13). */
  report: 'NONE' | 'UPLOADED' | 'ACCEPTED';
  /**
   * R17: no preliminary decision yet; one issued and its hearing still ahead; or the hearing's time
   * has come (whether or not a ground stood then: the person was heard, or had the chance to be).
   */
  hearing: 'NONE' | 'AHEAD' | 'HELD';
  /** R17: the applicant stated a position before the hearing. */
  positionStated: boolean;
  /** R17: the officer's outcome, once recorded. */
  officerOutcome?: 'REGISTER' | 'REFUSE';
  /**
   * R17: who signs the refusal after a hearing without a position (interpretation
   * `finalRefusalSignedBy`), and the officer who signed it, once they have.
   */
  finalRefusal: { signedBy: 'officer' | 'system'; signedByOfficer?: string };
}

export type NextStep =
  /** A1.7.2: received out of hours — the result is issued when it is accepted. */
  | { step: 'AWAIT_ACCEPTANCE' }
  /** No ground: registration — at once on R7.1, after the accepted report on R7.2 (R7, R13). */
  | { step: 'REGISTER'; basis: 'R7.1' | 'R7.2' }
  /** R7.2: wait for the applicant's technical report (A1.8.2). */
  | { step: 'AWAIT_REPORT' }
  /** R7.2: the operator reviews the report (R13, A1.8.2). */
  | { step: 'REVIEW_REPORT' }
  /** R17: a ground stands and nobody was told yet: preliminary decision and hearing notice. */
  | { step: 'PRELIMINARY_DECISION' }
  /** R17: until the hearing the applicant may act; a new ground joins the hearing already notified. */
  | { step: 'HEARING_PERIOD' }
  /** R17: the hearing is held and a position was stated: the authorised officer decides. */
  | { step: 'OFFICER_DECIDES' }
  /** R17: the officer's outcome, carried out. */
  | { step: 'OFFICER_DECISION'; outcome: 'REGISTER' | 'REFUSE' }
  /** R17: the hearing is held and no position was stated: an authorised officer is to sign the refusal. */
  | { step: 'AWAIT_FINAL_SIGNATURE' }
  /** R17: the refusal is finalised — signed by the officer, or by the system where the interpretation says so. */
  | { step: 'FINAL_REFUSAL'; by: string };

export function nextStep(p: ProcedurePosition): NextStep {
  if (!p.accepted) return { step: 'AWAIT_ACCEPTANCE' };
  if (p.officerOutcome) return { step: 'OFFICER_DECISION', outcome: p.officerOutcome };
  if (!p.groundsFound) {
    if (p.path === 'NO_HOUSING') return { step: 'REGISTER', basis: 'R7.1' };
    if (p.report === 'ACCEPTED') return { step: 'REGISTER', basis: 'R7.2' };
    return p.report === 'UPLOADED' ? { step: 'REVIEW_REPORT' } : { step: 'AWAIT_REPORT' };
  }
  if (p.hearing === 'NONE') return { step: 'PRELIMINARY_DECISION' };
  if (p.hearing === 'AHEAD') return { step: 'HEARING_PERIOD' };
  if (p.positionStated) return { step: 'OFFICER_DECIDES' };
  if (p.finalRefusal.signedBy === 'system') return { step: 'FINAL_REFUSAL', by: 'system' };
  return p.finalRefusal.signedByOfficer ? { step: 'FINAL_REFUSAL', by: p.finalRefusal.signedByOfficer } : { step: 'AWAIT_FINAL_SIGNATURE' };
}
