import { addWorkingDays } from '../../events/working-days';
import { CHINA_2026 } from '../../events/working-days/china-2026.fixture';
import { chineseDaysDataset, loadChineseCalendar, readChineseDaysDataset } from './chinese-holidays';

describe('China calendar from the chinese-days package', () => {
  const calendar = loadChineseCalendar();

  it('announces every year from 2004 to 2026', () => {
    for (let year = 2004; year <= 2026; year += 1) expect(calendar.isAnnouncedYear(year)).toBe(true);
  });

  it('has the 2026 schedule the domain tests use', () => {
    const dataset = readChineseDaysDataset();
    expect(dataset.holidays.filter((date) => date.startsWith('2026-'))).toEqual(
      [...CHINA_2026.holidays].sort(),
    );
    expect(dataset.adjustedWorkdays.filter((date) => date.startsWith('2026-'))).toEqual(
      [...CHINA_2026.adjustedWorkdays].sort(),
    );
  });

  it('knows 调休 and holidays of past years', () => {
    expect(calendar.isWorkingDay('2025-10-01')).toBe(false); // National Day
    expect(calendar.isWorkingDay('2025-09-28')).toBe(true); // Sunday worked (调休)
    expect(calendar.isWorkingDay('2024-02-18')).toBe(true); // Sunday worked after Spring Festival
  });

  it('gives the National Day 2026 platform-review deadline', () => {
    expect(addWorkingDays('2026-09-29T10:00:00+08:00', 2, calendar)).toEqual({
      dueAt: '2026-10-08T15:59:59.999Z',
      provisional: false,
    });
  });

  it('is built once per process', () => {
    expect(loadChineseCalendar()).toBe(calendar);
  });

  it('rejects JSON of another shape', () => {
    expect(() => chineseDaysDataset({ holidays: [] })).toThrow(/"holidays" is not an object/);
    expect(() => chineseDaysDataset(null)).toThrow(Error);
  });
});
