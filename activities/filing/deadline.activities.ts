import type { Deadline } from '../../events/filing/filing-events';
import { addWorkingDays } from '../../events/working-days/add-working-days';
import type { WorkingDayCalendar } from '../../events/working-days/working-day-calendar';

/** Deadlines need the maintained holiday calendar, which changes yearly: an activity keeps replay deterministic. */
export function createDeadlineActivities(deps: { calendar: WorkingDayCalendar }) {
  return {
    async computeDeadline(input: { from: string; workingDays: number }): Promise<Deadline> {
      return addWorkingDays(input.from, input.workingDays, deps.calendar);
    },
  };
}
