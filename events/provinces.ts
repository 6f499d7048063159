/**
 * The 31 provincial-level divisions of mainland China that run a communications administration
 * (通信管理局) and issue ICP numbers. Codes are GB/T 2260; the first abbreviation is the one printed
 * in registration numbers (e.g. 粤ICP备…), later ones are accepted variants when parsing.
 */

export type ProvinceKind = 'municipality' | 'province' | 'autonomous_region';

export interface Province {
  /** GB/T 2260 six-digit code, e.g. "440000". */
  readonly code: string;
  /** Official Chinese name, e.g. "广东省". */
  readonly name: string;
  /** One-character abbreviations; the first is the one issued. */
  readonly abbreviations: readonly [string, ...string[]];
  readonly pinyin: string;
  readonly englishName: string;
  readonly kind: ProvinceKind;
}

export const PROVINCES = [
  p('110000', '北京市', ['京'], 'Beijing', 'Beijing', 'municipality'),
  p('120000', '天津市', ['津'], 'Tianjin', 'Tianjin', 'municipality'),
  p('130000', '河北省', ['冀'], 'Hebei', 'Hebei', 'province'),
  p('140000', '山西省', ['晋'], 'Shanxi', 'Shanxi', 'province'),
  p('150000', '内蒙古自治区', ['蒙'], 'Nei Menggu', 'Inner Mongolia', 'autonomous_region'),
  p('210000', '辽宁省', ['辽'], 'Liaoning', 'Liaoning', 'province'),
  p('220000', '吉林省', ['吉'], 'Jilin', 'Jilin', 'province'),
  p('230000', '黑龙江省', ['黑'], 'Heilongjiang', 'Heilongjiang', 'province'),
  p('310000', '上海市', ['沪'], 'Shanghai', 'Shanghai', 'municipality'),
  p('320000', '江苏省', ['苏'], 'Jiangsu', 'Jiangsu', 'province'),
  p('330000', '浙江省', ['浙'], 'Zhejiang', 'Zhejiang', 'province'),
  p('340000', '安徽省', ['皖'], 'Anhui', 'Anhui', 'province'),
  p('350000', '福建省', ['闽'], 'Fujian', 'Fujian', 'province'),
  p('360000', '江西省', ['赣'], 'Jiangxi', 'Jiangxi', 'province'),
  p('370000', '山东省', ['鲁'], 'Shandong', 'Shandong', 'province'),
  p('410000', '河南省', ['豫'], 'Henan', 'Henan', 'province'),
  p('420000', '湖北省', ['鄂'], 'Hubei', 'Hubei', 'province'),
  p('430000', '湖南省', ['湘'], 'Hunan', 'Hunan', 'province'),
  p('440000', '广东省', ['粤'], 'Guangdong', 'Guangdong', 'province'),
  p('450000', '广西壮族自治区', ['桂'], 'Guangxi', 'Guangxi', 'autonomous_region'),
  p('460000', '海南省', ['琼'], 'Hainan', 'Hainan', 'province'),
  p('500000', '重庆市', ['渝'], 'Chongqing', 'Chongqing', 'municipality'),
  p('510000', '四川省', ['川', '蜀'], 'Sichuan', 'Sichuan', 'province'),
  p('520000', '贵州省', ['黔', '贵'], 'Guizhou', 'Guizhou', 'province'),
  p('530000', '云南省', ['滇', '云'], 'Yunnan', 'Yunnan', 'province'),
  p('540000', '西藏自治区', ['藏'], 'Xizang', 'Tibet', 'autonomous_region'),
  p('610000', '陕西省', ['陕'], 'Shaanxi', 'Shaanxi', 'province'),
  p('620000', '甘肃省', ['甘', '陇'], 'Gansu', 'Gansu', 'province'),
  p('630000', '青海省', ['青'], 'Qinghai', 'Qinghai', 'province'),
  p('640000', '宁夏回族自治区', ['宁'], 'Ningxia', 'Ningxia', 'autonomous_region'),
  p('650000', '新疆维吾尔自治区', ['新'], 'Xinjiang', 'Xinjiang', 'autonomous_region'),
] as const satisfies readonly Province[];

export type ProvinceCode = (typeof PROVINCES)[number]['code'];

const byCode: ReadonlyMap<string, Province> = new Map(PROVINCES.map((province) => [province.code, province]));

const byAbbreviation: ReadonlyMap<string, Province> = new Map(
  PROVINCES.flatMap((province) => province.abbreviations.map((abbr) => [abbr, province] as const)),
);

export function provinceByCode(code: string): Province | undefined {
  return byCode.get(code);
}

/** Accepts every variant (川 and 蜀 both give Sichuan). */
export function provinceByAbbreviation(abbreviation: string): Province | undefined {
  return byAbbreviation.get(abbreviation);
}

export function isProvinceCode(code: string): code is ProvinceCode {
  return byCode.has(code);
}

/** The abbreviation printed in numbers issued for this province. */
export function issuedAbbreviation(province: Province): string {
  return province.abbreviations[0];
}

/** True when the two leading digits of a GB/T 2260 area code belong to one of the 31 provinces. */
export function isProvincePrefix(twoDigits: string): boolean {
  return byCode.has(`${twoDigits}0000`);
}

function p<const Code extends string>(
  code: Code,
  name: string,
  abbreviations: readonly [string, ...string[]],
  pinyin: string,
  englishName: string,
  kind: ProvinceKind,
): Province & { readonly code: Code } {
  return { code, name, abbreviations, pinyin, englishName, kind };
}
