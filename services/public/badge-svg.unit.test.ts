import { allElements, parseXml, textOf, type XmlElement } from '../../test/support/audit/xml-tree';
import { renderBadgeSvg } from './badge-svg';

const NUMBER = '粤ICP备2026000001号-2A';
const texts = (svg: XmlElement) =>
  allElements(svg)
    .filter((element) => element.name === 'text')
    .map(textOf);

describe('renderBadgeSvg: a registration as a badge', () => {
  it('shows the label, the number and the status in Chinese', () => {
    const svg = parseXml(renderBadgeSvg({ serviceNumber: NUMBER, status: 'active' }, 'zh'));
    expect(svg.name).toBe('svg');
    expect(texts(svg)).toEqual(['ICP备案', `${NUMBER} 已备案`]);
    expect(textOf(allElements(svg).find((element) => element.name === 'title')!)).toBe(
      `ICP备案: ${NUMBER} 已备案`,
    );
    expect(allElements(svg).some((element) => element.name === 'rect' && element.attributes.rx === '4')).toBe(
      true,
    );
  });

  it.each([
    ['zh', 'cancelled', '已注销'],
    ['zh', 'access_withdrawn', '已停止接入'],
    ['en', 'active', 'active'],
    ['en', 'cancelled', 'cancelled'],
    ['en', 'access_withdrawn', 'access withdrawn'],
  ] as const)('says %s %s as “%s”', (lang, status, words) => {
    const svg = parseXml(renderBadgeSvg({ serviceNumber: NUMBER, status }, lang));
    expect(texts(svg)).toEqual([lang === 'zh' ? 'ICP备案' : 'ICP registration', `${NUMBER} ${words}`]);
  });

  it('colours a service by its status, so a cancelled one does not look registered', () => {
    const fills = (status: 'active' | 'cancelled' | 'access_withdrawn') =>
      allElements(parseXml(renderBadgeSvg({ serviceNumber: NUMBER, status }, 'en')))
        .filter((element) => element.name === 'rect')
        .map((element) => element.attributes.fill);
    expect(new Set([fills('active'), fills('cancelled'), fills('access_withdrawn')].map(String)).size).toBe(
      3,
    );
  });

  it('escapes the number: markup in it stays text', () => {
    const hostile = '</text><script>alert(1)</script><a href="x">&';
    const source = renderBadgeSvg({ serviceNumber: hostile, status: 'active' }, 'en');
    const svg = parseXml(source);
    expect(allElements(svg).map((element) => element.name)).not.toEqual(
      expect.arrayContaining(['script', 'a']),
    );
    expect(texts(svg)[1]).toBe(`${hostile} active`);
    expect(source).not.toContain('<script');
  });
});
