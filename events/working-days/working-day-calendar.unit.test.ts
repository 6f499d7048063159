import { CHINA_2026 } from './china-2026.fixture';
import { WorkingDayCalendar } from './working-day-calendar';

const calendar = new WorkingDayCalendar(CHINA_2026);

describe('WorkingDayCalendar', () => {
  it('treats announced holidays as days off, weekday or not', () => {
    expect(calendar.isWorkingDay('2026-10-01')).toBe(false); // Thursday, National Day
    expect(calendar.isWorkingDay('2026-10-07')).toBe(false); // Wednesday, day off in lieu
    expect(calendar.isWorkingDay('2026-09-25')).toBe(false); // Friday, Mid-Autumn
  });

  it('treats 调休 weekend days as working days', () => {
    expect(calendar.isWorkingDay('2026-09-20')).toBe(true); // Sunday
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true); // Saturday
  });

  it('keeps ordinary weekdays and weekends as they are', () => {
    expect(calendar.isWorkingDay('2026-09-29')).toBe(true); // Tuesday
    expect(calendar.isWorkingDay('2026-10-11')).toBe(false); // Sunday
  });

  it('falls back to Monday–Friday for a year not announced', () => {
    expect(calendar.isAnnouncedYear(2026)).toBe(true);
    expect(calendar.isAnnouncedYear(2027)).toBe(false);
    expect(calendar.isWorkingDay('2027-01-01')).toBe(true); // Friday; New Year is not announced yet
    expect(calendar.isWorkingDay('2027-01-02')).toBe(false); // Saturday
  });

  it('rejects malformed dates', () => {
    expect(() => calendar.isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => calendar.isWorkingDay('2026/10/01')).toThrow(RangeError);
  });

  it('rejects a dataset that contradicts itself', () => {
    expect(
      () =>
        new WorkingDayCalendar({
          holidays: ['2026-10-10'],
          adjustedWorkdays: ['2026-10-10'],
          announcedYears: [2026],
        }),
    ).toThrow(/both as a holiday and as an adjusted workday/);
    expect(
      () =>
        new WorkingDayCalendar({ holidays: ['2027-01-01'], adjustedWorkdays: [], announcedYears: [2026] }),
    ).toThrow(/not among the announced years/);
  });
});
