import type { RegistryServiceStatus } from '../../events/ports/read-models.port';
import { escapeXml } from '../audit/timeline-svg';

export const BADGE_LANGUAGES = ['zh', 'en'] as const;
export type BadgeLanguage = (typeof BADGE_LANGUAGES)[number];

const LABEL: Record<BadgeLanguage, string> = { zh: 'ICP备案', en: 'ICP registration' };
const STATUS_WORDS: Record<BadgeLanguage, Record<RegistryServiceStatus, string>> = {
  zh: { active: '已备案', cancelled: '已注销', access_withdrawn: '已停止接入' },
  en: { active: 'active', cancelled: 'cancelled', access_withdrawn: 'access withdrawn' },
};
const STATUS_COLOURS: Record<RegistryServiceStatus, string> = {
  active: '#2e7d32',
  cancelled: '#757575',
  access_withdrawn: '#c62828',
};
const LABEL_COLOUR = '#555555';
const HEIGHT = 20;
const PAD = 6;
const FONT = "Verdana, 'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";

/** Rough text width at 11 px: wide (CJK) characters count double. */
function widthOf(text: string): number {
  return [...text].reduce((sum, char) => sum + ((char.codePointAt(0) ?? 0) <= 0xff ? 7 : 12), 0);
}

function text(x: number, content: string): string {
  return `<text x="${x}" y="14" text-anchor="middle">${escapeXml(content)}</text>`;
}

/**
 * A service's registration as a small badge: the label (`ICP备案`), then its number and status on
 * the status's colour. Standalone SVG 1.1; every text is escaped, so no number or word adds markup.
 */
export function renderBadgeSvg(
  service: { serviceNumber: string; status: RegistryServiceStatus },
  lang: BadgeLanguage,
): string {
  const label = LABEL[lang];
  const value = `${service.serviceNumber} ${STATUS_WORDS[lang][service.status]}`;
  const left = widthOf(label) + 2 * PAD;
  const right = widthOf(value) + 2 * PAD;
  const width = left + right;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${HEIGHT}" ` +
      `viewBox="0 0 ${width} ${HEIGHT}" role="img" aria-label="${escapeXml(`${label}: ${value}`)}">`,
    `<title>${escapeXml(`${label}: ${value}`)}</title>`,
    `<clipPath id="r"><rect width="${width}" height="${HEIGHT}" rx="4"/></clipPath>`,
    '<g clip-path="url(#r)">',
    `<rect width="${left}" height="${HEIGHT}" fill="${LABEL_COLOUR}"/>`,
    `<rect x="${left}" width="${right}" height="${HEIGHT}" fill="${STATUS_COLOURS[service.status]}"/>`,
    '</g>',
    `<g fill="#ffffff" font-family="${escapeXml(FONT)}" font-size="11">`,
    text(left / 2, label),
    text(left + right / 2, value),
    '</g>',
    '</svg>',
    '',
  ].join('\n');
}
