// The workflow bundle's entry: every workflow type the worker runs.
export { applicationWorkflow } from './application/workflow';
export { baselineWorkflow } from './baseline-workflow';
export { queueSnapshotsWorkflow } from './queue-snapshots';
