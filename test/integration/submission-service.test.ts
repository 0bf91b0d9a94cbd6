/**
 * The submission service without HTTP (api/services/submission.ts, issue #9): the same caller's
 * key sent three times at once files one case and starts its workflow once; a key another caller
 * used is theirs alone.
 */
import { randomUUID } from 'node:crypto';
import { submissionService } from '../../api/services/submission';
import { createApplicationBody } from '../../api/schemas';
import { parseActor } from '../../api/identity';
import { privateDemo } from '../helpers/demo';
import { startStack, type Stack } from '../helpers/stack';

jest.setTimeout(120_000);

const demo = privateDemo(['S01']);
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ fixture: demo.fixture });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

test('one key, three requests at once: one case, one workflow run', async () => {
  const service = submissionService({ pool: stack.pool, settings: { ...stack.settings, workflowIdKey: `test-${randomUUID()}` } });
  const iin = demo.scenario('S01').declaration.applicantIin;
  const actor = parseActor(`applicant:${iin}`)!;
  const { signature: _s, ...body } = createApplicationBody.parse(demo.bodyOf('S01'));
  const idempotencyKey = `test-${randomUUID()}`;
  const results = await Promise.all([1, 2, 3].map(() => service.submit({ actor, idempotencyKey, body })));
  const ids = new Set(results.map((r) => r.row.id));
  expect(ids.size).toBe(1);
  expect(results.filter((r) => r.created)).toHaveLength(1);
  const [id] = [...ids];
  const rows = await stack.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM applications WHERE applicant_iin = $1`, [iin]);
  expect(rows.rows[0].n).toBe(1);
  // Found in Temporal by its application id (a search attribute): one run.
  let runs = 0;
  for (let i = 0; i < 40 && runs === 0; i += 1) {
    runs = 0;
    for await (const _w of stack.client.workflow.list({ query: `CaseApplicationId = '${id}'` })) runs += 1;
    if (runs === 0) await new Promise((r) => setTimeout(r, 250));
  }
  expect(runs).toBe(1);
});
