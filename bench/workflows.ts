// The benchmark worker's workflow bundle: the production workflows and the no-op baseline that
// bench/run.ts measures them against, on one worker so both phases run with the same settings.
export * from '../workflows';
export { baselineWorkflow } from './baseline/workflow';
