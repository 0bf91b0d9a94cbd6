/**
 * Mid-load, 100 concurrent submissions for one person with 100 different idempotency keys (exactly
 * one case; every other answer a clear 409 ACTIVE_APPLICATION_EXISTS), and one idempotency key sent
 * 50 times at once for another person (one case, the same answer every time).
 */
import { randomUUID } from 'node:crypto';
import type { ChaosScenario } from '../scenario';

export const sameIinConcurrency: ChaosScenario = {
  name: 'same-iin-concurrency',
  fault: '100 concurrent submissions for one IIN (different keys) and one idempotency key sent 50 times concurrently',
  async inject(ctx) {
    // A person whose case stays active (a hearing, working days away), so "one active application"
    // holds for the whole burst; and an R7.1 person for the repeated key.
    const held = ctx.spare.find((p) => p.path === 'HEARING_WAITING');
    const repeated = ctx.spare.find((p) => p.path === 'R7_1');
    if (!held || !repeated) throw new Error('same-iin-concurrency needs a spare HEARING_WAITING and R7_1 person');
    const problems: string[] = [];

    const burst = await Promise.all(Array.from({ length: 100 }, () => ctx.client.submit(held, `chaos-same-iin-${randomUUID()}`)));
    const accepted = burst.filter((s) => s.outcome === 'accepted');
    const conflicts = burst.filter((s) => s.status === 409 && s.errorCode === 'ACTIVE_APPLICATION_EXISTS');
    const other = burst.length - accepted.length - conflicts.length;
    if (accepted.length !== 1) problems.push(`same IIN: ${accepted.length} of 100 accepted, expected exactly 1`);
    if (other > 0) problems.push(`same IIN: ${other} answers neither accepted (202) nor 409 ACTIVE_APPLICATION_EXISTS (${[...new Set(burst.map((s) => s.status))].join(',')})`);

    const key = `chaos-same-key-${randomUUID()}`;
    const repeats = await Promise.all(Array.from({ length: 50 }, () => ctx.client.submit(repeated, key)));
    const ids = new Set(repeats.flatMap((s) => (s.applicationId ? [s.applicationId] : [])));
    const answered = repeats.filter((s) => s.outcome === 'accepted').length;
    if (answered !== 50 || ids.size !== 1) problems.push(`same key: ${answered} of 50 accepted with ${ids.size} distinct cases, expected 50 and 1`);

    ctx.extraSubmissions.push(...burst, ...repeats);
    return {
      figures: {
        sameIin: { submissions: 100, accepted: accepted.length, conflicts409: conflicts.length, other },
        sameKey: { submissions: 50, accepted: answered, distinctCases: ids.size, statuses: [...new Set(repeats.map((s) => s.status))] },
      },
      problems,
    };
  },
};
