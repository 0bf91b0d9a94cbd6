/**
 * One workflow per application (Rules chapter 2, SPEC §7). It reads as the procedure:
 *
 *   accept (SPEC §2, A1.7.2) → the registries' facts (SPEC §10) → evaluate (SPEC §4–5) → then, until
 *   decided, the step the procedure's order gives (domain/procedure/next-step.ts):
 *     no ground  — R7.1: register at once; R7.2: the report (A1.8.2), the operator's review (R13);
 *     a ground   — preliminary refusal and hearing notice (R17), the applicant's actions until the
 *                  hearing, then the officer (a position was stated) or the final refusal (none);
 *   → the decision and its notices (R16).
 *
 * Each step is a file in steps/. The actions people send (messages.ts) wait in the inbox and are
 * taken between steps; after each, the procedure asks again what comes next.
 *
 * Determinism: no I/O and no wall clock but the workflow's; the rules are pure functions from
 * domain/, on the reference data pinned in the input. Versioning: docs/workflow-versioning.md.
 */
import { allHandlersFinished, condition, workflowInfo } from '@temporalio/workflow';
import { nextStep } from '../../domain/procedure/next-step';
import { NO_POSITION_REASONING, type ApplicationOutcome, type ApplicationWorkflowInput } from '../contract';
import { indexedAs } from '../search-attributes';
import { caseRecord } from './activities';
import { CaseFile, iso } from './case-file';
import { Inbox } from './inbox';
import { installMessages } from './messages';
import { takeAction } from './steps/actions';
import { refuse, register } from './steps/decision';
import { gatherFacts } from './steps/facts';
import { awaitFinalSignature, awaitOfficer, hearingPeriod, preliminaryDecision } from './steps/hearing';
import { awaitReport, reviewReport } from './steps/report';
import { awaitAcceptance } from './steps/waits';

export async function applicationWorkflow(input: ApplicationWorkflowInput): Promise<ApplicationOutcome> {
  const c = new CaseFile(input);
  const inbox = new Inbox();
  installMessages(c, inbox);
  // The API starts a case with its search attributes; a run started without them publishes them.
  if (indexedAs(workflowInfo().typedSearchAttributes, c.index())) c.markPublished();
  else c.publish();

  // ---- Accept (SPEC §2): the term runs from acceptedAt ----
  const acceptedNotedAtMs = Date.now();
  ({ ownQueueActive: c.ownQueueActive } = await caseRecord.recordAcceptance({
    applicationId: c.id,
    acceptedAt: input.acceptedAt,
    decisionDueAt: input.decisionDueAt,
    at: iso(acceptedNotedAtMs),
  }));

  // ---- Facts (SPEC §10) and evaluation (SPEC §4–5) ----
  c.facts = await gatherFacts(c);
  c.evaluate();
  c.note('CHECKED', 'system', { grounds: c.groundIds() });

  // ---- Until decided: take what people asked, else the procedure's next step ----
  while (!c.decision) {
    const action = inbox.take();
    if (action) {
      await takeAction(c, action);
      continue;
    }
    const next = nextStep(c.position());
    switch (next.step) {
      case 'AWAIT_ACCEPTANCE':
        await awaitAcceptance(c, inbox);
        break;
      case 'REGISTER':
        await register(c, inbox, { by: next.basis === 'R7.1' ? 'system' : c.reportAcceptedBy!, basis: next.basis });
        break;
      case 'AWAIT_REPORT':
        await awaitReport(c, inbox);
        break;
      case 'REVIEW_REPORT':
        await reviewReport(c, inbox);
        break;
      case 'PRELIMINARY_DECISION':
        await preliminaryDecision(c, inbox);
        break;
      case 'HEARING_PERIOD':
        await hearingPeriod(c, inbox);
        break;
      case 'OFFICER_DECIDES':
        await awaitOfficer(c, inbox);
        break;
      case 'OFFICER_DECISION': {
        const o = c.officerOutcome!;
        if (o.outcome === 'REGISTER') await register(c, inbox, { by: o.actor, basis: input.declaration.path === 'NO_HOUSING' ? 'R7.1' : 'R7.2', dismissed: c.grounds, reasoning: o.reasoning });
        else await refuse(c, inbox, { by: o.actor, reasoning: o.reasoning });
        break;
      }
      case 'AWAIT_FINAL_SIGNATURE':
        await awaitFinalSignature(c, inbox);
        break;
      case 'FINAL_REFUSAL':
        await refuse(c, inbox, { by: next.by, reasoning: NO_POSITION_REASONING });
        break;
    }
  }

  // Let update handlers that are still answering finish before the workflow closes.
  await condition(allHandlersFinished);
  return outcomeOf(c);
}

function outcomeOf(c: CaseFile): ApplicationOutcome {
  const d = c.decision!;
  const v = c.view();
  return {
    outcome: d.outcome,
    grounds: d.outcome === 'REFUSED' ? d.grounds : [],
    acceptedAt: v.acceptedAt,
    decisionDueAt: v.decisionDueAt,
    ...(v.preliminaryDecisionAt ? { preliminaryDecisionAt: v.preliminaryDecisionAt, hearingAt: v.hearingAt } : {}),
    decidedAt: d.at,
    categories: c.categories,
    ...(c.queue ? { queue: c.queue } : {}),
    notices: c.notices.map((n) => ({ channel: n.channel, kind: n.kind, at: n.issuedAt, status: n.status })),
  };
}
