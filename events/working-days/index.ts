export { addWorkingDays, workingDaysBetween, type WorkingDayDeadline } from './add-working-days';
export {
  BUREAU_REVIEW_WORKING_DAYS,
  PLATFORM_REVIEW_WORKING_DAYS,
  SMS_VERIFICATION_WINDOW_HOURS,
  SMS_VERIFICATION_WINDOW_MS,
} from './sla';
export { WorkingDayCalendar, type WorkingDayDataset } from './working-day-calendar';
