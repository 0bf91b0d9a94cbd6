/**
 * The chaos audit (chaos/audit.ts) on crafted data: a clean picture passes, and each fault the
 * scenarios look for — a lost case, a duplicate case, a duplicate queue entry, an SMS sent twice,
 * a case stuck without saying what it waits for, a silently wrong outcome — is caught, so the
 * audit cannot pass by not looking.
 */
import { auditCases, auditPassed, type AuditInput, type AuditWorkflow } from '../../chaos/audit';
import type { ChaosPath } from '../../chaos/fixture';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';
const IIN_A = '900101300001';
const IIN_B = '900102400002';
const IIN_C = '900103300003';

function clean(): AuditInput {
  const wf = (id: string, status: string, caseStatus: string, waitingOn: string[] = []): AuditWorkflow => ({
    workflowId: `application-${id.slice(-4)}`,
    runId: `run-${id.slice(-4)}`,
    applicationId: id,
    status,
    caseStatus,
    waitingOn,
  });
  return {
    submissions: [
      { index: 0, key: 'key-a', iin: IIN_A, outcome: 'accepted', applicationId: A },
      { index: 1, key: 'key-b', iin: IIN_B, outcome: 'accepted', applicationId: B },
      { index: 2, key: 'key-c', iin: IIN_C, outcome: 'accepted', applicationId: C },
    ],
    paths: new Map<string, ChaosPath>([
      [IIN_A, 'R7_1'],
      [IIN_B, 'HEARING_WAITING'],
      [IIN_C, 'EMERGENCY'],
    ]),
    applications: [
      { id: A, idempotencyKey: 'key-a', applicantIin: IIN_A, status: 'REGISTERED', workflowId: 'application-000a' },
      { id: B, idempotencyKey: 'key-b', applicantIin: IIN_B, status: 'ACTIVE', workflowId: 'application-000b' },
      { id: C, idempotencyKey: 'key-c', applicantIin: IIN_C, status: 'REGISTERED', workflowId: 'application-000c' },
    ],
    decisions: [
      { applicationId: A, outcome: 'REGISTERED' },
      { applicationId: C, outcome: 'REGISTERED' },
    ],
    queueEntries: [
      { applicationId: A, applicantIin: IIN_A, status: 'ACTIVE' },
      { applicationId: C, applicantIin: IIN_C, status: 'ACTIVE' },
    ],
    notices: [
      { id: 'n-a', applicationId: A, kind: 'REGISTRATION', channel: 'SMS' },
      { id: 'n-b', applicationId: B, kind: 'PRELIMINARY_REFUSAL', channel: 'SMS' },
      { id: 'n-c', applicationId: C, kind: 'REGISTRATION', channel: 'SMS' },
    ],
    smsReceived: [
      { clientMessageId: 'n-a', to: '+77000000001', text: 'registered 1', duplicate: false },
      { clientMessageId: 'n-a', to: '+77000000001', text: 'registered 1', duplicate: true }, // a retry, suppressed
      { clientMessageId: 'n-b', to: '+77000000002', text: 'hearing', duplicate: false },
      { clientMessageId: 'n-c', to: '+77000000003', text: 'registered 2', duplicate: false },
    ],
    workflows: [wf(A, 'COMPLETED', 'REGISTERED'), wf(B, 'RUNNING', 'HEARING_SCHEDULED', ['applicant']), wf(C, 'COMPLETED', 'REGISTERED')],
  };
}

describe('chaos audit', () => {
  it('passes a consistent picture, counting a suppressed SMS retry as a retry only', () => {
    const f = auditCases(clean());
    expect(f.problems).toEqual([]);
    expect(f).toMatchObject({ applications: 3, cases: 3, decisions: 2, lost: 0, duplicateCases: 0, duplicateSms: 0, stuckInvisible: 0, smsRepeatsSuppressed: 1 });
    expect(auditPassed(f)).toBe(true);
  });

  it('a 201 without a case is lost, and so is a case without a workflow', () => {
    const noRow = clean();
    noRow.applications = noRow.applications.filter((a) => a.id !== B);
    noRow.notices = noRow.notices.filter((n) => n.applicationId !== B);
    noRow.smsReceived = noRow.smsReceived.filter((m) => m.clientMessageId !== 'n-b');
    noRow.workflows = noRow.workflows.filter((w) => w.applicationId !== B);
    expect(auditCases(noRow).lost).toBe(1);
    expect(auditPassed(auditCases(noRow))).toBe(false);

    const noWorkflow = clean();
    noWorkflow.workflows = noWorkflow.workflows.filter((w) => w.applicationId !== B);
    expect(auditCases(noWorkflow).lost).toBe(1);

    const failed = clean();
    failed.workflows[1] = { ...failed.workflows[1], status: 'TERMINATED' };
    expect(auditCases(failed).lost).toBe(1);
  });

  it('two cases for one person, or one key answered with two cases, are duplicates', () => {
    const twoRows = clean();
    const D = '00000000-0000-4000-8000-00000000000d';
    twoRows.submissions.push({ index: 3, key: 'key-a2', iin: IIN_A, outcome: 'accepted', applicationId: D });
    twoRows.applications.push({ id: D, idempotencyKey: 'key-a2', applicantIin: IIN_A, status: 'REFUSED', workflowId: 'application-000a' });
    twoRows.decisions.push({ applicationId: D, outcome: 'REFUSED' });
    twoRows.workflows.push({ workflowId: 'application-000a', runId: 'run-2', applicationId: D, status: 'COMPLETED', caseStatus: 'REFUSED', waitingOn: [] });
    expect(auditCases(twoRows).duplicateCases).toBe(1);

    const sameKey = clean();
    sameKey.submissions.push({ index: 4, key: 'key-a', iin: IIN_A, outcome: 'accepted', applicationId: B });
    expect(auditCases(sameKey).duplicateCases).toBeGreaterThanOrEqual(1);

    const twoRuns = clean();
    twoRuns.workflows.push({ ...twoRuns.workflows[1], runId: 'run-again' });
    expect(auditCases(twoRuns).duplicateCases).toBe(1);
  });

  it('a second queue entry and an SMS delivered twice are caught', () => {
    const queue = clean();
    queue.queueEntries.push({ applicationId: A, applicantIin: IIN_A, status: 'ACTIVE' });
    expect(auditCases(queue).duplicateQueueEntries).toBe(2); // same application, and two active for one person

    // A second notice row for the same (application, kind) — delivered under another clientMessageId.
    const sms = clean();
    sms.notices.push({ id: 'n-a2', applicationId: A, kind: 'REGISTRATION', channel: 'SMS' });
    sms.smsReceived.push({ clientMessageId: 'n-a2', to: '+77000000001', text: 'registered 1', duplicate: false });
    const f = auditCases(sms);
    expect(f.duplicateSms).toBe(1);
    expect(auditPassed(f)).toBe(false);
  });

  it('a case neither decided nor visibly waiting is stuck; a silent refusal is a wrong outcome', () => {
    const stuck = clean();
    stuck.workflows[1] = { ...stuck.workflows[1], caseStatus: 'CHECKING', waitingOn: [] };
    expect(auditCases(stuck).stuckInvisible).toBe(1);

    const silent = clean();
    silent.workflows[1] = { ...silent.workflows[1], caseStatus: 'HEARING_SCHEDULED', waitingOn: [] };
    expect(auditCases(silent).stuckInvisible).toBe(1); // a status without WaitingOn does not say on whom

    const waitingRegistry = clean();
    waitingRegistry.applications[0] = { ...waitingRegistry.applications[0], status: 'ACTIVE' };
    waitingRegistry.decisions = waitingRegistry.decisions.filter((d) => d.applicationId !== A);
    waitingRegistry.queueEntries = waitingRegistry.queueEntries.filter((q) => q.applicationId !== A);
    waitingRegistry.workflows[0] = { ...waitingRegistry.workflows[0], status: 'RUNNING', caseStatus: 'CHECKING', waitingOn: ['registry:realEstate'] };
    const w = auditCases(waitingRegistry);
    expect(w.stuckInvisible).toBe(0); // visible
    expect(w.undecided).toBe(1); // but an R7.1 case that should have been decided by now

    const wrong = clean();
    wrong.applications[0] = { ...wrong.applications[0], status: 'REFUSED' };
    wrong.decisions[0] = { applicationId: A, outcome: 'REFUSED' };
    wrong.queueEntries = wrong.queueEntries.filter((q) => q.applicationId !== A);
    expect(auditCases(wrong).wrongOutcomes).toBe(1);
  });

  it('a workflow whose application row is gone is an orphan', () => {
    const orphan = clean();
    orphan.workflows.push({ workflowId: 'application-0zzz', runId: 'run-z', applicationId: '00000000-0000-4000-8000-0000000000ff', status: 'RUNNING', caseStatus: 'CHECKING', waitingOn: [] });
    expect(auditCases(orphan).orphanWorkflows).toBe(1);
  });
});
