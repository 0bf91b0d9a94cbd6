/**
 * One workflow per complaint (R18, R19; SPEC §8). It reads as the procedure:
 *
 *   received → registered (SPEC §2 acceptance rule) → with the provider's head, who may satisfy it
 *   fully within 3 working days of receipt (R19): then it acts on the case and is not forwarded;
 *   otherwise, at the head's word or when that term ends, it is forwarded with the signed
 *   administrative case file → the review body registers it and decides within 15 working days
 *   (R18): satisfied, partly, or refused; a satisfied complaint acts on the case → the final notice
 *   says the court is open now (R19) and where to ask (A1.10.2).
 *
 * Every term comes from domain/complaints/terms.ts on the reference data pinned at receipt. The
 * review body's term passing does not close the complaint: it is flagged OVERDUE (search attribute
 * ComplaintFlags) and waits for the decision. State, messages and recording: steps.ts.
 */
import { allHandlersFinished, condition } from '@temporalio/workflow';
import { complaintDecidedNotice, complaintForwardedNotice, complaintRef, complaintRegisteredNotice, complaintSatisfiedByProviderNotice } from '../../domain/complaints/notices';
import { complaintTerms, reviewBodyTerms } from '../../domain/complaints/terms';
import { parseInstant } from '../../domain/time';
import type { ComplaintState, ComplaintWorkflowInput } from './contract';
import { Complaint, installComplaintMessages, iso, record } from './steps';

export async function complaintWorkflow(input: ComplaintWorkflowInput): Promise<ComplaintState> {
  const t = complaintTerms(input.reference, parseInstant(input.receivedAt));
  const c = new Complaint(input, t);
  const ref = complaintRef(input.complaintId);
  installComplaintMessages(c);
  c.publish();

  // ---- Registration (SPEC §8: the §2 acceptance rule) ----
  await until(() => false, t.registeredAtMs);
  c.status = 'WITH_PROVIDER';
  await c.step('REGISTERED', 'system', {
    notice: complaintRegisteredNotice({ ref, registeredAt: iso(t.registeredAtMs), providerDecisionDueAt: iso(t.providerDecisionDueAtMs), forwardDueAt: iso(t.forwardDueAtMs) }),
  });

  // ---- The head, until the forwarding term ends (R19) ----
  await until(() => c.provider !== undefined, t.forwardDueAtMs);
  const p = c.provider;
  if (p?.outcome === 'SATISFIED') {
    const at = iso(Date.now());
    await record.applyComplaintRemedy({ complaintId: input.complaintId, applicationId: input.applicationId, remedy: p.remedy!, decidedAt: at, decidedBy: p.actor, reasons: p.reasons });
    c.status = 'SATISFIED_BY_PROVIDER';
    c.remedy = p.remedy;
    await c.step('SATISFIED_BY_PROVIDER', p.actor, {
      set: { providerOutcome: 'SATISFIED', providerDecidedBy: p.actor, providerDecidedAt: at, providerReasons: p.reasons, remedy: p.remedy!, closedAt: at },
      notice: complaintSatisfiedByProviderNotice({ ref, at, remedy: p.remedy!, reasons: p.reasons }),
    });
    return done(c);
  }

  // ---- Forwarded with the administrative case file (R19) ----
  c.forwardedAtMs = Date.now();
  const rb = reviewBodyTerms(input.reference, c.forwardedAtMs);
  c.reviewBodyRegisteredAtMs = rb.reviewBodyRegisteredAtMs;
  c.reviewBodyDecisionDueAtMs = rb.reviewBodyDecisionDueAtMs;
  c.status = 'FORWARDED';
  c.publish();
  const forwardedAt = iso(c.forwardedAtMs);
  await record.forwardComplaint({
    step: {
      complaintId: input.complaintId,
      applicationId: input.applicationId,
      at: forwardedAt,
      step: 'FORWARDED',
      status: 'FORWARDED',
      flags: [],
      actor: p ? p.actor : 'system',
      data: { by: p ? 'head' : 'term' },
      set: {
        ...(p ? { providerOutcome: 'FORWARD', providerDecidedBy: p.actor, providerDecidedAt: forwardedAt, providerReasons: p.reasons } : {}),
        forwardedAt,
        reviewBodyRegisteredAt: iso(rb.reviewBodyRegisteredAtMs),
        reviewBodyDecisionDueAt: iso(rb.reviewBodyDecisionDueAtMs),
      },
      notice: complaintForwardedNotice({ ref, forwardedAt, reviewBodyRegisteredAt: iso(rb.reviewBodyRegisteredAtMs), reviewBodyDecisionDueAt: iso(rb.reviewBodyDecisionDueAtMs) }),
    },
  });
  c.recorded = 'FORWARDED';
  await record.deliverNotices(input.applicationId);

  // ---- The review body (R18): its term passing flags the complaint, which still waits ----
  if (!(await until(() => c.reviewBody !== undefined, rb.reviewBodyDecisionDueAtMs))) {
    c.flags = ['OVERDUE'];
    await c.step('OVERDUE', 'system', { data: { dueAt: iso(rb.reviewBodyDecisionDueAtMs) } });
    await condition(() => c.reviewBody !== undefined);
  }
  const r = c.reviewBody!;
  const at = iso(Date.now());
  const acts = r.outcome !== 'REFUSED' && r.remedy !== undefined;
  if (acts) await record.applyComplaintRemedy({ complaintId: input.complaintId, applicationId: input.applicationId, remedy: r.remedy!, decidedAt: at, decidedBy: r.actor, reasons: r.reasons });
  c.status = 'DECIDED';
  c.flags = [];
  if (acts) c.remedy = r.remedy;
  await c.step('DECIDED', r.actor, {
    set: { reviewOutcome: r.outcome, reviewDecidedBy: r.actor, reviewDecidedAt: at, reviewReasons: r.reasons, ...(acts ? { remedy: r.remedy! } : {}), closedAt: at },
    notice: complaintDecidedNotice({ ref, at, outcome: r.outcome, ...(acts ? { remedy: r.remedy! } : {}), reasons: r.reasons }),
  });
  return done(c);
}

/** Waits for `ready` until the instant `atMs` at the latest (at once if it has passed); true when ready. */
async function until(ready: () => boolean, atMs: number): Promise<boolean> {
  const left = atMs - Date.now();
  return left > 0 ? condition(ready, left) : ready();
}

async function done(c: Complaint): Promise<ComplaintState> {
  await condition(allHandlersFinished);
  return c.view();
}
