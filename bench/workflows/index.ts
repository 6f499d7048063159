export { bareFilingWorkflow } from './bare-filing.workflow';
