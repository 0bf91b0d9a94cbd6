// The workflow bundle's entry: every workflow type the production worker runs. The benchmark's
// no-op baseline is bench/baseline/ (its own bundle entry, bench/workflows.ts).
export { applicationWorkflow } from './application/workflow';
export { complaintWorkflow } from './complaint/workflow';
export { categoryRecheckWorkflow, smsNoticeWorkflow } from './category-recheck';
export { queueSnapshotsWorkflow } from './queue-snapshots';
export { reverificationWorkflow } from './reverification';
export { removalWorkflow } from './removal/workflow';
