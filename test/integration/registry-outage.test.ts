/**
 * A registry that stays down leaves the case visibly waiting on it — never failed, never silently
 * refused — and the case goes on when the registry is back (issue #2, SPEC §10). Runs on the real
 * dev server, where the Case* search attributes are registered, so the wait is found the way an
 * operator finds it in the Temporal UI.
 */
import { randomUUID } from 'node:crypto';
import { insertApplication } from '../../db/applications';
import type { ApplicationDeclaration } from '../../domain/application';
import { toAlmatyIso } from '../../domain/time';
import { acceptanceInstant, termEnd } from '../../domain/calendar';
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
  const accepted = acceptanceInstant(now);
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
    acceptedAt: toAlmatyIso(accepted),
    decisionDueAt: toAlmatyIso(termEnd(accepted, 1)),
    workflowId,
  });
  stack.sandbox.settings.update({ realEstate: { down: true } });
  const handle = await stack.client.workflow.start('applicationWorkflow', {
    taskQueue: stack.settings.taskQueue,
    workflowId,
    args: [{ applicationId, declaration, receivedAt, submittedBy: `applicant:${iin}` }],
  });

  // Found through visibility, as in the Temporal UI.
  await eventually(async () => {
    for await (const wf of stack.client.workflow.list({
      query: `WorkflowId = '${workflowId}' AND WaitingOn = 'registry:realEstate' AND CaseStatus = 'WAITING_REGISTRY'`,
    })) {
      return wf;
    }
    return undefined;
  }, 30_000);
  const waiting = await handle.query(caseStateQuery);
  expect(waiting.status).toBe('WAITING_REGISTRY');
  expect(waiting.waitingOn).toEqual(['registry:realEstate']);
  expect((await handle.describe()).status.name).toBe('RUNNING');
  const events = await stack.pool.query(`SELECT count(*)::int AS n FROM decisions WHERE application_id = $1`, [applicationId]);
  expect(events.rows[0].n).toBe(0);

  stack.sandbox.settings.update({ realEstate: { down: false } });
  const outcome = (await handle.result()) as ApplicationOutcome;
  expect(outcome.outcome).toBe('REGISTERED');
  const timeline = (await handle.query(caseStateQuery)).timeline.map((t) => t.kind);
  expect(timeline).toEqual(expect.arrayContaining(['WAITING_ON_REGISTRY', 'REGISTRY_AVAILABLE', 'REGISTERED']));
}, 120_000);
