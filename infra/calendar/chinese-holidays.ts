import { readFileSync } from 'node:fs';
import { WorkingDayCalendar, type WorkingDayDataset } from '../../events/working-days';

/** The holiday data the `chinese-days` package maintains (2004 onwards), keyed by `YYYY-MM-DD`. */
const CHINESE_DAYS_JSON = 'chinese-days/dist/chinese-days.json';

/**
 * The working-day dataset from the package's JSON: `holidays` are days off, `workdays` are the
 * 调休 weekend days worked; its `inLieuDays` are already among the holidays. A year counts as
 * announced when the package has any entry for it.
 *
 * @throws Error when the JSON does not have the shape the package publishes.
 */
export function chineseDaysDataset(json: unknown): WorkingDayDataset {
  const holidays = dateKeys(json, 'holidays');
  const adjustedWorkdays = dateKeys(json, 'workdays');
  const announcedYears = [
    ...new Set([...holidays, ...adjustedWorkdays].map((date) => Number(date.slice(0, 4)))),
  ];
  return {
    holidays: holidays.sort(),
    adjustedWorkdays: adjustedWorkdays.sort(),
    announcedYears: announcedYears.sort((a, b) => a - b),
  };
}

/** The dataset of the installed `chinese-days` package. */
export function readChineseDaysDataset(): WorkingDayDataset {
  return chineseDaysDataset(JSON.parse(readFileSync(require.resolve(CHINESE_DAYS_JSON), 'utf8')) as unknown);
}

let cached: WorkingDayCalendar | undefined;

/** China's working-day calendar from the installed `chinese-days` package, read once per process. */
export function loadChineseCalendar(): WorkingDayCalendar {
  cached ??= new WorkingDayCalendar(readChineseDaysDataset());
  return cached;
}

function dateKeys(json: unknown, key: 'holidays' | 'workdays'): string[] {
  const table = isRecord(json) ? json[key] : undefined;
  if (!isRecord(table)) throw new Error(`${CHINESE_DAYS_JSON}: "${key}" is not an object keyed by date`);
  return Object.keys(table);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
