// Province names and China's working days, from the server's reference.json (built from the domain).

import { language } from './i18n.js';

let reference = { provinces: [], workingDays: { holidays: [], adjustedWorkdays: [], announcedYears: [] } };
let loading;

/** Loads reference.json once. */
export function ready() {
  loading ??= fetch('/console/assets/reference.json')
    .then((response) => response.json())
    .then((json) => {
      reference = json;
    });
  return loading;
}

export function provinceName(code) {
  const province = reference.provinces.find((candidate) => candidate.code === code);
  return province ? province[language()] : String(code ?? '—');
}

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

function isWorkingDay(date) {
  const { holidays, adjustedWorkdays } = reference.workingDays;
  if (adjustedWorkdays.includes(date)) return true;
  if (holidays.includes(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * Whole working days from now to `dueIso`, on the server's rule (workingDaysBetween): a working day
 * counts once it has ended in China time and lies after today. provisional when a year's holidays
 * are not announced yet.
 */
export function workingDaysLeft(dueIso, now = Date.now()) {
  const due = new Date(dueIso).getTime();
  if (Number.isNaN(due) || due <= now) return { days: 0, provisional: false };
  let days = 0;
  let provisional = false;
  const today = Math.floor((now + CHINA_OFFSET_MS) / DAY_MS);
  for (let day = today + 1; (day + 1) * DAY_MS - CHINA_OFFSET_MS <= due; day += 1) {
    const date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (!reference.workingDays.announcedYears.includes(Number(date.slice(0, 4)))) provisional = true;
    if (isWorkingDay(date)) days += 1;
  }
  return { days, provisional };
}
