/**
 * A step that fails on data the database refuses does not retry for ever behind a case that looks
 * fine (issue #9, fault 1): the activity fails as non-retryable, and the case is held visibly — flag
 * STEP_FAILED and WaitingOn administrator in the case record, the search attributes and the
 * timeline — until an administrator, the data mended, asks for the step again.
 *
 * The refusal is made to fail for real: a CHECK constraint on `decisions` that refuses it (SQLSTATE
 * 23514), added after the preliminary decision and dropped by "the administrator" before the retry.
 */
import { join } from 'node:path';
import { SA_CASE_FLAGS, SA_WAITING_ON } from '../../workflows/contract';
import type { Simulator } from '../../simulation/harness';
import { testSimulator } from '../helpers/simulator';
import { loadScenario } from '../../simulation/scenario';

jest.setTimeout(300_000);


let simulator: Simulator | undefined;
beforeAll(async () => {
  simulator = await testSimulator();
});
afterAll(async () => {
  await simulator?.pool.query(`ALTER TABLE decisions DROP CONSTRAINT IF EXISTS test_refusals_refused`).catch(() => undefined);
  await simulator?.close();
});

test('the final refusal refused by the database: held for the administrator, then decided on the retry', async () => {
  const sim = simulator!;
  const base = loadScenario(join(__dirname, '..', '..', 'simulation', 'scenarios', 'r15-2-applicant-share-refused.json'));
  // Preliminary refusal Tue 10 Feb 2026 16:45, hearing Thu 12 Feb 11:00, no position, the officer signs at 11:00 (R17).
  const nobody = '010101500017';
  const loaded = {
    ...base,
    scenario: {
      ...base.scenario,
      actions: [
        { type: 'registryChange' as const, at: '2026-02-10T17:00:00+05:00', iin: nobody, registry: 'mobile', data: null },
        { type: 'signFinalRefusal' as const, at: '2026-02-12T11:00:00+05:00', actor: 'officer:HO-0001' },
        { type: 'registryChange' as const, at: '2026-02-12T11:30:00+05:00', iin: nobody, registry: 'mobile', data: null },
        { type: 'retryFailedStep' as const, at: '2026-02-12T12:00:00+05:00', actor: 'administrator:AD-0001' },
      ],
    },
  };
  let probes = 0;
  const output = await sim.run(loaded, {
    async afterAction(action, handle, _result, record) {
      if (action.type !== 'registryChange') return;
      probes += 1;
      if (probes === 1) {
        await sim.pool.query(`ALTER TABLE decisions ADD CONSTRAINT test_refusals_refused CHECK (outcome <> 'REFUSED')`);
        return;
      }
      // The hearing has passed and the refusal was refused: the case is held, visibly.
      const row = await record.row();
      expect({ status: row?.status, caseStatus: row?.case_status, flags: row?.flags, waitingOn: row?.waiting_on }).toEqual({
        status: 'ACTIVE',
        caseStatus: 'AWAITING_FINAL_SIGNATURE',
        flags: ['STEP_FAILED'],
        waitingOn: ['administrator'],
      });
      expect(row?.failure).toMatchObject({ step: 'finaliseRefusal', type: 'CaseDataRejected' });
      const sa = (await handle.describe()).typedSearchAttributes;
      expect(sa.get(SA_CASE_FLAGS)).toEqual(['STEP_FAILED']);
      expect(sa.get(SA_WAITING_ON)).toEqual(['administrator']);
      expect((await record.events()).map((e) => e.kind)).toContain('STEP_FAILED');
      // The administrator mends the data.
      await sim.pool.query(`ALTER TABLE decisions DROP CONSTRAINT test_refusals_refused`);
    },
  });
  expect(probes).toBe(2);
  expect(output.outcome).toBe('REFUSED');
  expect(output.grounds).toEqual(['R15.2']);
  expect(output.decidedAt!.slice(0, 16)).toBe('2026-02-12T12:00');
});
