/**
 * Issue #9 §4: nothing development-only in what production loads. Walks the import graph from the
 * production entry points (scripts/import-graph.ts, TypeScript compiler API) and fails on any file
 * under dev/, test/, bench/, chaos/, simulation/, sandbox/ or scripts/, and on any package that only
 * `npm install` with devDependencies brings (@temporalio/testing among them).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { devPackages, importGraph, isDevOnlyFile, productionEntryPoints, ROOT } from '../../scripts/import-graph';

const graph = importGraph();

test('the production entry points load no development-only file', () => {
  const offending = graph.files.filter(isDevOnlyFile).map((f) => `${f} (imported by ${graph.via[f]})`);
  expect(offending).toEqual([]);
});

test('the production entry points load no development package (@temporalio/testing, supertest, …)', () => {
  const dev = new Set([...devPackages(), '@temporalio/testing']);
  expect(graph.packages.filter((p) => dev.has(p)).map((p) => `${p} (imported by ${graph.via[p]})`)).toEqual([]);
});

test('every package production loads is a dependency (the production install has it)', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  expect(graph.packages.filter((p) => !(p in pkg.dependencies))).toEqual([]);
});

test('development code is reached only lazily, from the places that say so', () => {
  // Each loads when that command or path runs, never in the API, the worker or the codec server:
  // the CLI's development commands, and the development system key (refused with NODE_ENV=production).
  const lazyIntoDev = graph.lazy
    .filter((e) => isDevOnlyFile(e.to) || devPackages().includes(e.to))
    .map((e) => `${e.from} -> ${e.to}`)
    .sort();
  expect(lazyIntoDev).toEqual([
    'cli/commands/pki.ts -> dev/pki/test-ca.ts',
    'cli/commands/pki.ts -> sandbox/fixture.ts',
    'cli/commands/simulate.ts -> simulation/local.ts',
    'cli/commands/simulate.ts -> simulation/scenario.ts',
    'security/pki/system-signer.ts -> dev/pki/system-signer.ts',
  ]);
});

test('the walk covers what the processes run (a sanity check of the walker itself)', () => {
  expect(productionEntryPoints()).toEqual(expect.arrayContaining(['api/main.ts', 'worker/main.ts', 'security/codec/main.ts', 'cli/hpc.ts', 'db/migrate-cli.ts']));
  expect(graph.files).toEqual(expect.arrayContaining(['workflows/application/workflow.ts', 'activities/case-activities.ts', 'api/app.ts', 'db/cases/index.ts']));
  expect(graph.packages).toEqual(expect.arrayContaining(['@temporalio/worker', 'express', 'pg']));
  // The walker sees a development import when there is one.
  const benchGraph = importGraph(['bench/worker.ts']);
  expect(benchGraph.files).toEqual(expect.arrayContaining(['bench/baseline/activities.ts', 'worker/run-worker.ts']));
});

test('the production worker registers only production workflows', async () => {
  const workflows = await import('../../workflows');
  expect(Object.keys(workflows).sort()).toEqual(['applicationWorkflow', 'categoryRecheckWorkflow', 'complaintWorkflow', 'queueSnapshotsWorkflow', 'removalWorkflow', 'reverificationWorkflow', 'smsNoticeWorkflow']);
});
