import { loadValidForm } from '../../fixtures/forms/form-fixtures';
import { withDistinctIdentifiers } from '../distinct-identifiers';
import { seedServiceNumber, type SeedService, type SeedSubject } from './registry-seed';

/**
 * The world of the compliance scenario (test/system/compliance.e2e.test.ts): a registry of apps in
 * Guangdong (440000) and Beijing (110000), 200 services one ISP serves in Guangdong, and the
 * inventories three parties report, each line labelled by hand with what the registry must answer.
 */

export const ISP_NAME = '示例接入商';
export const PARTIES = {
  isp: { role: 'isp', id: ISP_NAME },
  store: { role: 'store', id: 'huawei-appgallery' },
  deviceMaker: { role: 'device_maker', id: 'xiaomi' },
} as const;
export type PartyName = keyof typeof PARTIES;
export const partyKey = (name: PartyName) => `${PARTIES[name].role}:${PARTIES[name].id}`;

export const SWEEP_AS_OF = '2024-04-01';
/** The day the system starts (the test server's clock, which the API follows): reports may not be dated later. */
export const REPORTED_ON = '2024-03-25';
/** Services of Guangdong that ISP_NAME serves: the seeded ones plus FILED_APPS filed by `plat-a`. */
export const CAMPAIGN_SIZE = 200;
export const FILED_APPS = 5;

const SIGNED = 'c'.repeat(32);
const OTHER_KEY = 'd'.repeat(32);

function app(n: number, packageName: string, extra: Partial<SeedService> = {}): SeedService {
  return {
    n,
    serviceType: 'app',
    name: `应用 ${packageName}`,
    identifiers: {
      packages: [{ os: 'android', packageName, signatureMd5: SIGNED }],
      bundles: [],
      domains: [],
    },
    approvedOn: '2023-05-10',
    ispNames: ['中国电信'],
    ...extra,
  };
}

const GUANGDONG_APPS: SeedSubject = {
  provinceCode: '440000',
  subjectNumber: '粤ICP备2019000001号',
  operatorName: '广州示例应用有限公司',
  certificateIndex: 9101,
  services: [
    app(1, 'com.reg.gd.one'),
    app(2, 'com.reg.gd.two'),
    app(3, 'com.cancelled.gd', { cancelledOn: '2024-02-01' }),
  ],
};

const BEIJING_APPS: SeedSubject = {
  provinceCode: '110000',
  subjectNumber: '京ICP备2019000001号',
  operatorName: '北京示例应用有限公司',
  certificateIndex: 9102,
  services: [app(1, 'com.reg.bj.one'), app(2, 'com.cancelled.bj', { cancelledOn: '2024-01-15' })],
};

const WEBSITES_PER_SUBJECT = 15;

/** CAMPAIGN_SIZE − FILED_APPS websites served by ISP_NAME, 15 to a subject. */
function campaignSubjects(): SeedSubject[] {
  const seeded = CAMPAIGN_SIZE - FILED_APPS;
  const subjects: SeedSubject[] = [];
  for (let first = 0; first < seeded; first += WEBSITES_PER_SUBJECT) {
    const k = subjects.length;
    const count = Math.min(WEBSITES_PER_SUBJECT, seeded - first);
    subjects.push({
      provinceCode: '440000',
      subjectNumber: `粤ICP备2019${String(100 + k).padStart(6, '0')}号`,
      operatorName: `广州示例网站公司 ${k}`,
      certificateIndex: 9200 + k,
      services: Array.from({ length: count }, (_, j) => ({
        n: j + 1,
        serviceType: 'website' as const,
        name: `示例网站 ${k}-${j}`,
        identifiers: { packages: [], bundles: [], domains: [campaignDomain(k, j)] },
        approvedOn: '2022-09-01',
        ispNames: [ISP_NAME],
      })),
    });
  }
  return subjects;
}

const campaignDomain = (k: number, j: number) => `s${k}-${j}.campaign.example.cn`;

export const SEED_SUBJECTS: SeedSubject[] = [GUANGDONG_APPS, BEIJING_APPS, ...campaignSubjects()];

/** The seeded campaign websites: service number and domain. */
export function seededCampaignServices(): Array<{ serviceNumber: string; domain: string }> {
  return SEED_SUBJECTS.filter((subject) => subject.certificateIndex >= 9200).flatMap((subject) =>
    subject.services.map((service) => ({
      serviceNumber: seedServiceNumber(subject, service),
      domain: service.identifiers.domains[0] as string,
    })),
  );
}

/** The app form `plat-a` files (i: 0..FILED_APPS-1): its own identifiers and 12381 mobile, served by ISP_NAME. */
export function filedAppForm(i: number): Record<string, unknown> & { appPrincipal: { mobile: string } } {
  const form = withDistinctIdentifiers(loadValidForm('valid-app'), `campaign${i}`) as Record<
    string,
    unknown
  > & {
    appPrincipal: { mobile: string };
    access: Record<string, unknown>;
    app: Record<string, unknown>;
  };
  form.appPrincipal = { ...form.appPrincipal, mobile: `+86139001391${String(i).padStart(2, '0')}` };
  form.access = { ...form.access, ispName: ISP_NAME };
  return form;
}

/** The registered form with the app renamed: a change filing of that service. */
export function changedForm(form: Record<string, unknown>, i: number): Record<string, unknown> {
  const changed = structuredClone(form) as { app: Record<string, unknown> };
  changed.app = { ...changed.app, name: `示例记账 第${i + 2}版` };
  return changed;
}

export type Status = 'registered' | 'not_registered' | 'identifier_mismatch' | 'cancelled';

export interface LabelledLine {
  party: PartyName;
  line: {
    kind: 'package' | 'domain';
    value: string;
    signatureMd5?: string;
    province: '440000' | '110000';
    servedSince?: string;
  };
  /** What verification answers for it now. */
  status: Status;
  /** In the sweep as of SWEEP_AS_OF, with its calendar days past the deadline in force. */
  daysPast?: number;
}

const pkg = (value: string, province: '440000' | '110000', signatureMd5?: string, servedSince?: string) => ({
  kind: 'package' as const,
  value,
  ...(signatureMd5 && { signatureMd5 }),
  province,
  ...(servedSince && { servedSince }),
});
const domain = (value: string, province: '440000' | '110000', servedSince?: string) => ({
  kind: 'domain' as const,
  value,
  province,
  ...(servedSince && { servedSince }),
});

/** Existing services had until 2024-03-31: one day past on 2024-04-01. */
const EXISTING = 1;

export const INVENTORY: LabelledLine[] = [
  { party: 'isp', line: domain(campaignDomain(0, 0), '440000'), status: 'registered' },
  {
    party: 'isp',
    line: domain('unregistered-gd.isp.example.cn', '440000'),
    status: 'not_registered',
    daysPast: EXISTING,
  },
  {
    party: 'isp',
    line: domain('unregistered-bj.isp.example.cn', '110000'),
    status: 'not_registered',
    daysPast: EXISTING,
  },
  // A new site served from May: its deadline (the day it is served) has not come on 2024-04-01.
  {
    party: 'isp',
    line: domain('coming-soon.isp.example.cn', '440000', '2024-05-01'),
    status: 'not_registered',
  },
  { party: 'isp', line: pkg('com.cancelled.gd', '440000', SIGNED), status: 'cancelled' },
  { party: 'store', line: pkg('com.reg.gd.one', '440000', SIGNED), status: 'registered' },
  { party: 'store', line: pkg('com.reg.gd.two', '440000', OTHER_KEY), status: 'identifier_mismatch' },
  {
    party: 'store',
    line: pkg('com.unregistered.store.gd1', '440000'),
    status: 'not_registered',
    daysPast: EXISTING,
  },
  // Served since October 2023: a new app had to be registered before it was served (183 days).
  {
    party: 'store',
    line: pkg('com.unregistered.store.gd2', '440000', undefined, '2023-10-01'),
    status: 'not_registered',
    daysPast: 183,
  },
  {
    party: 'store',
    line: pkg('com.unregistered.store.bj1', '110000'),
    status: 'not_registered',
    daysPast: EXISTING,
  },
  { party: 'store', line: pkg('com.reg.bj.one', '110000', SIGNED), status: 'registered' },
  { party: 'store', line: pkg('com.cancelled.bj', '110000', SIGNED), status: 'cancelled' },
  // Xiaomi's Guangdong lines are what the inspection finds: one unregistered, one mismatched.
  {
    party: 'deviceMaker',
    line: pkg('com.unregistered.xiaomi.gd1', '440000'),
    status: 'not_registered',
    daysPast: EXISTING,
  },
  {
    party: 'deviceMaker',
    line: pkg('com.reg.gd.two', '440000', 'e'.repeat(32)),
    status: 'identifier_mismatch',
  },
  { party: 'deviceMaker', line: pkg('com.reg.bj.one', '110000', SIGNED), status: 'registered' },
  {
    party: 'deviceMaker',
    line: pkg('com.unregistered.xiaomi.bj1', '110000'),
    status: 'not_registered',
    daysPast: EXISTING,
  },
];

export function linesOf(party: PartyName): LabelledLine[] {
  return INVENTORY.filter((labelled) => labelled.party === party);
}

/** `province|party|kind|value` of every line the sweep must list, and its days past. */
export function expectedSweep(filter: { province?: string; party?: PartyName } = {}): Map<string, number> {
  return new Map(
    INVENTORY.filter(
      (labelled) =>
        labelled.daysPast !== undefined &&
        (filter.province === undefined || labelled.line.province === filter.province) &&
        (filter.party === undefined || labelled.party === filter.party),
    ).map((labelled) => [
      sweepKey(labelled.line.province, partyKey(labelled.party), labelled.line),
      labelled.daysPast as number,
    ]),
  );
}

export function sweepKey(province: string, party: string, line: { kind: string; value: string }): string {
  return `${province}|${party}|${line.kind}|${line.value}`;
}

/** A party as the API may write it: `role:id`, or `{role, id}`. */
export function partyKeyOfAnswer(party: unknown): string {
  if (typeof party === 'string') return party;
  const { role, id } = party as { role: string; id: string };
  return `${role}:${id}`;
}
