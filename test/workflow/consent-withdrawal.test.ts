/**
 * A consent withdrawn before the decision reaches the case (R12, A2.C1–C2, A1.9.4, R17): the
 * consentWithdrawn update on the time-skipping server, with the real workflow, activities,
 * PostgreSQL and the gateway sandbox (the simulate harness), looked into between the scripted
 * actions of the shipped withdrawal scenarios. Their expected outputs are checked by
 * scenarios.test.ts; here: what the update answers, what it refuses, and the case's state after it.
 */
import { join } from 'node:path';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Simulator } from '../../simulation/harness';
import { testSimulator } from '../helpers/simulator';
import { loadScenario } from '../../simulation/scenario';
import type { applicationWorkflow } from '../../workflows/application/workflow';
import { caseStateQuery, consentWithdrawnUpdate, type ConsentWithdrawnInput, type ConsentWithdrawnResult } from '../../workflows/contract';

jest.setTimeout(300_000);

const SCENARIOS = join(__dirname, '..', '..', 'simulation', 'scenarios');


type Handle = WorkflowHandle<typeof applicationWorkflow>;

/** The failure an update was refused with (its type and message), or undefined when it was taken. */
async function refusal(handle: Handle, arg: ConsentWithdrawnInput): Promise<{ type: string | undefined; message: string } | undefined> {
  try {
    await handle.executeUpdate(consentWithdrawnUpdate, { args: [arg] });
    return undefined;
  } catch (err) {
    if (!(err instanceof WorkflowUpdateFailedError)) throw err;
    const cause = err.cause;
    return { type: cause instanceof ApplicationFailure ? cause.type ?? undefined : undefined, message: cause?.message ?? err.message };
  }
}

describe('consent withdrawn before the decision (consentWithdrawn update)', () => {
  let simulator: Simulator | undefined;

  beforeAll(async () => {
    simulator = await testSimulator();
  });
  afterAll(async () => {
    await simulator?.close();
  });

  it('in the hearing period adds A1.9.4 to the grounds; a repeat changes nothing; C3 and bad input are refused', async () => {
    if (!simulator) throw new Error('the simulator did not start');
    const loaded = loadScenario(join(SCENARIOS, 'a1-9-4-withdrawn-in-hearing-regiven-refused.json'));
    const seen: string[] = [];
    const output = await simulator.run(loaded, {
      async afterAction(action, handle, result, record) {
        seen.push(action.type);
        const state = await handle.query(caseStateQuery);
        const events = await record.events();
        if (action.type === 'withdrawConsent') {
          const r = result as ConsentWithdrawnResult;
          expect(r).toEqual({ status: 'HEARING_SCHEDULED', effect: 'REEVALUATED', grounds: ['R15.2', 'A1.9.4'], hearingAt: '2026-02-12T11:00:00+05:00' });
          expect(state.grounds.map((g) => g.id)).toEqual(['R15.2', 'A1.9.4']);
          expect(events.filter((e) => e.kind === 'CONSENT_WITHDRAWAL_APPLIED').map((e) => e.data)).toEqual([
            { code: 'C2', grounds: ['R15.2', 'A1.9.4'] },
          ]);
          // The same withdrawal again (a retried request): taken, nothing changes.
          const again = await handle.executeUpdate(consentWithdrawnUpdate, { args: [{ code: 'C2', at: action.at, by: action.actor }] });
          expect(again).toEqual({ ...r, effect: 'NOT_IN_FORCE' });
          // C3 does not bear on the decision; malformed input is named.
          expect(await refusal(handle, { code: 'C3' as 'C1', at: action.at, by: action.actor })).toEqual({
            type: 'InvalidCaseAction',
            message: 'only consents C1 and C2 bear on the decision (A1.9.4)',
          });
          expect(await refusal(handle, { code: 'C1', at: '2026-02-11 10:00', by: action.actor })).toMatchObject({ type: 'InvalidCaseAction' });
          expect(await refusal(handle, { code: 'C1', at: action.at, by: '' })).toMatchObject({ type: 'InvalidCaseAction' });
          // None of the refused ones touched the case.
          expect((await handle.query(caseStateQuery)).grounds.map((g) => g.id)).toEqual(['R15.2', 'A1.9.4']);
        }
        if (action.type === 'giveConsent') {
          // Given again before the hearing: the added ground is gone, R15.2 still stands.
          expect(state.status).toBe('HEARING_SCHEDULED');
          expect(state.grounds.map((g) => g.id)).toEqual(['R15.2']);
        }
      },
    });
    expect(seen).toEqual(['withdrawConsent', 'giveConsent', 'signFinalRefusal']);
    expect({ outcome: output.outcome, grounds: output.grounds }).toEqual({ outcome: 'REFUSED', grounds: ['R15.2'] });
  });

  it('while the operator reviews the report: preliminary refusal under A1.9.4 at once, with the hearing notice (R17)', async () => {
    if (!simulator) throw new Error('the simulator did not start');
    const loaded = loadScenario(join(SCENARIOS, 'a1-9-4-withdrawn-during-review-regiven-registered.json'));
    let caseHandle: Handle | undefined;
    const output = await simulator.run(loaded, {
      async afterAction(action, handle, result, record) {
        caseHandle = handle;
        const state = await handle.query(caseStateQuery);
        const events = await record.events();
        if (action.type === 'uploadTechnicalReport') expect(state.status).toBe('AWAITING_REVIEW');
        if (action.type === 'withdrawConsent') {
          // The update answers once the preliminary decision is out.
          expect(result).toEqual({ status: 'HEARING_SCHEDULED', effect: 'REEVALUATED', grounds: ['A1.9.4'], hearingAt: '2026-10-29T11:00:00+05:00' });
          expect(state.preliminaryDecisionAt?.slice(0, 16)).toBe('2026-10-27T09:30');
          expect(state.decisionDueAt).toBe('2026-10-30T18:30:00+05:00');
          expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['CONSENT_WITHDRAWAL_APPLIED', 'PRELIMINARY_REFUSAL']));
          // The record the API shows says the same as the workflow.
          expect((await record.row())?.case_status).toBe('HEARING_SCHEDULED');
        }
        if (action.type === 'giveConsent') {
          // Cleared before the hearing: the report goes back to the operator (it was never reviewed).
          expect(state.status).toBe('AWAITING_REVIEW');
          expect(state.grounds).toEqual([]);
        }
      },
    });
    expect(output.outcome).toBe('REGISTERED');
    // After the decision the workflow is closed: nothing to re-evaluate (the API then only records
    // the withdrawal and explains its effect, personal-data/withdrawal.ts).
    await expect(caseHandle!.executeUpdate(consentWithdrawnUpdate, { args: [{ code: 'C1', at: '2026-10-29T10:00:00+05:00', by: 'applicant:680130354968' }] })).rejects.toThrow();
  });
});
