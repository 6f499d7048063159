/**
 * Calendar dates written `YYYY-MM-DD`, handled with plain arithmetic: no clock, no time zone.
 * Two valid dates compare correctly as strings.
 */

export interface CalendarDateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function isRealDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** The parts of a real `YYYY-MM-DD` date, or undefined for anything else (2025-02-30, 2025-6-1, …). */
export function parseCalendarDate(text: string): CalendarDateParts | undefined {
  const match = ISO_DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return isRealDate(year, month, day) ? { year, month, day } : undefined;
}

export function isCalendarDate(text: string): boolean {
  return parseCalendarDate(text) !== undefined;
}

export function formatCalendarDate({ year, month, day }: CalendarDateParts): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The same day `months` later; a day that does not exist in the target month becomes its last day
 * (2024-01-31 + 1 month = 2024-02-29).
 */
export function addMonths(date: CalendarDateParts, months: number): CalendarDateParts {
  const monthIndex = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}
