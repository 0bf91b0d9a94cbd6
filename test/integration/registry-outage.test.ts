/**
 * A registry that stays down leaves the case visibly waiting on it — never failed, never silently
 * refused — and the case goes on when the registry is back (issue #2, SPEC §10). Runs on the real
 * dev server, where the Case* search attributes are registered, so the wait is found the way an
 * operator finds it in the Temporal UI.
 */
import { randomUUID } from 'node:crypto';
import { caseEvents, findApplication, insertApplication } from '../../db/cases';
import type { ApplicationDeclaration } from '../../domain/application';
import { toAlmatyIso } from '../../domain/time';
import { Terms } from '../../domain/procedure/terms';
import { developmentAlwaysOpenSnapshot } from '../../domain/reference-snapshot';
import { caseStateQuery, type ApplicationOutcome } from '../../workflows/contract';
import { cleanPerson } from '../helpers/persons';
import { startStack, type Stack } from '../helpers/stack';

const person = cleanPerson();
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ fixture: { version: 'outage-test', description: 'one clean R7.1 applicant', persons: [person] } });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('realEstate down: the case waits with WaitingOn=registry:realEstate, then registers when it is back', async () => {
  const iin = person.iin;
  const now = Date.now();
  const receivedAt = toAlmatyIso(now);
  // Always open, as the test stack runs (HPC_DEV_ALWAYS_OPEN): checked at once, whatever the hour (A1.7.2).
  const reference = developmentAlwaysOpenSnapshot();
  const terms = new Terms(reference).caseTerms(now, 'NO_HOUSING');
  const declaration: ApplicationDeclaration = {
    applicantIin: iin,
    path: 'NO_HOUSING',
    fund: 'STATE_HOUSING',
    kato: '351010000',
    categories: [],
    contact: {},
    consents: [
      { code: 'C1', givenAt: receivedAt },
      { code: 'C2', givenAt: receivedAt },
    ],
  };
  const applicationId = randomUUID();
  const workflowId = `outage-${applicationId}`;
  await insertApplication(stack.pool, {
    id: applicationId,
    idempotencyKey: workflowId,
    requestHash: 'x',
    declaration,
    submittedBy: `applicant:${iin}`,
    receivedAt,
    acceptedAt: toAlmatyIso(terms.acceptedAtMs),
    decisionDueAt: toAlmatyIso(terms.decisionDueAtMs),
    workflowId,
    reference,
  });
  stack.sandbox.settings.update({ realEstate: { down: true } });
  const handle = await stack.client.workflow.start('applicationWorkflow', {
    taskQueue: stack.settings.taskQueue,
    workflowId,
    // Started without search attributes (another tool would): the workflow publishes them itself.
    args: [
      {
        applicationId,
        declaration,
        receivedAt,
        acceptedAt: toAlmatyIso(terms.acceptedAtMs),
        decisionDueAt: toAlmatyIso(terms.decisionDueAtMs),
        submittedBy: `applicant:${iin}`,
        reference,
      },
    ],
  });

  // Found through visibility, as in the Temporal UI.
  await eventually(async () => {
    for await (const wf of stack.client.workflow.list({
      query: `WorkflowId = '${workflowId}' AND WaitingOn = 'registry:realEstate' AND CaseFlags = 'WAITING_ON_REGISTRY' AND CaseApplicationId = '${applicationId}'`,
    })) {
      return wf;
    }
    return undefined;
  }, 30_000);
  const waiting = await handle.query(caseStateQuery);
  expect(waiting.status).toBe('CHECKING');
  expect(waiting.flags).toEqual(['WAITING_ON_REGISTRY']);
  expect(waiting.waitingOn).toEqual(['registry:realEstate']);
  // The case record, which the API shows, says so too.
  const row = await findApplication(stack.pool, applicationId);
  expect({ status: row?.case_status, flags: row?.flags, waitingOn: row?.waiting_on }).toEqual({
    status: 'CHECKING',
    flags: ['WAITING_ON_REGISTRY'],
    waitingOn: ['registry:realEstate'],
  });
  expect((await handle.describe()).status.name).toBe('RUNNING');
  const events = await stack.pool.query(`SELECT count(*)::int AS n FROM decisions WHERE application_id = $1`, [applicationId]);
  expect(events.rows[0].n).toBe(0);

  stack.sandbox.settings.update({ realEstate: { down: false } });
  const outcome = (await handle.result()) as ApplicationOutcome;
  expect(outcome.outcome).toBe('REGISTERED');
  const timeline = (await caseEvents(stack.pool, applicationId)).map((t) => t.kind);
  expect(timeline).toEqual(expect.arrayContaining(['WAITING_ON_REGISTRY', 'REGISTRY_AVAILABLE', 'REGISTERED']));
}, 120_000);
