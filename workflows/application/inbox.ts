/**
 * What people ask of a running case, in the order it was asked. Each update handler puts its action
 * here and waits; the procedure takes the actions one at a time between its steps (so a step never
 * races a handler), and answers every action taken once the case rests again — in a status that
 * waits for somebody, or decided — so the answer carries the status after the action.
 */
import type { ConsentGiven } from '../../domain/application';
import type { HearingOutcomeInput, ReportRef, ReportReviewInput } from '../contract';

export type CaseActionTaken =
  | { kind: 'POSITION'; actor: string; text: string }
  | { kind: 'CONSENT'; actor: string; codes: ConsentGiven['code'][] }
  | { kind: 'RECHECK'; actor: string; reason?: string }
  | { kind: 'REPORT'; actor: string; report: ReportRef }
  | { kind: 'REVIEW'; review: ReportReviewInput }
  | { kind: 'OUTCOME'; outcome: HearingOutcomeInput }
  | { kind: 'WITHDRAWAL'; actor: string; code: 'C1' | 'C2' }
  | { kind: 'FINAL_SIGNATURE'; actor: string }
  | { kind: 'RETRY'; actor: string };

interface Entry {
  action: CaseActionTaken;
  taken: boolean;
  answered: boolean;
}

export class Inbox {
  private readonly entries: Entry[] = [];

  /** Queues an action; the returned entry is answered once the case rests after taking it. */
  put(action: CaseActionTaken): { readonly answered: boolean } {
    const entry: Entry = { action, taken: false, answered: false };
    this.entries.push(entry);
    return entry;
  }

  hasWaiting(kind?: CaseActionTaken['kind']): boolean {
    return this.entries.some((e) => !e.taken && (kind === undefined || e.action.kind === kind));
  }

  /** The oldest action not yet taken (of `kind`, if given), marked taken. */
  take(kind?: CaseActionTaken['kind']): CaseActionTaken | undefined {
    const entry = this.entries.find((e) => !e.taken && (kind === undefined || e.action.kind === kind));
    if (!entry) return undefined;
    entry.taken = true;
    return entry.action;
  }

  /** The case rests: every action taken so far is answered. */
  answerTaken(): void {
    for (const e of this.entries) if (e.taken) e.answered = true;
    this.prune();
  }

  /** The case is decided: everything still waiting is answered with the decision. */
  answerAll(): void {
    for (const e of this.entries) {
      e.taken = true;
      e.answered = true;
    }
    this.prune();
  }

  private prune(): void {
    for (let i = this.entries.length - 1; i >= 0; i--) if (this.entries[i].answered) this.entries.splice(i, 1);
  }
}
