export {
  createInspectionActivities,
  type InspectionActivities,
  type InspectionActivityDeps,
  type InspectionDue,
  type InspectionStep,
  type OpenInspectionInput,
} from './inspection.activities';
