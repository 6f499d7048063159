import { type DayNumber, datePartsOf, dayNumberOfDate, formatDayNumber, isWeekend } from './day-number';

/** China's official working-day schedule as the State Council announces it each year. */
export interface WorkingDayDataset {
  /** Public holidays, `YYYY-MM-DD`, including weekend days inside a holiday period. */
  readonly holidays: readonly string[];
  /** 调休: weekend days that are working days because a holiday period borrowed a weekday. */
  readonly adjustedWorkdays: readonly string[];
  /** Years whose schedule has been announced; any other year falls back to Monday–Friday. */
  readonly announcedYears: readonly number[];
}

export class WorkingDayCalendar {
  private readonly holidays: ReadonlySet<DayNumber>;
  private readonly adjustedWorkdays: ReadonlySet<DayNumber>;
  private readonly announcedYears: ReadonlySet<number>;

  /** @throws RangeError when the dataset has malformed dates or contradicts itself. */
  constructor(dataset: WorkingDayDataset) {
    this.announcedYears = new Set(dataset.announcedYears);
    this.holidays = this.announcedDays(dataset.holidays, 'holiday');
    this.adjustedWorkdays = this.announcedDays(dataset.adjustedWorkdays, 'adjusted workday');
    for (const day of this.adjustedWorkdays) {
      if (this.holidays.has(day)) {
        throw new RangeError(
          `${formatDayNumber(day)} is listed both as a holiday and as an adjusted workday`,
        );
      }
    }
  }

  /** Whether `YYYY-MM-DD` (a China calendar date) is a working day. */
  isWorkingDay(date: string): boolean {
    return this.isWorkingDayNumber(dayNumberOfDate(date));
  }

  isWorkingDayNumber(day: DayNumber): boolean {
    if (this.adjustedWorkdays.has(day)) return true;
    if (this.holidays.has(day)) return false;
    return !isWeekend(day);
  }

  /** False for a year whose holidays are not known yet: its working days are a Monday–Friday guess. */
  isAnnouncedYear(year: number): boolean {
    return this.announcedYears.has(year);
  }

  isAnnouncedDayNumber(day: DayNumber): boolean {
    return this.isAnnouncedYear(datePartsOf(day).year);
  }

  private announcedDays(dates: readonly string[], what: string): ReadonlySet<DayNumber> {
    const days = new Set<DayNumber>();
    for (const date of dates) {
      const day = dayNumberOfDate(date);
      if (!this.isAnnouncedDayNumber(day)) {
        throw new RangeError(`${what} ${date} lies in a year that is not among the announced years`);
      }
      days.add(day);
    }
    return days;
  }
}
