/**
 * Every term and due instant of the procedure, computed in this one place from a case's pinned
 * reference data (SPEC §2, §7, §8). The API (the answer to a submission), the search attributes
 * and the workflow all take their instants from here.
 */
import type { CasePath } from '../application';
import { almatyDate, almatyInstant } from '../time';
import type { ReferenceSnapshot } from './reference';
import { WorkingCalendar } from './working-calendar';

export interface CaseTerms {
  /** When the portal received the application: its place in the queue (SPEC §7). */
  receivedAtMs: number;
  /** When the term starts (A1.7.2, SPEC §2). */
  acceptedAtMs: number;
  /** R13's term: 18:30 on the 1st (R7.1) or 3rd (R7.2) working day after the acceptance day. */
  decisionDueAtMs: number;
}

export interface HearingTerms {
  /** R17: 11:00 on the 2nd working day after the notice day. */
  hearingAtMs: number;
  /** R17: the term extended to 18:30 on the 3rd working day after the notice day. */
  extendedDecisionDueAtMs: number;
}

/** Whether a decision went out within R16's ceiling (or the hearing's extension of it). */
export interface R16Check {
  ceilingAtMs: number;
  extendedToMs?: number;
  extensionReason?: string;
  met: boolean;
}

export class Terms {
  readonly calendar: WorkingCalendar;
  private readonly i: ReferenceSnapshot['interpretations'];

  constructor(reference: ReferenceSnapshot) {
    this.calendar = new WorkingCalendar(reference.calendar);
    this.i = reference.interpretations;
  }

  /**
   * A1.7.2 acceptance — SPEC §2 Interpretation: received on a working day in [09:00, 18:30) →
   * accepted at receipt; before 09:00 on a working day → 09:00 that day; otherwise 09:00 of the next
   * working day. The lunch break (A1.7.1) does not delay acceptance: the portal accepts electronically.
   */
  acceptance(receivedAtMs: number): number {
    const { start, end } = this.i.workingHours;
    const day = almatyDate(receivedAtMs);
    if (this.calendar.isWorkingDay(day)) {
      const opens = almatyInstant(day, start);
      if (receivedAtMs < opens) return opens;
      if (receivedAtMs < almatyInstant(day, end)) return receivedAtMs;
    }
    return almatyInstant(this.calendar.nextWorkingDay(day), start);
  }

  /** R13: the decision term in working days — 1 for the automated R7.1 path, 3 for R7.2. */
  decisionTermDays(path: CasePath): number {
    return path === 'NO_HOUSING' ? this.i.automatedTermWorkingDays : this.i.emergencyTermWorkingDays;
  }

  /** SPEC §2 Interpretation: a term of N working days ends at 18:30 on the N-th working day after the day of `fromMs`. */
  termEnd(fromMs: number, workingDays: number): number {
    if (!Number.isInteger(workingDays) || workingDays < 1) {
      throw new RangeError(`A term must be a positive whole number of working days: ${workingDays}`);
    }
    return this.calendar.endOfNthWorkingDayAfter(fromMs, workingDays, this.i.termEndTime);
  }

  /** The instants a new case starts with (SPEC §2, R13). */
  caseTerms(receivedAtMs: number, path: CasePath): CaseTerms {
    const acceptedAtMs = this.acceptance(receivedAtMs);
    return { receivedAtMs, acceptedAtMs, decisionDueAtMs: this.termEnd(acceptedAtMs, this.decisionTermDays(path)) };
  }

  /**
   * R16: the decision goes out no later than 3 working days from the day the application was filed
   * — interpretation `r16CeilingWorkingDays` counted from acceptance (A1.7.2: an application is
   * filed with the provider when accepted), ending 18:30 as every term (SPEC §2). R17's hearing may
   * extend it; the decision then says so.
   */
  r16Check(c: { acceptedAtMs: number; decidedAtMs: number; extendedByHearingToMs?: number }): R16Check {
    const ceilingAtMs = this.termEnd(c.acceptedAtMs, this.i.r16CeilingWorkingDays);
    const limitMs = Math.max(ceilingAtMs, c.extendedByHearingToMs ?? 0);
    return {
      ceilingAtMs,
      ...(c.extendedByHearingToMs !== undefined && c.extendedByHearingToMs > ceilingAtMs
        ? { extendedToMs: c.extendedByHearingToMs, extensionReason: 'R17: hearing before a refusal (APPC art. 73)' }
        : {}),
      met: c.decidedAtMs <= limitMs,
    };
  }

  /** R17 (APPC art. 73) — SPEC §7 Interpretation: the hearing and the extended term, from the notice. */
  hearing(noticeAtMs: number): HearingTerms {
    return {
      hearingAtMs: this.calendar.endOfNthWorkingDayAfter(noticeAtMs, this.i.hearingWithinWorkingDays, this.i.hearingTime),
      extendedDecisionDueAtMs: this.termEnd(noticeAtMs, this.i.extendedDecisionWorkingDays),
    };
  }
}
