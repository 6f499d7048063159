import type { WorkingDayCalendar } from '../events/working-days';
import { SqliteReadModelStore } from '../infra/read-models/sqlite/sqlite-read-model-store';
import { readModelProjections } from '../services/projections/read-model-projections';

/** The read models in `<dataDir>/read-models.sqlite`, SLA working days counted on `calendar`. */
export function openReadModels(dataDir: string, calendar: WorkingDayCalendar): SqliteReadModelStore {
  return SqliteReadModelStore.open(dataDir, readModelProjections(calendar));
}
