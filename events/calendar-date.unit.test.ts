import fc from 'fast-check';
import { addMonths, formatCalendarDate, isCalendarDate, parseCalendarDate } from './calendar-date';

describe('parseCalendarDate', () => {
  it.each(['2024-02-29', '2000-02-29', '2025-12-31', '1900-01-01'])('accepts %s', (text) => {
    expect(isCalendarDate(text)).toBe(true);
    expect(formatCalendarDate(parseCalendarDate(text) ?? { year: 0, month: 0, day: 0 })).toBe(text);
  });

  it.each([
    '2025-02-29',
    '1900-02-29',
    '2025-04-31',
    '2025-13-01',
    '2025-00-10',
    '2025-6-1',
    '20250601',
    '2025-06-01T00:00',
    '',
  ])('rejects %p', (text) => {
    expect(isCalendarDate(text)).toBe(false);
  });
});

describe('addMonths', () => {
  it.each([
    ['2025-06-01', 1, '2025-07-01'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2025-01-31', 1, '2025-02-28'],
    ['2025-12-15', 1, '2026-01-15'],
    ['2025-03-31', -1, '2025-02-28'],
  ])('%s + %i month → %s', (from, months, to) => {
    const parsed = parseCalendarDate(from);
    if (!parsed) throw new Error('bad test date');
    expect(formatCalendarDate(addMonths(parsed, months))).toBe(to);
  });

  it('always lands on a real date that sorts after the start', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (year, month, day) => {
          const start = parseCalendarDate(formatCalendarDate({ year, month, day }));
          fc.pre(start !== undefined);
          if (!start) return;
          const next = formatCalendarDate(addMonths(start, 1));
          expect(isCalendarDate(next)).toBe(true);
          expect(next > formatCalendarDate(start)).toBe(true);
        },
      ),
    );
  });
});
