export { baselineWorkflow } from '../../workflows/baseline-workflow';
