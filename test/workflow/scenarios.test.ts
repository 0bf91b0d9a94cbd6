/**
 * Every shipped scenario (simulation/scenarios/*.json) through the simulate harness — the real
 * workflow and activities on Temporal's time-skipping test server, real PostgreSQL, the gateway
 * sandbox — compared with the scenario's `expected` output (simulation/README.md):
 *
 *  - exact: outcome, grounds (rule IDs, in order), acceptedAt, decisionDueAt, hearingAt, queue,
 *    categories, and the notices' channels and kinds in order. These follow from the scenario's
 *    instants and the calendar alone (SPEC §2, §3, §7).
 *  - within 60 s: decidedAt, preliminaryDecisionAt and each notice's `at`. These are case-clock
 *    instants of the workflow's own steps — the submission, a scripted action or the hearing timer
 *    plus the few real milliseconds the steps take — so they carry a small, run-dependent offset.
 *
 * Plus coverage: together the scenarios' `covers` name every rule ID of SPEC §4–§7 listed below.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseInstant } from '../../domain/time';
import { createSimulator, type SimulationOutput, type Simulator } from '../../simulation/harness';
import { INSTANT_WITH_OFFSET } from '../../simulation/instant';
import { loadScenario, type LoadedScenario } from '../../simulation/scenario';

jest.setTimeout(300_000);

const SCENARIO_DIR = join(__dirname, '..', '..', 'simulation', 'scenarios');

/** The rule IDs the shipped scenarios must exercise between them (SPEC §4–§7). */
export const REQUIRED_RULE_IDS: readonly string[] = [
  'R6',
  'R7',
  'R7.1',
  'R7.2',
  'R8',
  'R9',
  'R10',
  'R11',
  'R13',
  'R15.1',
  'R15.2',
  'R15.3',
  'R15.4',
  'R15.5',
  'R15.6',
  'R15.7',
  'R15.8',
  'R15.9',
  'R16',
  'R17',
  'A1.9.2',
  'A1.9.3',
  'A1.9.4',
  'A1.7.2',
  'A1.8.2',
  'R18',
  'R19',
];

/** Instants of the workflow's own steps may differ from `expected` by this much (real elapsed time). */
const TOLERANCE_MS = 60_000;

const instant = z.string().regex(INSTANT_WITH_OFFSET, 'an ISO 8601 instant with an offset');

/** The printed output of `hpc simulate` (SimulationOutput), as a scenario's `expected` holds it. */
const expectedSchema = z.strictObject({
  outcome: z.enum(['REGISTERED', 'REFUSED', 'PENDING']),
  // PENDING: where the case rests and who is to act once the scripted actions are used up.
  status: z.string().optional(),
  waitingOn: z.array(z.string()).optional(),
  grounds: z.array(z.string()),
  acceptedAt: instant,
  decisionDueAt: instant,
  preliminaryDecisionAt: instant.optional(),
  hearingAt: instant.optional(),
  decidedAt: instant.optional(),
  queue: z.strictObject({ kato: z.string(), registrationNumber: z.string(), position: z.number().int().positive() }).optional(),
  categories: z.strictObject({ confirmed: z.array(z.string()), unconfirmed: z.array(z.string()) }),
  notices: z.array(z.strictObject({ channel: z.enum(['CABINET', 'SMS']), kind: z.string(), at: instant })),
  // R18, R19: the case's complaints (SimulatedComplaint).
  complaints: z
    .array(
      z.strictObject({
        receivedAt: instant,
        registeredAt: instant,
        providerDecisionDueAt: instant,
        forwardDueAt: instant,
        forwardedAt: instant.optional(),
        reviewBodyDecisionDueAt: instant.optional(),
        outcome: z.enum(['SATISFIED', 'PARTLY', 'REFUSED', 'PENDING']),
        decidedAt: instant.optional(),
        decidedBy: z.string().optional(),
      }),
    )
    .optional(),
});
type Expected = z.infer<typeof expectedSchema>;

function loadAll(): LoadedScenario[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => loadScenario(join(SCENARIO_DIR, f)));
}

function expectedOf(loaded: LoadedScenario): Expected {
  const parsed = expectedSchema.safeParse(loaded.scenario.expected);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${loaded.file}: expected.${issue.path.join('.')}: ${issue.message}`);
  }
  const pending = parsed.data.outcome === 'PENDING';
  if (pending !== (parsed.data.status !== undefined) || pending === (parsed.data.decidedAt !== undefined)) {
    throw new Error(`${loaded.file}: a PENDING outcome has status and waitingOn and no decidedAt; a decision has decidedAt`);
  }
  return parsed.data;
}

/** Asserts that `actual` is within TOLERANCE_MS of `expected`, naming the field on failure. */
function expectNear(field: string, actual: string | undefined, expected: string | undefined): void {
  if (expected === undefined || actual === undefined) {
    expect({ [field]: actual }).toEqual({ [field]: expected });
    return;
  }
  const diff = Math.abs(parseInstant(actual) - parseInstant(expected));
  if (diff > TOLERANCE_MS) {
    throw new Error(`${field}: ${actual} is ${diff} ms from the expected ${expected} (tolerance ${TOLERANCE_MS} ms)`);
  }
}

function compare(actual: SimulationOutput, expected: Expected): void {
  // Exact fields first, in one object so a failure shows every difference at once.
  expect({
    outcome: actual.outcome,
    status: actual.status,
    waitingOn: actual.waitingOn,
    grounds: actual.grounds,
    acceptedAt: actual.acceptedAt,
    decisionDueAt: actual.decisionDueAt,
    hearingAt: actual.hearingAt,
    hasPreliminaryDecision: actual.preliminaryDecisionAt !== undefined,
    queue: actual.queue,
    categories: actual.categories,
    notices: actual.notices.map((n) => `${n.channel} ${n.kind}`),
  }).toEqual({
    outcome: expected.outcome,
    status: expected.status,
    waitingOn: expected.waitingOn,
    grounds: expected.grounds,
    acceptedAt: expected.acceptedAt,
    decisionDueAt: expected.decisionDueAt,
    hearingAt: expected.hearingAt,
    hasPreliminaryDecision: expected.preliminaryDecisionAt !== undefined,
    queue: expected.queue,
    categories: expected.categories,
    notices: expected.notices.map((n) => `${n.channel} ${n.kind}`),
  });
  expectNear('decidedAt', actual.decidedAt, expected.decidedAt);
  expectNear('preliminaryDecisionAt', actual.preliminaryDecisionAt, expected.preliminaryDecisionAt);
  actual.notices.forEach((n, i) => expectNear(`notices[${i}].at (${n.channel} ${n.kind})`, n.at, expected.notices[i]?.at));
  // Complaints: their terms exact (domain/complaints/terms.ts), the steps' instants near.
  const terms = (list: SimulationOutput['complaints']) =>
    (list ?? []).map(({ receivedAt, registeredAt, providerDecisionDueAt, forwardDueAt, reviewBodyDecisionDueAt, outcome, decidedBy, forwardedAt }) => ({
      receivedAt,
      registeredAt,
      providerDecisionDueAt,
      forwardDueAt,
      reviewBodyDecisionDueAt,
      outcome,
      decidedBy,
      forwarded: forwardedAt !== undefined,
    }));
  expect(terms(actual.complaints)).toEqual(terms(expected.complaints));
  (actual.complaints ?? []).forEach((c, i) => {
    expectNear(`complaints[${i}].forwardedAt`, c.forwardedAt, expected.complaints?.[i]?.forwardedAt);
    expectNear(`complaints[${i}].decidedAt`, c.decidedAt, expected.complaints?.[i]?.decidedAt);
  });
}

function env(name: 'HPC_TEST_DATABASE_ADMIN_URL' | 'HPC_TEST_SERVER_BINARY'): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the tests through jest (test/global-setup.mjs)`);
  return v;
}

const scenarios = loadAll();

/** The scenarios whose decision misses R16's ceiling on purpose (the provider's staff were late). */
const LATE_DECISIONS = new Set(['r13-operator-late-overdue-registered']);

describe('shipped scenarios', () => {
  let simulator: Simulator | undefined;

  beforeAll(async () => {
    simulator = await createSimulator({
      adminDatabaseUrl: env('HPC_TEST_DATABASE_ADMIN_URL'),
      testServerPath: env('HPC_TEST_SERVER_BINARY'),
    });
  });

  afterAll(async () => {
    await simulator?.close();
  });

  it('ships scenarios, each with a unique name, rule IDs it covers and a valid expected output', () => {
    expect(scenarios.length).toBeGreaterThan(0);
    const names = scenarios.map((s) => s.scenario.name);
    expect(new Set(names).size).toBe(names.length);
    for (const s of scenarios) {
      expect({ file: s.file, covers: s.scenario.covers.length > 0 }).toEqual({ file: s.file, covers: true });
      expectedOf(s); // throws with the scenario file and field when `expected` is missing or malformed
    }
  });

  it('covers every rule ID of SPEC §4–§7 between them', () => {
    const covered = new Set(scenarios.flatMap((s) => s.scenario.covers));
    expect(REQUIRED_RULE_IDS.filter((id) => !covered.has(id))).toEqual([]);
  });

  it.each(scenarios.map((s) => [s.scenario.name, s] as const))('%s gives its expected output', async (name, loaded) => {
    if (!simulator) throw new Error('the simulator did not start');
    const expected = expectedOf(loaded);
    const actual = await simulator.run(loaded);
    compare(actual, expected);
    if (actual.outcome === 'PENDING') return;
    // R16: every path's decision passes the ceiling check and records it (domain/procedure/terms.ts).
    const decision = await simulator.pool.query<{ term_check: { ceilingAt: string; met: boolean; extendedTo?: string; extensionReason?: string } | null }>(
      `SELECT term_check FROM decisions`,
    );
    expect(decision.rows).toHaveLength(1);
    const check = decision.rows[0].term_check;
    expect(check).not.toBeNull();
    expect(check!.met).toBe(!LATE_DECISIONS.has(name));
    if (expected.preliminaryDecisionAt !== undefined && check!.extendedTo !== undefined) {
      expect(check!.extensionReason).toBe('R17: hearing before a refusal (APPC art. 73)');
    }
  });
});
