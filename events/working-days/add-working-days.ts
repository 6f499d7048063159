import {
  chinaDayOfEpochMs,
  chinaDayOfInstant,
  endOfChinaDayEpochMs,
  epochMsOfInstant,
  formatEpochMsUtc,
} from './china-time';
import type { WorkingDayCalendar } from './working-day-calendar';

export interface WorkingDayDeadline {
  /** The end of the last working day counted (23:59:59.999 China time), as a UTC ISO instant. */
  readonly dueAt: string;
  /** True when a day counted lies in a year whose holidays are not announced yet (Monday–Friday assumed). */
  readonly provisional: boolean;
}

/**
 * The deadline `n` working days after `startInstantIso`, counted in China time: the start day itself
 * does not count, and the deadline is the end of the n-th working day after it (submitted Monday
 * 10:00 with n = 2 → due Wednesday 23:59:59.999 +08:00).
 *
 * @throws RangeError for a malformed instant or an `n` that is not a positive integer.
 */
export function addWorkingDays(
  startInstantIso: string,
  n: number,
  calendar: WorkingDayCalendar,
): WorkingDayDeadline {
  if (!Number.isSafeInteger(n) || n < 1)
    throw new RangeError(`working days must be a positive integer, got ${n}`);
  let day = chinaDayOfInstant(startInstantIso);
  let counted = 0;
  let provisional = false;
  while (counted < n) {
    day += 1;
    if (!calendar.isAnnouncedDayNumber(day)) provisional = true;
    if (calendar.isWorkingDayNumber(day)) counted += 1;
  }
  return { dueAt: formatEpochMsUtc(endOfChinaDayEpochMs(day)), provisional };
}

/**
 * Whole working days elapsed between two instants, on the same rule as `addWorkingDays`: a working
 * day counts once it has ended in China time and lies after the day of `fromIso`. So
 * `workingDaysBetween(start, addWorkingDays(start, n).dueAt) === n`.
 *
 * @throws RangeError for a malformed instant or when `toIso` is before `fromIso`.
 */
export function workingDaysBetween(fromIso: string, toIso: string, calendar: WorkingDayCalendar): number {
  const fromMs = epochMsOfInstant(fromIso);
  const toMs = epochMsOfInstant(toIso);
  if (toMs < fromMs) throw new RangeError(`${toIso} is before ${fromIso}`);
  let count = 0;
  for (let day = chinaDayOfEpochMs(fromMs) + 1; endOfChinaDayEpochMs(day) <= toMs; day += 1) {
    if (calendar.isWorkingDayNumber(day)) count += 1;
  }
  return count;
}
