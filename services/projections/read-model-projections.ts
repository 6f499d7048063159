import type { ReadModelProjections } from '../../events/ports/read-models.port';
import type { WorkingDayCalendar } from '../../events/working-days';
import { projectBureauQueue } from './bureau-queue.projection';
import { projectFilingSummary } from './filing-summary.projection';
import { projectPublicRegistry } from './public-registry.projection';
import { projectRegistry } from './registry.projection';
import { projectSla } from './sla-dashboard.projection';

/** The projections a read-model store applies, SLA working days counted on `calendar`. */
export function readModelProjections(calendar: WorkingDayCalendar): ReadModelProjections {
  return {
    filingSummary: projectFilingSummary,
    bureauQueue: projectBureauQueue,
    publicRegistry: projectPublicRegistry,
    sla: (current, event) => projectSla(current, event, calendar),
    registry: projectRegistry,
  };
}
