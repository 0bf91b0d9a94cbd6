/**
 * The calendar and interpretations in force when a case is received are pinned for its life
 * (issue #9, domain/procedure/reference.ts): here a case pins a calendar in which Wednesday
 * 11 February 2026 is a day off — as if the Government had moved a day off after the installed
 * 2026 file was written — and its hearing, term and refusal follow that calendar, not the installed
 * one; its history then replays on the current code with the installed data untouched.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { isWorkingDay } from '../../domain/calendar';
import { currentReferenceSnapshot } from '../../domain/reference-snapshot';
import { CASE_CLOCK_WORKFLOW_MODULE } from '../../simulation/case-clock-client';
import type { Simulator } from '../../simulation/harness';
import { testSimulator } from '../helpers/simulator';
import { loadScenario } from '../../simulation/scenario';
import { payloadDataConverter } from '../../security/codec/data-converter';
import { EncryptionCodec } from '../../security/codec/encryption-codec';
import { Keyring } from '../../security/codec/keyring';

jest.setTimeout(300_000);


let simulator: Simulator | undefined;
const historyDir = mkdtempSync(join(tmpdir(), 'hpc-pinning-'));
beforeAll(async () => {
  simulator = await testSimulator({ historyDir });
});
afterAll(async () => {
  await simulator?.close();
  rmSync(historyDir, { recursive: true, force: true });
});

test('a case keeps the calendar it was received under, and replays with it', async () => {
  const installed = currentReferenceSnapshot();
  const DAY = '2026-02-11';
  expect(isWorkingDay(DAY)).toBe(true); // the installed calendar: an ordinary Wednesday
  const y = installed.calendar.years['2026'];
  const pinned = {
    ...installed,
    calendar: { version: `${installed.calendar.version}+test`, years: { ...installed.calendar.years, 2026: { ...y, offWeekdays: [...y.offWeekdays, DAY].sort() } } },
  };
  // R15.2 found at once: preliminary refusal on Tuesday 10 February 16:45, no position stated.
  const loaded = loadScenario(join(__dirname, '..', '..', 'simulation', 'scenarios', 'r15-2-applicant-share-refused.json'));
  expect(loaded.scenario.expected?.hearingAt).toBe('2026-02-12T11:00:00+05:00'); // on the installed calendar

  // The officer signs the refusal as the hearing closes — a day later than on the installed calendar.
  const signed = { ...loaded, scenario: { ...loaded.scenario, actions: [{ type: 'signFinalRefusal' as const, at: '2026-02-13T11:00:00+05:00', actor: 'officer:HO-0001' }] } };
  const output = await simulator!.run(signed, undefined, { reference: pinned });
  // The 2nd working day after the notice day is now Friday the 13th; the 3rd is Monday the 16th (R17).
  expect(output.hearingAt).toBe('2026-02-13T11:00:00+05:00');
  expect(output.decisionDueAt).toBe('2026-02-16T18:30:00+05:00');
  expect(output.decidedAt!.slice(0, 16)).toBe('2026-02-13T11:00');
  expect(output.outcome).toBe('REFUSED');
  expect(isWorkingDay(DAY)).toBe(true); // and the installed data is what it was

  const history = historyFromJSON(JSON.parse(readFileSync(join(historyDir, `${loaded.scenario.name}.json`), 'utf8')));
  const dataConverter = payloadDataConverter(new EncryptionCodec(Keyring.ephemeral('replay')));
  await Worker.runReplayHistory(
    { workflowsPath: require.resolve('../../workflows'), interceptors: { workflowModules: [CASE_CLOCK_WORKFLOW_MODULE] }, dataConverter },
    history,
  );
});
