import { parseCalendarDate } from '../calendar-date';

/**
 * The deadlines of the registration rule: apps served before it came in (1 September 2023) had
 * until 31 March 2024; a new app must be registered before it is served at all.
 */
export const RULE_IN_FORCE_FROM = '2023-09-01';
export const EXISTING_APPS_DEADLINE = '2024-03-31';

/** The deadline in force for a service served since `servedSince` (absent: an existing app). */
export function deadlineFor(servedSince: string | undefined): string {
  if (servedSince === undefined || servedSince < RULE_IN_FORCE_FROM) return EXISTING_APPS_DEADLINE;
  return servedSince;
}

function dayNumber(date: string): number {
  const parts = parseCalendarDate(date);
  if (!parts) throw new RangeError(`not a calendar date: ${JSON.stringify(date)}`);
  return Date.UTC(parts.year, parts.month - 1, parts.day) / 86_400_000;
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function calendarDaysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

export interface Overdue {
  readonly deadline: string;
  readonly daysPast: number;
}

/**
 * Whether a reported service is overdue at `asOf`: past its deadline and not registered then
 * (`registeredAtAsOf` false: no service carrying its identifier approved on or before `asOf`).
 * Undefined when it is not overdue.
 */
export function overdueAt(
  line: { readonly servedSince?: string },
  asOf: string,
  registeredAtAsOf: boolean,
): Overdue | undefined {
  const deadline = deadlineFor(line.servedSince);
  if (registeredAtAsOf || asOf <= deadline) return undefined;
  return { deadline, daysPast: calendarDaysBetween(deadline, asOf) };
}
