/**
 * Registry facts (SPEC §10): who the applicant is and who their family is (the civil registry),
 * then every other registry for the whole family at once. A registry that does not answer keeps the
 * case waiting visibly (flag WAITING_ON_REGISTRY, WaitingOn `registry:<name>`), retried with a
 * growing pause — never failed, never silently refused.
 */
import { log, sleep } from '@temporalio/workflow';
import type { CaseFacts } from '../../../domain/application';
import { familyOf } from '../../../domain/eligibility';
import { emptyAnswers, REGISTRIES, type RegistryAnswers, type RegistryName } from '../../../domain/registry-facts';
import { almatyDate } from '../../../domain/time';
import { registry } from '../activities';
import type { CaseFile } from '../case-file';
import { saveProgress } from '../record';

const FIRST_REGISTRY_RETRY_MS = 30_000;
const MAX_REGISTRY_RETRY_MS = 10 * 60_000;

/** One registry, retried while it is down; the case shows it is waiting on it. */
async function fetchWaiting(c: CaseFile, name: RegistryName, iins: string[]): Promise<Record<string, unknown>> {
  const waitingOn = `registry:${name}`;
  let retryMs = FIRST_REGISTRY_RETRY_MS;
  for (;;) {
    try {
      const answers = await registry.fetchRegistry(name, iins);
      if (c.waitingOn.includes(waitingOn)) {
        c.waitingOn = c.waitingOn.filter((w) => w !== waitingOn);
        if (!c.waitingOn.some((w) => w.startsWith('registry:'))) c.flags.delete('WAITING_ON_REGISTRY');
        c.note('REGISTRY_AVAILABLE', 'system', { registry: name });
        c.publish();
      }
      return answers;
    } catch {
      if (!c.waitingOn.includes(waitingOn)) {
        c.waitingOn = [...c.waitingOn, waitingOn];
        c.flags.add('WAITING_ON_REGISTRY');
        c.note('WAITING_ON_REGISTRY', 'system', { registry: name });
        log.warn('registry unavailable, case waiting', { registry: name });
        c.publish();
        await saveProgress(c);
      }
      c.wakeAtMs = Date.now() + retryMs;
      await sleep(retryMs);
      c.wakeAtMs = undefined;
      retryMs = Math.min(retryMs * 2, MAX_REGISTRY_RETRY_MS);
    }
  }
}

/** Reads the registries for the applicant, the family (current spouse, children under 18) and the representative. */
export async function gatherFacts(c: CaseFile): Promise<CaseFacts> {
  const answersByIin = new Map<string, RegistryAnswers>();
  const answersOf = (iin: string): RegistryAnswers => {
    let a = answersByIin.get(iin);
    if (!a) {
      a = emptyAnswers();
      answersByIin.set(iin, a);
    }
    return a;
  };
  const fetchInto = async (plan: Map<RegistryName, string[]>): Promise<void> => {
    await Promise.all(
      [...plan.entries()]
        .filter(([, iins]) => iins.length > 0)
        .map(async ([name, iins]) => {
          const answers = await fetchWaiting(c, name, iins);
          for (const iin of iins) {
            // The registry answers are typed by REGISTRIES; the sandbox guarantees each shape.
            (answersOf(iin) as unknown as Record<string, unknown>)[name] = answers[iin] ?? emptyAnswers()[name];
          }
        }),
    );
  };

  const applicant = c.declaration.applicantIin;
  const rep = c.declaration.representativeIin;
  // Stage 1: who the applicant is and who their family is (civil registry).
  await fetchInto(
    new Map<RegistryName, string[]>([
      ['persons', rep ? [applicant, rep] : [applicant]],
      ['civil', [applicant]],
    ]),
  );
  const familyIins = familyOf(answersOf(applicant), almatyDate(c.acceptedAtMs), c.input.reference.interpretations).map((m) => m.iin);
  const household = [applicant, ...familyIins];
  // Stage 2: every other registry for the whole family at once, in parallel.
  const plan = new Map<RegistryName, string[]>();
  for (const name of REGISTRIES) {
    if (name === 'persons' || name === 'civil') plan.set(name, familyIins);
    else if (name === 'representation' || name === 'mobile') plan.set(name, rep ? [applicant, rep] : [applicant]);
    else plan.set(name, household);
  }
  await fetchInto(plan);
  const family: Record<string, RegistryAnswers> = {};
  for (const iin of familyIins) family[iin] = answersOf(iin);
  return { applicant: answersOf(applicant), familyIins, family, ...(rep ? { representative: answersOf(rep) } : {}) };
}
