/**
 * The final decision (SPEC §7, R16, R17): registration in the queue or the final refusal with every
 * ground, each written with its notices in one transaction (activities/case-activities.ts), then
 * the notices delivered. A decision by the system is signed with the provider's key; an officer's
 * by the officer.
 */
import type { TermCheck } from '../../../db/cases/decisions';
import type { Ground } from '../../../domain/application';
import { decisions } from '../activities';
import { iso, type CaseFile } from '../case-file';
import type { Inbox } from '../inbox';
import { attempt, markSaved } from '../record';

/** R16: every decision passes the ceiling check; the hearing's extension is its recorded reason (R17). */
function termCheckOf(c: CaseFile, decidedAtMs: number): TermCheck {
  const r = c.terms.r16Check({
    acceptedAtMs: c.acceptedAtMs,
    decidedAtMs,
    ...(c.hearingExtendsTermToMs !== undefined ? { extendedByHearingToMs: c.hearingExtendsTermToMs } : {}),
  });
  return {
    ceilingAt: iso(r.ceilingAtMs),
    ...(r.extendedToMs !== undefined ? { extendedTo: iso(r.extendedToMs), extensionReason: r.extensionReason } : {}),
    met: r.met,
  };
}

/** The decision is written: the case is closed to actions, every waiting action is answered, the notices go out. */
async function decided(c: CaseFile, inbox: Inbox, decision: NonNullable<CaseFile['decision']>): Promise<void> {
  c.status = decision.outcome;
  c.decision = decision;
  c.flags.clear();
  c.waitingOn = [];
  markSaved(c);
  c.publish();
  inbox.answerAll();
  c.notices = await decisions.deliverNotices(c.id);
}

/**
 * Registers the applicant: R7.1 (by the system), R7.2 (after the operator accepted the report), or
 * by the officer after the hearing (`dismissed`: the grounds the officer set aside, kept with it).
 */
export async function register(
  c: CaseFile,
  inbox: Inbox,
  d: { by: string; basis: 'R7.1' | 'R7.2'; dismissed?: Ground[]; reasoning?: string },
): Promise<void> {
  // Dated when written: a step held for an administrator is decided at the retry.
  let decidedAtMs = Date.now();
  const placement = await attempt(c, inbox, 'registerApplicant', () =>
    c.deciding('REGISTERED', (events) =>
      decisions.registerApplicant({
        applicationId: c.id,
        events,
        decidedAt: iso((decidedAtMs = Date.now())),
        decidedBy: d.by,
        basis: d.basis,
        categories: c.categories,
        dismissedGrounds: d.dismissed ?? [],
        ...(d.reasoning ? { reasoning: d.reasoning } : {}),
        recipient: c.recipient(),
        termCheck: termCheckOf(c, decidedAtMs),
      }),
    ),
  );
  c.queue = placement;
  await decided(c, inbox, { outcome: 'REGISTERED', at: iso(decidedAtMs), by: d.by, grounds: [] });
}

/** The final refusal with every ground that stands (SPEC §5: each with its facts). */
export async function refuse(c: CaseFile, inbox: Inbox, d: { by: string; reasoning?: string }): Promise<void> {
  let decidedAtMs = Date.now();
  await attempt(c, inbox, 'finaliseRefusal', () =>
    c.deciding('REFUSED', (events) =>
      decisions.finaliseRefusal({
        applicationId: c.id,
        events,
        decidedAt: iso((decidedAtMs = Date.now())),
        decidedBy: d.by,
        grounds: c.grounds,
        categories: c.categories,
        ...(d.reasoning ? { reasoning: d.reasoning } : {}),
        recipient: c.recipient(),
        termCheck: termCheckOf(c, decidedAtMs),
      }),
    ),
  );
  await decided(c, inbox, { outcome: 'REFUSED', at: iso(decidedAtMs), by: d.by, grounds: c.groundIds() });
}
