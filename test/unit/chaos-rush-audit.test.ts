/**
 * The rush's own audit (chaos/rush-audit.ts, scenario temporal-rush, issue #14) on crafted data: a
 * clean rush passes, and each thing it is there to catch is caught — a 5xx other than 503
 * INTAKE_BUSY, an INTAKE_BUSY without Retry-After, no answer, an answer that waited on Temporal, a
 * status read failing while Temporal is away, a receivedAt other than the one answered, a case whose
 * outbox entry says started but no workflow took it up, a start never made, places out of receipt
 * order, a slow resumption after Temporal is back, a broken audit chain, a person's data in a log —
 * so the scenario cannot pass by not looking.
 */
import { rushFindings, STATUS_ROUTE, type RushCase, type RushInput } from '../../chaos/rush-audit';

const BACK = Date.parse('2026-12-03T06:00:30Z');
const KILLED = BACK - 8_000;
const at = (ms: number): Date => new Date(BACK + ms);
const id = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** Three R7.1 cases received in one millisecond (receipt_seq 7, 8, 9), started and decided in the other order. */
function clean(): RushInput {
  const received = new Date(KILLED + 500);
  const c = (n: number, seq: number, startedMs: number, decidedMs: number, position: number): RushCase => ({
    applicationId: id(n),
    index: n,
    answeredReceivedAt: '2026-12-03T11:00:22.500+05:00',
    receivedAt: received,
    receiptSeq: seq,
    workflowStartedAt: at(startedMs),
    caseStatus: 'REGISTERED',
    outbox: { enqueuedAt: received, startedAt: at(startedMs), attempts: 2 },
    queue: { locality: '351010000', receivedAt: received, receiptSeq: seq, status: 'ACTIVE', position },
    decidedAt: at(decidedMs),
    mustDecide: true,
  });
  return {
    answers: [1, 2, 3].map((n) => ({ index: n, status: 202, ms: 40, at: KILLED + 500 })),
    otherAnswers: [
      { route: STATUS_ROUTE, status: 200, ms: 12 },
      { route: 'POST /v1/applications/:id/position', status: 503, ms: 30 },
    ],
    cases: [c(1, 7, 3_000, 5_000, 1), c(2, 8, 2_500, 4_000, 2), c(3, 9, 2_000, 4_500, 3)],
    missingRows: 0,
    temporalBackAt: BACK,
    temporalServingAt: BACK,
    temporalKilledAt: KILLED,
    personalInLogs: [],
    auditChain: { valid: true, rows: 40 },
  };
}

describe('rush audit (issue #14)', () => {
  it('passes a clean rush whose workflows ran out of receipt order, and measures it', () => {
    const { figures, problems } = rushFindings(clean());
    expect(problems).toEqual([]);
    expect(figures).toMatchObject({
      submissions: 3,
      accepted: 3,
      answersByStatus: { '202': 3 },
      startsDrainedAfterRestartMs: 3_000,
      startsResumedAfterRestartMs: 2_000,
      decisionsDrainedAfterRestartMs: 5_000,
      retriedStarts: 3,
      inQueue: 3,
      orderViolations: 0,
      startedOutOfReceiptOrder: 2,
      decidedOutOfReceiptOrder: 1,
      auditChainRows: 40,
    });
    // An action on the case may be told 503 while Temporal is away: counted, not a finding.
    expect(figures.otherAnswers['POST /v1/applications/:id/position']).toEqual({ '503': 1 });
  });

  it('accepts 503 INTAKE_BUSY with Retry-After (retried), and nothing else of 5xx', () => {
    const input = clean();
    input.answers.push({ index: 1, status: 503, errorCode: 'INTAKE_BUSY', retryAfter: '4', ms: 2_001, at: KILLED });
    expect(rushFindings(input).problems).toEqual([]);
    expect(rushFindings(input).figures.intakeBusy503).toBe(1);

    input.answers.push({ index: 2, status: 503, errorCode: 'INTAKE_BUSY', ms: 2_001, at: KILLED });
    input.answers.push({ index: 3, status: 500, errorCode: 'INTERNAL', ms: 30, at: KILLED });
    input.answers.push({ index: 3, status: 503, errorCode: 'TEMPORAL_UNAVAILABLE', ms: 30, at: KILLED });
    input.answers.push({ index: 3, status: 0, ms: 30_000, at: KILLED });
    const problems = rushFindings(input).problems.join('\n');
    expect(problems).toContain('submission 2: 503 INTAKE_BUSY without a Retry-After');
    expect(problems).toContain('submission 3: answered 500 INTERNAL');
    expect(problems).toContain('submission 3: answered 503 TEMPORAL_UNAVAILABLE');
    expect(problems).toContain('submission 3: no answer within 30 s');
    expect(problems).toContain('submission 3: answered after 30000 ms');
  });

  it('catches a status read that fails while Temporal is away', () => {
    const input = clean();
    input.otherAnswers.push({ route: STATUS_ROUTE, status: 500, ms: 10 }, { route: STATUS_ROUTE, status: 0, ms: 30_000 });
    const problems = rushFindings(input).problems.join('\n');
    expect(problems).toContain(`1 status reads (${STATUS_ROUTE}) answered 500`);
    expect(problems).toContain(`1 status reads (${STATUS_ROUTE}) answered nothing`);
  });

  it('catches a case on record with another receivedAt than it was told, or queued with another', () => {
    const input = clean();
    input.cases[0].answeredReceivedAt = '2026-12-03T11:00:22.499+05:00';
    input.cases[1].queue!.receiptSeq = 99;
    const problems = rushFindings(input).problems.join('\n');
    expect(problems).toContain(`case ${id(1)}: answered receivedAt`);
    expect(problems).toContain(`case ${id(2)}: in the queue as received`);
  });

  it('catches an outbox entry marked started whose workflow never took the case up, and a start never made', () => {
    const input = clean();
    Object.assign(input.cases[0], { caseStatus: 'SUBMITTED', queue: undefined, decidedAt: undefined });
    input.cases[1].outbox!.startedAt = null;
    delete input.cases[2].outbox;
    const problems = rushFindings(input).problems.join('\n');
    expect(problems).toContain(`case ${id(1)}: outbox marked started, but no workflow ever took the case up`);
    expect(problems).toContain(`case ${id(1)}: not decided`);
    expect(problems).toContain(`case ${id(2)}: its workflow never started`);
    expect(problems).toContain(`case ${id(3)}: no intake outbox entry`);
  });

  it('catches places that do not follow receipt order', () => {
    const input = clean();
    input.cases[0].queue!.position = 2;
    input.cases[1].queue!.position = 1;
    const { figures, problems } = rushFindings(input);
    expect(figures.orderViolations).toBe(1);
    expect(problems.join('\n')).toContain(`queue order: case ${id(2)}`);
  });

  it('catches a backlog left waiting long after Temporal is back', () => {
    const input = clean();
    input.cases[2].outbox!.startedAt = at(120_000);
    const problems = rushFindings(input).problems.join('\n');
    expect(problems).toContain('the last workflow started 120000 ms after Temporal was back');
  });

  it('catches a backlog that Temporal, back and serving, is not asked to start for longer than the bound', () => {
    const input = clean();
    input.temporalServingAt = BACK - 14_000; // serving 16 s before the first start at +2 s
    const problems = rushFindings(input).problems.join('\n');
    expect(problems).toContain("the backlog's first workflow started 16000 ms after Temporal served again (bound 15000 ms)");
  });

  it('catches a broken audit chain and personal data in a log (by service and kind, never the value)', () => {
    const input = clean();
    input.auditChain = { valid: false, firstBadRow: 17, reason: 'ALTERED' };
    input.personalInLogs = [
      { service: 'worker', kind: 'IIN' },
      { service: 'worker', kind: 'IIN' },
      { service: 'api', kind: 'phone' },
    ];
    const problems = rushFindings(input).problems.join('\n');
    expect(problems).toContain('hash chain breaks at row 17 (ALTERED)');
    expect(problems).toContain('2 line(s) of worker: IIN');
    expect(problems).toContain('1 line(s) of api: phone');
  });
});
