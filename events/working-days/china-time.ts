import { isRealDate } from '../calendar-date';
import { type DayNumber, MS_PER_DAY, dayNumberOf, formatDayNumber } from './day-number';

/** China Standard Time is UTC+8 all year (no daylight saving since 1991). */
const CHINA_OFFSET_MS = 8 * 3_600_000;

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

/**
 * Milliseconds since the Unix epoch of an ISO 8601 instant with an explicit offset
 * (`2026-09-29T10:00:00+08:00`, `2026-09-29T02:00:00.000Z`). A local time without offset is
 * ambiguous and rejected.
 *
 * @throws RangeError for anything else.
 */
export function epochMsOfInstant(iso: string): number {
  const match = ISO_INSTANT.exec(iso);
  if (!match) throw new RangeError(`not an ISO 8601 instant with an offset: ${JSON.stringify(iso)}`);
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((group) => Number(match[group])) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = Number(match[6] ?? '0');
  const millisecond = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  const offsetSign = match[9] === '-' ? -1 : 1;
  const offsetMinutes = match[8] ? 0 : offsetSign * (Number(match[10]) * 60 + Number(match[11]));
  if (
    !isRealDate(year, month, day) ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    Math.abs(offsetMinutes) > 18 * 60
  ) {
    throw new RangeError(`not a valid instant: ${JSON.stringify(iso)}`);
  }
  const timeOfDayMs = ((hour * 60 + minute) * 60 + second) * 1000 + millisecond;
  return dayNumberOf({ year, month, day }) * MS_PER_DAY + timeOfDayMs - offsetMinutes * 60_000;
}

/** `YYYY-MM-DDTHH:mm:ss.sssZ`, the form `Date.prototype.toISOString` gives. */
export function formatEpochMsUtc(epochMs: number): string {
  const dayNumber = Math.floor(epochMs / MS_PER_DAY);
  const ms = epochMs - dayNumber * MS_PER_DAY;
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  const time = `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}`;
  return `${formatDayNumber(dayNumber)}T${time}.${pad(ms % 1000, 3)}Z`;
}

/** The China calendar day on which the instant falls. */
export function chinaDayOfEpochMs(epochMs: number): DayNumber {
  return Math.floor((epochMs + CHINA_OFFSET_MS) / MS_PER_DAY);
}

export function chinaDayOfInstant(iso: string): DayNumber {
  return chinaDayOfEpochMs(epochMsOfInstant(iso));
}

/** The last millisecond of a China calendar day (23:59:59.999 +08:00) since the Unix epoch. */
export function endOfChinaDayEpochMs(dayNumber: DayNumber): number {
  return (dayNumber + 1) * MS_PER_DAY - CHINA_OFFSET_MS - 1;
}

/** The China calendar date (`YYYY-MM-DD`) of an instant: the date forms and filings are dated by. */
export function chinaDateOfEpochMs(epochMs: number): string {
  return formatDayNumber(chinaDayOfEpochMs(epochMs));
}
