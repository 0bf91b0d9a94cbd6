/**
 * One workflow per removal case (issue #11 §2; Housing Law, APPC art. 73). It reads as the
 * procedure:
 *
 *   opened (by an officer, or by the periodic re-verification as a child workflow)
 *   → ground going against the person (interpretation `removal.hearingGrounds`): the preliminary
 *     decision is recorded and the person told the ground, the hearing's time and what they may do;
 *     until the hearing (R17's terms: 11:00 on the 2nd working day after the notice) they may state
 *     a position; at the hearing's time → awaiting the officer's decision
 *   → other grounds (HOUSING_PROVIDED, DIED): awaiting the officer's decision at once
 *   → the authorised officer decides REMOVE or KEEP with reasoning, signed with EDS (the API
 *     verifies and stores the signature; the decision names it) — REMOVE takes the entry out of
 *     every list through the queue ledger's one door, with the ground as the reason code, and flags
 *     an application's case LEFT_QUEUE; the person is told either way.
 *
 * The officer's due instant passing does not decide anything: the case waits for the officer (the
 * staff worklist shows it overdue). Terms: domain/removal/terms.ts on the reference data pinned at
 * opening. State, messages and recording: steps.ts. New in issue #11 §2: no patches yet
 * (docs/workflow-versioning.md).
 */
import { allHandlersFinished, condition } from '@temporalio/workflow';
import { removalDecidedNotice, removalPreliminaryNotice, removalRef } from '../../domain/removal/notices';
import { removalTerms } from '../../domain/removal/terms';
import { parseInstant } from '../../domain/time';
import type { RemovalState, RemovalWorkflowInput } from './contract';
import { installRemovalMessages, iso, record, RemovalCase } from './steps';

export async function removalWorkflow(input: RemovalWorkflowInput): Promise<RemovalState> {
  const t = removalTerms(input.reference, input.ground, parseInstant(input.openedAt));
  const c = new RemovalCase(input, t);
  const ref = removalRef(input.removalId);
  installRemovalMessages(c);
  c.publish();

  // ---- Opened: the case's record (the API may have written it; the re-verification has not) ----
  const opened = await record.openRemovalCase({
    ...input,
    status: c.status,
    ...(t.hearing ? { noticeAt: iso(t.hearing.noticeAtMs), hearingAt: iso(t.hearing.hearingAtMs) } : {}),
    decisionDueAt: iso(t.decisionDueAtMs),
  });

  if (t.hearing) {
    // ---- APPC art. 73: the preliminary decision and the hearing notice ----
    await c.step(
      'PRELIMINARY_DECISION',
      input.openedBy,
      {
        data: { hearingAt: iso(t.hearing.hearingAtMs), decisionDueAt: iso(t.decisionDueAtMs) },
        notice: removalPreliminaryNotice({
          ref,
          registrationNumber: opened.registrationNumber,
          ground: input.ground,
          hearingAt: iso(t.hearing.hearingAtMs),
          decisionDueAt: iso(t.decisionDueAtMs),
        }),
      },
      t.hearing.noticeAtMs,
    );

    // ---- Until the hearing: the person may state a position (once) ----
    await until(() => c.position !== undefined, t.hearing.hearingAtMs);
    if (c.position) {
      const at = Date.now();
      await c.step('POSITION_STATED', c.position.actor, { set: { position: c.position.text, positionBy: c.position.actor, positionAt: iso(at), ...(c.position.signedDocumentId !== undefined ? { positionDocumentId: c.position.signedDocumentId } : {}) }, data: { signed: c.position.signedDocumentId !== undefined } }, at);
      c.positionRecorded = true;
      await until(() => false, t.hearing.hearingAtMs);
    }

    // ---- The hearing's time: the case goes to the officer ----
    c.status = 'AWAITING_DECISION';
    await c.step('HEARING_HELD', 'system', { data: { positionStated: c.position !== undefined } }, Math.max(Date.now(), t.hearing.hearingAtMs));
  } else {
    await c.step('OPENED', input.openedBy, { data: { hearing: false, decisionDueAt: iso(t.decisionDueAtMs) } }, t.openedAtMs);
  }

  // ---- The authorised officer's decision, signed (Housing Law; interpretation `removal.decidedBy`) ----
  await condition(() => c.decision !== undefined);
  const d = c.decision!;
  c.decidedAtMs = Date.now();
  const at = iso(c.decidedAtMs);
  c.status = d.outcome === 'REMOVE' ? 'REMOVED' : 'KEPT';
  const out = await c.step(
    d.outcome === 'REMOVE' ? 'REMOVED' : 'KEPT',
    d.actor,
    {
      set: {
        outcome: d.outcome,
        reasoning: d.reasoning,
        decidedBy: d.actor,
        decidedAt: at,
        ...(d.signedDocumentId !== undefined ? { decisionDocumentId: d.signedDocumentId } : {}),
        closedAt: at,
      },
      data: { outcome: d.outcome, signed: d.signedDocumentId !== undefined },
      removeEntry: d.outcome === 'REMOVE',
      notice: removalDecidedNotice({ ref, registrationNumber: opened.registrationNumber, ground: input.ground, outcome: d.outcome, at, reasoning: d.reasoning }),
    },
    c.decidedAtMs,
  );
  if (d.outcome === 'REMOVE') c.entryRemoved = out.entryRemoved;
  await condition(allHandlersFinished);
  return c.view();
}

/** Waits for `ready` until the instant `atMs` at the latest (at once if it has passed); true when ready. */
async function until(ready: () => boolean, atMs: number): Promise<boolean> {
  const left = atMs - Date.now();
  return left > 0 ? condition(ready, left) : ready();
}
