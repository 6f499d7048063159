import { calendarDaysBetween, deadlineFor, overdueAt } from './deadline';

describe('the deadline in force for a reported service', () => {
  it('is 2024-03-31 for an existing app: served before 2023-09-01, or since an unknown date', () => {
    expect(deadlineFor(undefined)).toBe('2024-03-31');
    expect(deadlineFor('2019-05-01')).toBe('2024-03-31');
    expect(deadlineFor('2023-08-31')).toBe('2024-03-31');
  });

  it('is the day a new app was first served, from 2023-09-01 on', () => {
    expect(deadlineFor('2023-09-01')).toBe('2023-09-01');
    expect(deadlineFor('2024-06-15')).toBe('2024-06-15');
  });
});

describe('a service overdue as of a date', () => {
  it('is one not registered after its deadline, with the calendar days past it', () => {
    expect(overdueAt({}, '2024-04-01', false)).toEqual({ deadline: '2024-03-31', daysPast: 1 });
    expect(overdueAt({ servedSince: '2024-02-28' }, '2024-03-01', false)).toEqual({
      deadline: '2024-02-28',
      daysPast: 2,
    });
  });

  it('is not one still within its deadline, on the deadline itself included', () => {
    expect(overdueAt({}, '2024-03-31', false)).toBeUndefined();
    expect(overdueAt({ servedSince: '2024-06-15' }, '2024-05-01', false)).toBeUndefined();
  });

  it('is not one registered by the date swept, however late', () => {
    expect(overdueAt({}, '2024-09-01', true)).toBeUndefined();
  });

  it('counts days across a leap day and a year end', () => {
    expect(calendarDaysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(calendarDaysBetween('2024-03-31', '2025-03-31')).toBe(365);
  });
});
