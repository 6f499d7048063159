import {
  isProvinceCode,
  isProvincePrefix,
  issuedAbbreviation,
  PROVINCES,
  provinceByAbbreviation,
  provinceByCode,
} from './provinces';

describe('PROVINCES', () => {
  it('lists the 31 provincial-level divisions once each, by GB/T 2260 code', () => {
    expect(PROVINCES).toHaveLength(31);
    expect(new Set(PROVINCES.map((p) => p.code)).size).toBe(31);
    for (const province of PROVINCES) expect(province.code).toMatch(/^[1-6]\d0000$/);
  });

  it('issues the first abbreviation, in the order the design lists them', () => {
    expect(PROVINCES.map(issuedAbbreviation).join(' ')).toBe(
      '京 津 冀 晋 蒙 辽 吉 黑 沪 苏 浙 皖 闽 赣 鲁 豫 鄂 湘 粤 桂 琼 渝 川 黔 滇 藏 陕 甘 青 宁 新',
    );
  });

  it('never gives two provinces the same abbreviation', () => {
    const all = PROVINCES.flatMap((p) => p.abbreviations);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('provinceByCode / isProvinceCode', () => {
  it('finds Guangdong by 440000', () => {
    expect(provinceByCode('440000')).toMatchObject({
      name: '广东省',
      englishName: 'Guangdong',
      abbreviations: ['粤'],
    });
    expect(isProvinceCode('440000')).toBe(true);
  });

  it.each(['440300', '810000', '820000', '710000', '44000', '', ' 440000'])('rejects %p', (code) => {
    expect(provinceByCode(code)).toBeUndefined();
    expect(isProvinceCode(code)).toBe(false);
  });
});

describe('provinceByAbbreviation', () => {
  it.each([
    ['川', '510000'],
    ['蜀', '510000'],
    ['黔', '520000'],
    ['贵', '520000'],
    ['滇', '530000'],
    ['云', '530000'],
    ['甘', '620000'],
    ['陇', '620000'],
    ['粤', '440000'],
  ])('%s → %s', (abbreviation, code) => {
    expect(provinceByAbbreviation(abbreviation)?.code).toBe(code);
  });

  it.each(['港', '澳', '台', 'GD', ''])('knows nothing of %p', (abbreviation) => {
    expect(provinceByAbbreviation(abbreviation)).toBeUndefined();
  });
});

describe('isProvincePrefix', () => {
  it('accepts the two leading digits of a province code only', () => {
    expect(isProvincePrefix('44')).toBe(true);
    expect(isProvincePrefix('65')).toBe(true);
    expect(isProvincePrefix('71')).toBe(false);
    expect(isProvincePrefix('99')).toBe(false);
    expect(isProvincePrefix('4')).toBe(false);
  });
});
