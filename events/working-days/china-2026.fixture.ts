import type { WorkingDayDataset } from './working-day-calendar';

/**
 * China's 2026 schedule as the State Council's General Office announced it, copied so the domain tests read
 * on their own; `infra/calendar` checks it against the `chinese-days` package.
 */
export const CHINA_2026: WorkingDayDataset = {
  // prettier-ignore
  holidays: [
    '2026-01-01', '2026-01-02', '2026-01-03', // New Year
    '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23', // Spring Festival
    '2026-04-04', '2026-04-05', '2026-04-06', // Qingming
    '2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05', // Labour Day
    '2026-06-19', '2026-06-20', '2026-06-21', // Dragon Boat
    '2026-09-25', '2026-09-26', '2026-09-27', // Mid-Autumn
    '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07', // National Day
  ],
  adjustedWorkdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  announcedYears: [2026],
};
