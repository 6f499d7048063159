import { loadChineseCalendar } from '../infra/calendar/chinese-holidays';
import { SqliteReadModelStore } from '../infra/read-models/sqlite/sqlite-read-model-store';
import { readModelProjections } from '../services/projections/read-model-projections';

/** The read models in `<dataDir>/read-models.sqlite`, SLA figures on China's working-day calendar. */
export function openReadModels(dataDir: string): SqliteReadModelStore {
  return SqliteReadModelStore.open(dataDir, readModelProjections(loadChineseCalendar()));
}
