import type { ServiceType } from '../../events/form/registration-form';
import { creditCodeCheckCharacter, CREDIT_CODE_ALPHABET } from '../../events/identity/credit-code';
import { gb11643CheckCharacter } from '../../events/identity/resident-id';
import { sha256Hex } from '../../events/ids';
import type { ProvinceCode } from '../../events/provinces';
import { dayNumberOfDate, formatDayNumber } from '../../events/working-days/day-number';
import { loadValidForm, type ValidFormFixture } from '../fixtures/forms/form-fixtures';
import { mixSeed, type SeededRandom } from './seeded-random';

/**
 * Registration forms for generated filings: the valid fixtures with a unique Chinese app name, an
 * operator of its own (credit code or resident ID, so every filing is its own numbering subject) and
 * a domicile in one of a few provinces. Forms stay JSON, as a platform posts them; `decide` validates.
 */

export type JsonForm = Record<string, unknown>;

export interface GeneratedSubmission {
  readonly platformId: string;
  readonly province: ProvinceCode;
  readonly serviceType: ServiceType;
  readonly appName: string;
  readonly fixture: ValidFormFixture;
  readonly form: JsonForm;
}

interface ProvinceProfile {
  readonly code: ProvinceCode;
  readonly city: string;
  /** A district's GB/T 2260 code: region part of credit codes and resident IDs. */
  readonly areaCode: string;
  readonly street: string;
}

/** Where generated operators are domiciled, weighted roughly by how many filings each bureau sees. */
export const GENERATED_PROVINCES: readonly (readonly [ProvinceProfile, number])[] = [
  [{ code: '440000', city: '深圳市', areaCode: '440305', street: '深圳市南山区粤海街道科技南一路' }, 4],
  [{ code: '110000', city: '北京市', areaCode: '110108', street: '北京市海淀区中关村大街' }, 3],
  [{ code: '310000', city: '上海市', areaCode: '310115', street: '上海市浦东新区张江路' }, 3],
  [{ code: '330000', city: '杭州市', areaCode: '330106', street: '杭州市西湖区文三路' }, 3],
  [{ code: '320000', city: '南京市', areaCode: '320106', street: '南京市鼓楼区中山北路' }, 2],
  [{ code: '510000', city: '成都市', areaCode: '510107', street: '成都市武侯区人民南路四段' }, 2],
  [{ code: '420000', city: '武汉市', areaCode: '420106', street: '武汉市武昌区中北路' }, 1],
  [{ code: '370000', city: '济南市', areaCode: '370102', street: '济南市历下区经十路' }, 1],
];

/** Platforms that submit apps (access providers) and the hosts that submit mini programs. */
export const APP_PLATFORMS: readonly string[] = ['aliyun', 'tencent-cloud', 'huawei-cloud'];

interface MiniProgramHost {
  readonly platformId: string;
  readonly hostApp: string;
  readonly idOf: (hex: string) => string;
}

const MINI_PROGRAM_HOSTS: readonly MiniProgramHost[] = [
  { platformId: 'wechat', hostApp: '微信', idOf: (hex) => `wx${hex.slice(0, 16)}` },
  {
    platformId: 'alipay',
    hostApp: '支付宝',
    idOf: (hex) =>
      `2021${String(parseInt(hex.slice(0, 10), 16))
        .padStart(12, '0')
        .slice(-12)}`,
  },
  { platformId: 'douyin', hostApp: '抖音', idOf: (hex) => `tt${hex.slice(0, 16)}` },
];

export const PLATFORM_IDS: readonly string[] = [
  ...APP_PLATFORMS,
  ...MINI_PROGRAM_HOSTS.map((host) => host.platformId),
];

const FIXTURE_MIX: readonly (readonly [ValidFormFixture, number])[] = [
  ['valid-app', 5],
  ['valid-mini-program', 3],
  ['valid-existing-subject', 2],
];

const cachedFixtures = new Map<ValidFormFixture, JsonForm>();

function fixtureCopy(name: ValidFormFixture): JsonForm {
  let fixture = cachedFixtures.get(name);
  if (!fixture) {
    fixture = loadValidForm(name);
    cachedFixtures.set(name, fixture);
  }
  return structuredClone(fixture);
}

export interface SubmissionRequest {
  readonly index: number;
  readonly seed: number;
  readonly filingId: string;
  readonly random: SeededRandom;
  /** A subject number the operator already holds in `province` (for the existing-subject fixture). */
  readonly existingSubjectNumber: (province: ProvinceCode) => string;
}

export function generateSubmission(request: SubmissionRequest): GeneratedSubmission {
  const { random } = request;
  const fixture = random.weighted(FIXTURE_MIX);
  const profile = random.weighted(GENERATED_PROVINCES);
  const form = fixtureCopy(fixture);
  const appName = uniqueAppName(request.index, request.seed);
  const app = form.app as JsonForm;
  app.name = appName;
  let platformId: string;
  switch (fixture) {
    case 'valid-app':
    case 'valid-quick-app':
      platformId = random.pick(APP_PLATFORMS);
      form.operator = enterpriseOperator(profile, request, appName);
      break;
    case 'valid-mini-program': {
      const host = random.pick(MINI_PROGRAM_HOSTS);
      platformId = host.platformId;
      app.hostApp = host.hostApp;
      app.miniProgramId = host.idOf(sha256Hex(request.filingId));
      individualOperator(form, profile, request);
      break;
    }
    case 'valid-existing-subject':
      platformId = random.pick(APP_PLATFORMS);
      form.existingSubjectNumber = request.existingSubjectNumber(profile.code);
      form.operatorCertificate = {
        type: 'uscc',
        number: uniqueCreditCode(profile.areaCode, request.index, request.seed),
      };
      break;
  }
  return {
    platformId,
    province: profile.code,
    serviceType: form.serviceType as ServiceType,
    appName,
    fixture,
    form,
  };
}

/** The form a platform sends back after a return for correction: same subject, a fuller description. */
export function correctedForm(form: JsonForm): JsonForm {
  const corrected = structuredClone(form);
  const app = corrected.app as JsonForm;
  app.serviceContent = `${String(app.serviceContent)}（已按审核意见补充功能说明与截图）`;
  return corrected;
}

// prettier-ignore
const NAME_PREFIXES = [
  '晨光', '星河', '青禾', '云端', '极光', '小鹿', '橙子', '蓝鲸', '竹影', '山海', '知行', '乐享', '优选', '悦读', '掌上', '智慧',
  '萤火', '拾光', '若水', '初心', '远方', '微澜', '花间', '墨韵', '暖阳', '锦鲤', '清风', '明月', '飞鸟', '松果', '麦田', '桃李',
] as const;
// prettier-ignore
const NAME_CORES = [
  '记账', '读书', '健身', '天气', '翻译', '日历', '便签', '相册', '音乐', '地图', '外卖', '打车', '课堂', '问诊', '旅行', '菜谱',
  '家政', '租房', '招聘', '快递', '停车', '充电', '宠物', '花卉', '茶馆', '书法', '围棋', '钓鱼', '跑步', '瑜伽', '育儿', '理财',
] as const;
// prettier-ignore
const NAME_SUFFIXES = [
  '', '助手', '宝', '通', '帮', '圈', '社区', '管家', '精灵', '日记', '星球', '小站', '工坊', '伙伴', '派', '云',
] as const;
const NAME_EDITIONS = ['', '极速版', '专业版', '青春版', 'HD', '精简版', '国际版', '企业版'] as const;
/** 2^17 names; an odd multiplier permutes them, so neighbouring indexes get unrelated names. */
const NAME_SPACE = NAME_PREFIXES.length * NAME_CORES.length * NAME_SUFFIXES.length * NAME_EDITIONS.length;
const NAME_STRIDE = 40_503;

/** A Chinese app name, different for every index under one seed (a number is appended past 131,072). */
export function uniqueAppName(index: number, seed: number): string {
  const lap = Math.floor(index / NAME_SPACE);
  let k = ((index % NAME_SPACE) * NAME_STRIDE + mixSeed([seed, 0x6e616d65])) % NAME_SPACE;
  const digit = (size: number): number => {
    const value = k % size;
    k = Math.floor(k / size);
    return value;
  };
  const prefix = NAME_PREFIXES[digit(NAME_PREFIXES.length)];
  const core = NAME_CORES[digit(NAME_CORES.length)];
  const suffix = NAME_SUFFIXES[digit(NAME_SUFFIXES.length)];
  const edition = NAME_EDITIONS[digit(NAME_EDITIONS.length)];
  return `${prefix}${core}${suffix}${edition}${lap > 0 ? String(lap + 1) : ''}`;
}

const COMPANY_KINDS = ['网络科技', '信息技术', '数字科技', '软件', '互联网科技'] as const;

function enterpriseOperator(profile: ProvinceProfile, request: SubmissionRequest, appName: string): JsonForm {
  const { random } = request;
  const base = appName.slice(0, 2);
  return {
    nature: 'enterprise',
    name: `${profile.city.replace(/市$/, '')}${base}${random.pick(COMPANY_KINDS)}有限公司`,
    creditCode: uniqueCreditCode(profile.areaCode, request.index, request.seed),
    province: profile.code,
    city: profile.city,
    address: `${profile.street} ${random.int(1, 999)} 号 ${random.int(2, 28)} 层 ${random.int(1, 30)} 室`,
  };
}

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
] as const;
const GIVEN_NAMES = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '磊',
  '洋',
  '艳',
  '勇',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '子涵',
] as const;

/** An individual operator is its own principal, so the principals carry the same person and ID. */
function individualOperator(form: JsonForm, profile: ProvinceProfile, request: SubmissionRequest): void {
  const { random } = request;
  const name = `${random.pick(SURNAMES)}${random.pick(GIVEN_NAMES)}`;
  const idNumber = uniqueResidentId(profile.areaCode, request.index, request.seed);
  form.operator = {
    nature: 'individual',
    name,
    idNumber,
    province: profile.code,
    city: profile.city,
    address: `${profile.street} ${random.int(1, 999)} 号 ${random.int(1, 12)} 栋 ${random.int(101, 2802)} 室`,
  };
  for (const key of ['operatorPrincipal', 'appPrincipal'] as const) {
    form[key] = { ...(form[key] as JsonForm), name, idNumber };
  }
}

const CREDIT_CODE_SERIALS = CREDIT_CODE_ALPHABET.length ** 7;

/** A well-formed USCC (check character per GB 32100) unique per index under one seed. */
export function uniqueCreditCode(areaCode: string, index: number, seed: number): string {
  let serial = (index * 7_919 + mixSeed([seed, 0x75736363])) % CREDIT_CODE_SERIALS;
  let digits = '';
  for (let i = 0; i < 7; i += 1) {
    digits = CREDIT_CODE_ALPHABET.charAt(serial % CREDIT_CODE_ALPHABET.length) + digits;
    serial = Math.floor(serial / CREDIT_CODE_ALPHABET.length);
  }
  const first17 = `91${areaCode}MA${digits}`;
  return first17 + creditCodeCheckCharacter(first17);
}

const BIRTH_DAYS = 11_000;
const RESIDENT_ID_SERIALS = BIRTH_DAYS * 1_000;
const FIRST_BIRTH_DAY = dayNumberOfDate('1965-01-01');

/** A resident ID (GB 11643 check character) born 1965–1995, unique per index under one seed. */
export function uniqueResidentId(areaCode: string, index: number, seed: number): string {
  const serial = (index * 4_099 + mixSeed([seed, 0x72696431])) % RESIDENT_ID_SERIALS;
  const birthDate = formatDayNumber(FIRST_BIRTH_DAY + (serial % BIRTH_DAYS)).replace(/-/g, '');
  const sequence = String(Math.floor(serial / BIRTH_DAYS)).padStart(3, '0');
  const first17 = `${areaCode}${birthDate}${sequence}`;
  return first17 + gb11643CheckCharacter(first17);
}
