import { chinaDayOfInstant, endOfChinaDayEpochMs, epochMsOfInstant, formatEpochMsUtc } from './china-time';
import { dayNumberOfDate, formatDayNumber, weekdayOf } from './day-number';

describe('calendar day arithmetic', () => {
  it('agrees with the epoch and known weekdays', () => {
    expect(dayNumberOfDate('1970-01-01')).toBe(0);
    expect(weekdayOf(dayNumberOfDate('1970-01-01'))).toBe('thursday');
    expect(weekdayOf(dayNumberOfDate('2026-10-10'))).toBe('saturday');
    expect(weekdayOf(dayNumberOfDate('2026-09-20'))).toBe('sunday');
  });

  it('round-trips dates across leap days and centuries', () => {
    for (const date of ['1900-03-01', '2000-02-29', '2024-02-29', '2026-12-31', '2100-02-28', '1969-12-31']) {
      expect(formatDayNumber(dayNumberOfDate(date))).toBe(date);
    }
    expect(dayNumberOfDate('2024-03-01') - dayNumberOfDate('2024-02-28')).toBe(2);
  });
});

describe('China time', () => {
  it('parses ISO instants with an offset to epoch milliseconds', () => {
    expect(epochMsOfInstant('1970-01-01T00:00:00Z')).toBe(0);
    expect(epochMsOfInstant('1970-01-01T08:00:00+08:00')).toBe(0);
    expect(epochMsOfInstant('2026-09-29T02:00:00.123Z')).toBe(Date.UTC(2026, 8, 29, 2, 0, 0, 123));
    expect(epochMsOfInstant('2026-09-29T10:00+08:00')).toBe(Date.UTC(2026, 8, 29, 2));
    expect(epochMsOfInstant('2026-09-28T21:00:00-05:00')).toBe(Date.UTC(2026, 8, 29, 2));
  });

  it('rejects instants without an offset or with impossible fields', () => {
    for (const bad of [
      '2026-09-29T10:00:00',
      '2026-09-29',
      '2026-09-29T24:00:00Z',
      '2026-09-29T10:60:00Z',
      'soon',
    ]) {
      expect(() => epochMsOfInstant(bad)).toThrow(RangeError);
    }
  });

  it('formats like Date.prototype.toISOString', () => {
    const ms = Date.UTC(2026, 9, 8, 15, 59, 59, 999);
    expect(formatEpochMsUtc(ms)).toBe('2026-10-08T15:59:59.999Z');
    expect(formatEpochMsUtc(0)).toBe('1970-01-01T00:00:00.000Z');
  });

  it('finds the China day of an instant and the end of a China day', () => {
    expect(formatDayNumber(chinaDayOfInstant('2026-09-29T15:59:59.999Z'))).toBe('2026-09-29');
    expect(formatDayNumber(chinaDayOfInstant('2026-09-29T16:00:00Z'))).toBe('2026-09-30');
    expect(formatEpochMsUtc(endOfChinaDayEpochMs(dayNumberOfDate('2026-10-08')))).toBe(
      '2026-10-08T15:59:59.999Z',
    );
  });
});
