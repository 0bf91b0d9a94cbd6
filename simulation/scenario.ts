/**
 * The scenario format of `hpc simulate` (documented in simulation/README.md): a registry fixture,
 * one application submitted at a historical instant, scripted applicant and staff actions, and
 * (optionally) registry corrections that a re-check will see.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { INSTANT_WITH_OFFSET } from './instant';

const instant = z.string().regex(INSTANT_WITH_OFFSET, 'an ISO 8601 instant with an offset, e.g. 2026-03-06T10:00:00+05:00');
const iin = z.string().regex(/^\d{12}$/, 'an IIN is 12 digits');
const consent = z.enum(['C1', 'C2', 'C3', 'C4']);

export const applicationSchema = z.strictObject({
  applicantIin: iin,
  representativeIin: iin.optional(),
  path: z.enum(['NO_HOUSING', 'EMERGENCY']),
  fund: z.enum(['STATE_HOUSING', 'STATE_INSTITUTION', 'STATE_ENTERPRISE']).default('STATE_HOUSING'),
  kato: z.string().regex(/^\d{9}$/),
  emergencyPropertyId: z.string().optional(),
  categories: z.array(z.string()).default([]),
  contact: z.strictObject({ mobile: z.string().optional(), email: z.string().optional() }).default({}),
  consents: z.array(consent).default(['C1', 'C2', 'C3', 'C4']),
  // A1.8.2: the expert's technical report, carried by the application itself (R7.2).
  technicalReport: z
    .strictObject({ reportNumber: z.string().min(1), propertyId: z.string().min(1), content: z.string().default('%PDF-1.4 technical report') })
    .optional(),
});

const actor = z.string().regex(/^(applicant|representative|operator|officer|head|complaint-review|administrator):\S+$/, 'role:id, e.g. operator:OP-0001');

export const actionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('statePosition'), at: instant, actor, text: z.string().min(1) }),
  z.strictObject({ type: z.literal('giveConsent'), at: instant, actor, codes: z.array(consent).min(1) }),
  /** R12, A1.9.4: the person withdraws consent C1 or C2 (the API records it and tells the case). */
  z.strictObject({ type: z.literal('withdrawConsent'), at: instant, actor, code: z.enum(['C1', 'C2']) }),
  z.strictObject({ type: z.literal('requestRecheck'), at: instant, actor, reason: z.string().optional() }),
  z.strictObject({
    type: z.literal('uploadTechnicalReport'),
    at: instant,
    actor,
    reportNumber: z.string().min(1),
    propertyId: z.string().min(1),
    /** Text standing in for the PDF's bytes; its SHA-256 is recorded. */
    content: z.string().default('%PDF-1.4 technical report'),
  }),
  z.strictObject({ type: z.literal('reviewTechnicalReport'), at: instant, actor, accepted: z.boolean(), reason: z.string().optional() }),
  z.strictObject({
    type: z.literal('recordHearingOutcome'),
    at: instant,
    actor,
    outcome: z.enum(['REFUSE', 'REGISTER']),
    reasoning: z.string().min(1),
  }),
  /** A registry corrects its data (R9): the person's answer of one registry is replaced. */
  z.strictObject({ type: z.literal('registryChange'), at: instant, iin, registry: z.string(), data: z.unknown() }),
  // R17: the authorised officer signs the final refusal after a hearing without a position.
  z.strictObject({ type: z.literal('signFinalRefusal'), at: instant, actor }),
  // An administrator resumes a case held by a step that failed on its data (flag STEP_FAILED).
  z.strictObject({ type: z.literal('retryFailedStep'), at: instant, actor }),
  // R18, R19 (SPEC §8): a complaint about the case, the head's decision, the review body's.
  z.strictObject({ type: z.literal('fileComplaint'), at: instant, actor, text: z.string().min(1), about: z.enum(['DECISION', 'ACTION', 'INACTION']) }),
  z.strictObject({
    type: z.literal('complaintDecision'),
    at: instant,
    actor,
    /** SATISFIED: fully, by the action named (not forwarded, R19); PARTLY or REFUSED: forwarded now. */
    outcome: z.enum(['SATISFIED', 'PARTLY', 'REFUSED']),
    reasoning: z.string().min(1),
    action: z.enum(['REGISTER', 'ACTION_TAKEN']).optional(),
  }),
  z.strictObject({
    type: z.literal('reviewBodyDecision'),
    at: instant,
    actor,
    outcome: z.enum(['SATISFIED', 'PARTLY', 'REFUSED']),
    reasoning: z.string().min(1),
    action: z.enum(['REGISTER', 'ACTION_TAKEN']).optional(),
  }),
]);

export const scenarioSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().default(''),
  /** Rule IDs this scenario exercises (checked by test/workflow/scenarios.test.ts for coverage). */
  covers: z.array(z.string()).default([]),
  /** A fixture file, relative to the scenario file. */
  fixtureFile: z.string().optional(),
  /** An inline fixture (sandbox/fixture-format.md); persons here replace the file's by IIN. */
  fixture: z.object({ persons: z.array(z.record(z.string(), z.unknown())) }).optional(),
  submittedAt: instant,
  application: applicationSchema,
  actions: z.array(actionSchema).default([]),
  /** The output `hpc simulate` must print (checked by the tests; instants of decisions ±60 s). */
  expected: z.record(z.string(), z.unknown()).optional(),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioAction = z.infer<typeof actionSchema>;

export interface LoadedScenario {
  scenario: Scenario;
  /** The fixture with inline persons merged over the file's. */
  fixture: { version: string; description: string; persons: Record<string, unknown>[] };
  file: string;
}

export class ScenarioError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ScenarioError';
  }
}

export function loadScenario(file: string): LoadedScenario {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ScenarioError(`cannot read scenario ${file}: ${(err as Error).message}`);
  }
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ScenarioError(issue.message, issue.path.join('.'));
  }
  const scenario = parsed.data;
  const persons = new Map<string, Record<string, unknown>>();
  let base = { version: 'inline', description: scenario.name };
  if (scenario.fixtureFile) {
    const path = resolve(dirname(file), scenario.fixtureFile);
    const f = JSON.parse(readFileSync(path, 'utf8')) as { version: string; description: string; persons: Record<string, unknown>[] };
    base = { version: f.version, description: f.description };
    for (const p of f.persons) persons.set(String(p.iin), p);
  }
  for (const p of scenario.fixture?.persons ?? []) persons.set(String(p.iin), p);
  if (persons.size === 0) throw new ScenarioError('the scenario has no fixture persons', 'fixture');
  return { scenario, fixture: { ...base, persons: [...persons.values()] }, file };
}
