import { addWorkingDays, workingDaysBetween } from './add-working-days';
import { CHINA_2026 } from './china-2026.fixture';
import { BUREAU_REVIEW_WORKING_DAYS, PLATFORM_REVIEW_WORKING_DAYS } from './sla';
import { WorkingDayCalendar } from './working-day-calendar';

const calendar = new WorkingDayCalendar(CHINA_2026);

describe('addWorkingDays', () => {
  it('ends at the end of the n-th working day after the start day, China time', () => {
    // Monday 2026-03-02 10:00: Tuesday is day 1, Wednesday day 2.
    expect(addWorkingDays('2026-03-02T10:00:00+08:00', 2, calendar)).toEqual({
      dueAt: '2026-03-04T15:59:59.999Z',
      provisional: false,
    });
  });

  it('takes the start day in China time, not UTC', () => {
    // 2026-03-02T17:00Z is already Tuesday 01:00 in China: Wednesday is day 1, Thursday day 2.
    expect(addWorkingDays('2026-03-02T17:00:00Z', 2, calendar).dueAt).toBe('2026-03-05T15:59:59.999Z');
    // One millisecond before Tuesday in China is still Monday.
    expect(addWorkingDays('2026-03-02T23:59:59.999+08:00', 2, calendar).dueAt).toBe(
      '2026-03-04T15:59:59.999Z',
    );
  });

  it('starts counting on the next working day when submitted on a day off', () => {
    // Saturday 2026-03-07: Monday is day 1, Tuesday day 2.
    expect(addWorkingDays('2026-03-07T09:00:00+08:00', 2, calendar).dueAt).toBe('2026-03-10T15:59:59.999Z');
  });

  it('skips the National Day week for a platform review submitted Tue 2026-09-29', () => {
    // Wed 09-30 is day 1; Thu 10-01 … Wed 10-07 are holidays; Thu 10-08 is day 2.
    expect(addWorkingDays('2026-09-29T10:00:00+08:00', PLATFORM_REVIEW_WORKING_DAYS, calendar)).toEqual({
      dueAt: '2026-10-08T15:59:59.999Z',
      provisional: false,
    });
  });

  it('counts the 调休 Saturday 2026-10-10 in a bureau review started Tue 2026-09-29', () => {
    // 1 Wed 09-30 | 10-01…10-07 holidays | 2 Thu 10-08, 3 Fri 10-09, 4 Sat 10-10 (调休), Sun 10-11 off
    // 5 10-12, 6 10-13, 7 10-14, 8 10-15, 9 10-16 | 10 10-19, 11 10-20, 12 10-21, 13 10-22, 14 10-23
    // 15 10-26, 16 10-27, 17 10-28, 18 10-29, 19 10-30 | 20 Mon 11-02.
    expect(addWorkingDays('2026-09-29T10:00:00+08:00', BUREAU_REVIEW_WORKING_DAYS, calendar)).toEqual({
      dueAt: '2026-11-02T15:59:59.999Z',
      provisional: false,
    });
  });

  it('counts the 调休 Sunday 2026-09-20 as a working day', () => {
    // Sat 09-19 start: Sun 09-20 (调休) is day 1, Mon 09-21 day 2.
    expect(addWorkingDays('2026-09-19T12:00:00+08:00', 2, calendar).dueAt).toBe('2026-09-21T15:59:59.999Z');
  });

  it('is provisional, Monday–Friday, in a year not announced yet', () => {
    // Mon 2027-03-01: Tue 03-02 day 1, Wed 03-03 day 2.
    expect(addWorkingDays('2027-03-01T10:00:00+08:00', 2, calendar)).toEqual({
      dueAt: '2027-03-03T15:59:59.999Z',
      provisional: true,
    });
  });

  it('is provisional as soon as one day counted crosses into a year not announced', () => {
    // Wed 2026-12-30: Thu 12-31 day 1, Fri 2027-01-01 day 2 (its New Year holiday is not known yet).
    expect(addWorkingDays('2026-12-30T10:00:00+08:00', 2, calendar)).toEqual({
      dueAt: '2027-01-01T15:59:59.999Z',
      provisional: true,
    });
    expect(addWorkingDays('2026-12-28T10:00:00+08:00', 2, calendar).provisional).toBe(false);
  });

  it('rejects a malformed instant or count', () => {
    expect(() => addWorkingDays('2026-09-29T10:00:00', 2, calendar)).toThrow(RangeError); // no offset
    expect(() => addWorkingDays('2026-02-30T10:00:00Z', 2, calendar)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-09-29T10:00:00Z', 0, calendar)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-09-29T10:00:00Z', 1.5, calendar)).toThrow(RangeError);
  });
});

describe('workingDaysBetween', () => {
  it('counts working days that have ended after the start day', () => {
    const submitted = '2026-09-29T10:00:00+08:00';
    expect(workingDaysBetween(submitted, '2026-09-30T23:59:59.998+08:00', calendar)).toBe(0);
    expect(workingDaysBetween(submitted, '2026-09-30T23:59:59.999+08:00', calendar)).toBe(1);
    expect(workingDaysBetween(submitted, '2026-10-07T12:00:00+08:00', calendar)).toBe(1);
    expect(workingDaysBetween(submitted, '2026-10-11T12:00:00+08:00', calendar)).toBe(4);
  });

  it('is the inverse of addWorkingDays', () => {
    const starts = ['2026-09-29T10:00:00+08:00', '2026-02-13T18:30:00+08:00', '2026-12-31T23:00:00Z'];
    for (const start of starts) {
      for (const n of [1, 2, 5, 20]) {
        const { dueAt } = addWorkingDays(start, n, calendar);
        expect(workingDaysBetween(start, dueAt, calendar)).toBe(n);
      }
    }
  });

  it('is zero within the same day and rejects a reversed span', () => {
    expect(workingDaysBetween('2026-09-29T10:00:00+08:00', '2026-09-29T10:00:00+08:00', calendar)).toBe(0);
    expect(() =>
      workingDaysBetween('2026-09-29T10:00:00+08:00', '2026-09-28T10:00:00+08:00', calendar),
    ).toThrow(RangeError);
  });
});
