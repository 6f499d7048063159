import type { Json, RecordedEvent } from '../ports/event-log.port';
import { CorruptRegistryStreamError, type ServiceRegisteredData } from './registry-events';
import {
  applicantContactsOfFiling,
  decideWithdrawAccess,
  filingNamingLegacyAccess,
  foldServiceAccess,
  ispNameOfFiling,
  sameIspName,
  type WithdrawAccessCommand,
  type WithdrawAccessDecision,
} from './service-access';

const SERVICE_NUMBER = '粤ICP备2026000001号-1A';
const ALIYUN = '阿里云计算有限公司';
const TENCENT = '深圳市腾讯计算机系统有限公司';

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
const withdrawn = (ispName: string, withdrawalId = `W-${ispName}`, reason = '合同到期'): Event => ({
  type: 'ServiceAccessWithdrawn',
  data: { withdrawalId, ispName, reason, withdrawnOn: '2026-12-05' },
});
const withdraw = (ispName: string, withdrawalId = 'W-new', reason = '合同到期'): WithdrawAccessCommand => ({
  type: 'WithdrawAccess',
  withdrawalId,
  ispName,
  reason,
  withdrawnOn: '2026-12-07',
});

function given(...history: Event[]) {
  const state = foldServiceAccess(recorded(history));
  return {
    when: (command: WithdrawAccessCommand) => ({
      then: (expected: WithdrawAccessDecision) =>
        expect(decideWithdrawAccess(state, command)).toEqual(expected),
    }),
  };
}

describe('an ISP withdraws its access (WithdrawAccess)', () => {
  it('records ServiceAccessWithdrawn; the service stays active while another ISP serves it', () => {
    given(REGISTERED)
      .when(withdraw(ALIYUN))
      .then({
        ok: true,
        status: 'active',
        events: [
          {
            type: 'ServiceAccessWithdrawn',
            data: { withdrawalId: 'W-new', ispName: ALIYUN, reason: '合同到期', withdrawnOn: '2026-12-07' },
          },
        ],
      });
  });

  it('leaves the service access_withdrawn when the last ISP withdraws', () => {
    given(REGISTERED, withdrawn(ALIYUN))
      .when(withdraw(TENCENT))
      .then(expect.objectContaining({ ok: true, status: 'access_withdrawn' }) as WithdrawAccessDecision);
  });

  it('matches the ISP name as people write it (full-width letters, spaces around)', () => {
    expect(sameIspName(' ＡＢＣ云 ', 'ABC云')).toBe(true);
    given({ type: 'ServiceRegistered', data: registered({ accesses: [{ ispName: 'ABC云' }] }) })
      .when(withdraw('ＡＢＣ云'))
      .then(
        expect.objectContaining({
          events: [expect.objectContaining({ data: expect.objectContaining({ ispName: 'ABC云' }) })],
        }) as WithdrawAccessDecision,
      );
  });

  it('records nothing for the same withdrawal again, and answers the status as it stands', () => {
    given(REGISTERED, withdrawn(ALIYUN, 'W-1'))
      .when(withdraw(ALIYUN, 'W-1'))
      .then({ ok: true, events: [], status: 'active' });
  });

  it('refuses a withdrawal id used for another reason or by another ISP', () => {
    given(REGISTERED, withdrawn(ALIYUN, 'W-1'))
      .when(withdraw(ALIYUN, 'W-1', '另一个原因'))
      .then({ ok: false, refusal: 'withdrawal_id_reused' });
    given(REGISTERED, withdrawn(ALIYUN, 'W-1'))
      .when(withdraw(TENCENT, 'W-1'))
      .then({ ok: false, refusal: 'withdrawal_id_reused' });
  });

  it('refuses an ISP whose access is already withdrawn', () => {
    given(REGISTERED, withdrawn(ALIYUN))
      .when(withdraw(ALIYUN))
      .then({ ok: false, refusal: 'access_already_withdrawn' });
  });

  it('lets an ISP withdraw again after a new access through it', () => {
    given(REGISTERED, withdrawn(ALIYUN), {
      type: 'ServiceAccessAdded',
      data: { filingId: 'F-2', ispName: ALIYUN, addedOn: '2026-12-06' },
    })
      .when(withdraw(ALIYUN))
      .then(expect.objectContaining({ ok: true, status: 'active' }) as WithdrawAccessDecision);
  });

  it('refuses a cancelled service', () => {
    given(REGISTERED, {
      type: 'ServiceCancelled',
      data: { filingId: 'F-3', cancelledOn: '2026-12-06', scope: 'service' },
    })
      .when(withdraw(ALIYUN))
      .then({ ok: false, refusal: 'service_cancelled' });
  });

  it('answers not found for no service, and for an ISP that never served it', () => {
    given().when(withdraw(ALIYUN)).then({ ok: false, refusal: 'service_not_found' });
    given(REGISTERED).when(withdraw('中国电信')).then({ ok: false, refusal: 'service_not_found' });
  });

  it('knows no ISP of a service registered before accesses were kept unless its filing names one', () => {
    const legacy: Event = { type: 'ServiceRegistered', data: registered({ accesses: undefined }) };
    given(legacy).when(withdraw(ALIYUN)).then({ ok: false, refusal: 'service_not_found' });
    const state = foldServiceAccess(recorded([legacy]), ALIYUN);
    expect(decideWithdrawAccess(state, withdraw(ALIYUN))).toMatchObject({
      ok: true,
      status: 'access_withdrawn',
    });
    expect(state?.accesses).toEqual([ALIYUN]);
  });
});

describe('folding the service stream', () => {
  it('keeps the latest filing and name (registration, change, new access)', () => {
    const state = foldServiceAccess(
      recorded([
        REGISTERED,
        { type: 'ServiceChanged', data: { filingId: 'F-2', version: 2, name: '示例地图Pro' } },
        { type: 'ServiceAccessAdded', data: { filingId: 'F-3', ispName: '中国电信', addedOn: '2026-12-06' } },
      ]),
    );
    expect(state).toMatchObject({
      name: '示例地图Pro',
      latestFilingId: 'F-3',
      accesses: [ALIYUN, TENCENT, '中国电信'],
    });
  });

  it('treats an unknown event or one after cancellation as a corrupt stream', () => {
    const cancelled: Event = {
      type: 'ServiceCancelled',
      data: { filingId: 'F-3', cancelledOn: '2026-12-06', scope: 'service' },
    };
    expect(() => foldServiceAccess(recorded([REGISTERED, cancelled, withdrawn(ALIYUN)]))).toThrow(
      CorruptRegistryStreamError,
    );
    expect(() => foldServiceAccess(recorded([REGISTERED, { type: 'Whatever', data: {} }]))).toThrow(
      CorruptRegistryStreamError,
    );
    expect(() => foldServiceAccess(recorded([withdrawn(ALIYUN)]))).toThrow(CorruptRegistryStreamError);
  });

  it('names the registering filing only when ServiceRegistered lists no accesses', () => {
    expect(filingNamingLegacyAccess(recorded([REGISTERED]))).toBeUndefined();
    expect(
      filingNamingLegacyAccess(
        recorded([{ type: 'ServiceRegistered', data: registered({ accesses: undefined }) }]),
      ),
    ).toBe('F-1');
  });
});

describe("reading a filing's latest form", () => {
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
