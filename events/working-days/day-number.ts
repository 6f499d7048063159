import { type CalendarDateParts, formatCalendarDate, parseCalendarDate } from '../calendar-date';

/** Days since 1970-01-01 in the proleptic Gregorian calendar; plain arithmetic, no clock, no time zone. */
export type DayNumber = number;

export const MS_PER_DAY = 86_400_000;

export type Weekday = 'sunday' | 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday';

const WEEKDAYS_FROM_SUNDAY: readonly Weekday[] = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
];

// Howard Hinnant's days_from_civil: eras of 400 years starting on 1 March.
export function dayNumberOf({ year, month, day }: CalendarDateParts): DayNumber {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

export function datePartsOf(dayNumber: DayNumber): CalendarDateParts {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

export function weekdayOf(dayNumber: DayNumber): Weekday {
  // 1970-01-01 was a Thursday.
  const index = (((dayNumber + 4) % 7) + 7) % 7;
  return WEEKDAYS_FROM_SUNDAY[index] as Weekday;
}

export function isWeekend(dayNumber: DayNumber): boolean {
  const weekday = weekdayOf(dayNumber);
  return weekday === 'saturday' || weekday === 'sunday';
}

export function formatDayNumber(dayNumber: DayNumber): string {
  return formatCalendarDate(datePartsOf(dayNumber));
}

/** @throws RangeError for anything but a real `YYYY-MM-DD` date. */
export function dayNumberOfDate(date: string): DayNumber {
  const parts = parseCalendarDate(date);
  if (!parts) throw new RangeError(`not a YYYY-MM-DD calendar date: ${JSON.stringify(date)}`);
  return dayNumberOf(parts);
}
