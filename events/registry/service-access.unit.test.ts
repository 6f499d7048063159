import type { Json, RecordedEvent } from '../ports/event-log.port';
import type { ServiceRegisteredData } from './registry-events';
import { foldService } from './service';
import {
  applicantContactsOfFiling,
  isInIspScope,
  ispNameOfFiling,
  latestFilingIdOf,
  legacyAccessFilingOf,
  withdrawalRefusalOf,
} from './service-access';

const SERVICE_NUMBER = '粤ICP备2026000001号-1A';
const ALIYUN = '阿里云计算有限公司';
const TENCENT = '深圳市腾讯计算机系统有限公司';
const TELECOM = '中国电信';

const registered = (overrides: Partial<ServiceRegisteredData> = {}): ServiceRegisteredData => ({
  serviceNumber: SERVICE_NUMBER,
  subjectNumber: '粤ICP备2026000001号',
  serviceType: 'app',
  name: '示例地图',
  identifiers: { packages: [], bundles: [], domains: ['maps.example.com'] },
  preApprovalCategories: [],
  approvedOn: '2026-12-01',
  operatorName: '广州示例地图有限公司',
  operatorNature: 'enterprise',
  filingId: 'F-1',
  source: 'filing',
  accesses: [{ ispName: ALIYUN, filingId: 'F-1' }, { ispName: TENCENT }],
  ...overrides,
});

type Event = { type: string; data: unknown };

function recorded(
  events: readonly Event[],
  streamId = `registry-service-${SERVICE_NUMBER}`,
): RecordedEvent[] {
  return events.map((event, revision) => ({
    id: `00000000-0000-4000-8000-${String(revision).padStart(12, '0')}`,
    streamId,
    revision,
    position: revision + 1,
    recordedAt: '2026-12-07T00:00:00.000Z',
    type: event.type,
    data: event.data as Json,
    metadata: {},
  }));
}

const REGISTERED: Event = { type: 'ServiceRegistered', data: registered() };
const LEGACY: Event = { type: 'ServiceRegistered', data: registered({ accesses: undefined }) };
const withdrawn = (ispName: string): Event => ({
  type: 'ServiceAccessWithdrawn',
  data: { withdrawalId: `W-${ispName}`, ispName, reason: '合同到期', withdrawnOn: '2026-12-05' },
});
const accessAdded = (ispName: string, filingId = 'F-3'): Event => ({
  type: 'ServiceAccessAdded',
  data: { filingId, ispName, addedOn: '2026-12-06' },
});
const stateOf = (...events: Event[]) => foldService(recorded(events));

describe('an ISP’s scope: the services it served', () => {
  it('takes the accesses the service was registered with or added, withdrawn or not', () => {
    const state = stateOf(REGISTERED, withdrawn(ALIYUN), accessAdded(TELECOM));
    expect([ALIYUN, TENCENT, TELECOM].map((isp) => isInIspScope(state, isp))).toEqual([true, true, true]);
    expect(isInIspScope(state, '中国移动')).toBe(false);
    expect(isInIspScope(stateOf(), ALIYUN)).toBe(false);
  });

  it('matches the ISP name as people write it (full-width letters, spaces around)', () => {
    const state = stateOf({
      type: 'ServiceRegistered',
      data: registered({ accesses: [{ ispName: 'ABC云' }] }),
    });
    expect(isInIspScope(state, ' ＡＢＣ云 ')).toBe(true);
  });

  it('takes, for a service registered before accesses were kept, the ISP its registering filing names', () => {
    const legacy = stateOf(LEGACY);
    expect(legacyAccessFilingOf(legacy)).toBe('F-1');
    expect(isInIspScope(legacy, ALIYUN, ALIYUN)).toBe(true);
    expect(isInIspScope(legacy, TENCENT, ALIYUN)).toBe(false);
    expect(isInIspScope(legacy, ALIYUN)).toBe(false);
    expect(isInIspScope(stateOf(LEGACY, accessAdded(TENCENT)), TENCENT, ALIYUN)).toBe(true);
  });

  it('names no filing to read for a service with its accesses, an imported one, or none', () => {
    expect(legacyAccessFilingOf(stateOf(REGISTERED))).toBeUndefined();
    const imported = registered({ accesses: undefined, source: 'imported' });
    delete imported.filingId;
    expect(legacyAccessFilingOf(stateOf({ type: 'ServiceRegistered', data: imported }))).toBeUndefined();
    expect(legacyAccessFilingOf(stateOf())).toBeUndefined();
  });
});

describe('the decider’s refusals as the ISP reads them', () => {
  it('maps each refusal of WithdrawAccess, and nothing else', () => {
    expect(
      (['service_not_registered', 'service_cancelled', 'no_such_access', 'withdrawal_conflict'] as const).map(
        withdrawalRefusalOf,
      ),
    ).toEqual(['service_not_found', 'service_cancelled', 'access_already_withdrawn', 'withdrawal_id_reused']);
    expect(withdrawalRefusalOf('access_exists')).toBeUndefined();
  });
});

describe('whom to tell', () => {
  it('takes the latest filing behind the service: registration, change or new access', () => {
    expect(latestFilingIdOf(recorded([REGISTERED, withdrawn(ALIYUN)]))).toBe('F-1');
    const changed: Event = {
      type: 'ServiceChanged',
      data: {
        filingId: 'F-2',
        version: 2,
        changedOn: '2026-12-03',
        name: '示例地图Pro',
        identifiers: registered().identifiers,
        preApprovalCategories: [],
        operatorName: '广州示例地图有限公司',
        operatorNature: 'enterprise',
      },
    };
    const history = [REGISTERED, changed, withdrawn(ALIYUN)];
    expect(latestFilingIdOf(recorded(history))).toBe('F-2');
    expect(latestFilingIdOf(recorded([...history, accessAdded(TELECOM)]))).toBe('F-3');
    expect(latestFilingIdOf([])).toBeUndefined();
  });

  const form = (ispName: string, mobile: string) => ({
    access: { ispName },
    appPrincipal: { mobile, email: 'lisi@example.com' },
  });
  const filing = recorded(
    [
      { type: 'FilingSubmitted', data: { filingId: 'F-1', form: form(ALIYUN, '+8613900139000') } },
      { type: 'PlatformReviewStarted', data: {} },
      { type: 'FilingCorrected', data: { form: form(TENCENT, '+8613900139001') } },
      { type: 'RegistrationPublished', data: {} },
    ],
    'filing-F-1',
  );

  it('takes the ISP and the applicant of the last FilingSubmitted or FilingCorrected', () => {
    expect(ispNameOfFiling(filing)).toBe(TENCENT);
    expect(applicantContactsOfFiling(filing)).toEqual({
      mobile: '+8613900139001',
      email: 'lisi@example.com',
    });
  });

  it('finds nothing in an empty stream', () => {
    expect(ispNameOfFiling([])).toBeUndefined();
    expect(applicantContactsOfFiling([])).toBeUndefined();
  });
});
