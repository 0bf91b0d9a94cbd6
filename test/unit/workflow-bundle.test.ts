/**
 * A running case replays the same whatever happens to the reference data later (issue #9): the
 * workflow bundle carries no calendar year file, no interpretations file and no KATO table — a case
 * takes its calendar and interpretations from the snapshot pinned in its input
 * (domain/procedure/reference.ts) — so editing a future holiday or an interpretation changes only
 * the cases received after the edit. (test/workflow/reference-pinning.test.ts shows a case keeping
 * its snapshot while the installed data says otherwise.)
 */
import { bundleWorkflowCode } from '@temporalio/worker';

jest.setTimeout(120_000);

test('the workflow bundle imports no reference data file', async () => {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } });
  // webpack names every bundled module by its path.
  const referenced = [...code.matchAll(/\.\/reference\/[A-Za-z0-9_./-]+\.json/g)].map((m) => m[0]);
  expect([...new Set(referenced)]).toEqual([]);
  // The pieces a case computes its terms and grounds with are there (a sanity check on the search above).
  expect(code).toContain('./domain/procedure/terms.ts');
  expect(code).toContain('./domain/eligibility/index.ts');
});
