/**
 * An application row as the API writes it before it starts the workflow, for tests that drive the
 * activities directly: an R7.1 declaration in Karaganda received 2026-11-26 10:00 (+05:00), due the
 * next working day at 18:30 (R13).
 */
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { insertApplication, workflowIdFor } from '../../db/cases';
import { currentReferenceSnapshot } from '../../domain/reference-snapshot';
import type { ApplicationDeclaration } from '../../domain/application';

export const TEST_RECEIVED_AT = '2026-11-26T10:00:00+05:00';

export function testDeclaration(iin: string, o: { representativeIin?: string; categories?: string[] } = {}): ApplicationDeclaration {
  return {
    applicantIin: iin,
    ...(o.representativeIin ? { representativeIin: o.representativeIin } : {}),
    path: 'NO_HOUSING',
    fund: 'STATE_HOUSING',
    kato: '351010000',
    categories: o.categories ?? [],
    contact: {},
    consents: [{ code: 'C1', givenAt: TEST_RECEIVED_AT }],
  };
}

/** Inserts the application of `iin` (filed by the representative when given); returns its id. */
export async function insertTestApplication(pool: Pool, iin: string, o: { representativeIin?: string; categories?: string[] } = {}): Promise<string> {
  const id = randomUUID();
  await insertApplication(pool, {
    id,
    idempotencyKey: `test-${id}`,
    requestHash: 'x',
    declaration: testDeclaration(iin, o),
    submittedBy: o.representativeIin ? `representative:${o.representativeIin}` : `applicant:${iin}`,
    receivedAt: TEST_RECEIVED_AT,
    acceptedAt: TEST_RECEIVED_AT,
    decisionDueAt: '2026-11-27T18:30:00+05:00',
    workflowId: workflowIdFor(iin, 'test'),
    reference: currentReferenceSnapshot(),
  });
  return id;
}
