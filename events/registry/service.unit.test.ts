import type { RecordedEvent } from '../ports/event-log.port';
import { RegistryDomainError } from './registry-errors';
import {
  type ServiceEvent,
  type ServiceRegisteredData,
  decodeIdentifierEvent,
  decodeServiceEvent,
} from './registry-events';
import {
  type ServiceCommand,
  type ServiceFacts,
  decideService,
  evolveService,
  foldService,
  initialServiceState,
} from './service';

const SERVICE: ServiceRegisteredData = {
  serviceNumber: '粤ICP备2026000001号-2X',
  subjectNumber: '粤ICP备2026000001号',
  serviceType: 'mini_program',
  name: '示例点餐',
  identifiers: {
    packages: [],
    bundles: [],
    miniProgram: { miniProgramId: 'wx3f8a6c2d9e1b4a70', hostApp: '微信' },
    domains: ['order.example.com'],
  },
  preApprovalCategories: [],
  approvedOn: '2026-12-07',
  operatorName: '深圳市示例科技有限公司',
  operatorNature: 'enterprise',
  filingId: 'F-2',
  source: 'filing',
};
const REGISTERED: ServiceEvent = { type: 'ServiceRegistered', data: SERVICE };
const register = (service = SERVICE): ServiceCommand => ({ type: 'RegisterService', service });

function given(...history: ServiceEvent[]) {
  const state = history.reduce(evolveService, initialServiceState);
  return {
    when: (command: ServiceCommand) => ({
      then: (...expected: ServiceEvent[]) => {
        const produced = decideService(command, state);
        expect(produced).toEqual(expected);
        // What decide produces must be a history the fold accepts.
        expect(() => produced.reduce(evolveService, state)).not.toThrow();
      },
      thenThrows: (code: string) =>
        expect(() => decideService(command, state)).toThrow(
          expect.objectContaining({ name: RegistryDomainError.name, code }),
        ),
    }),
  };
}

function recorded(revision: number, type: string, data: unknown): RecordedEvent {
  return {
    id: `id-${revision}`,
    type,
    data: data as never,
    metadata: {},
    streamId: 'registry-service-粤ICP备2026000001号-2X',
    revision,
    position: revision + 1,
    recordedAt: '2026-12-07T03:00:00.000Z',
  };
}

describe('service: RegisterService', () => {
  it('registers the service under its number', () => {
    given().when(register()).then(REGISTERED);
  });

  it('changes nothing when the same facts are registered again (a retried issuance)', () => {
    given(REGISTERED)
      .when(register({ ...SERVICE }))
      .then();
  });

  it('refuses other facts under a registered number', () => {
    given(REGISTERED)
      .when(register({ ...SERVICE, filingId: 'F-9' }))
      .thenThrows('service_already_registered');
  });
});

describe('service: the stream as stored', () => {
  it('folds a registered service, decoding every identifier', () => {
    expect(foldService([recorded(0, 'ServiceRegistered', SERVICE)])).toMatchObject({
      status: 'active',
      registered: SERVICE,
      version: 1,
      accesses: undefined,
    });
  });

  it('calls a second registration or malformed identifiers corrupt', () => {
    expect(() =>
      foldService([recorded(0, 'ServiceRegistered', SERVICE), recorded(1, 'ServiceRegistered', SERVICE)]),
    ).toThrow(/registered twice/);
    const badPackage = { ...SERVICE, identifiers: { ...SERVICE.identifiers, packages: [{ os: 'ios' }] } };
    expect(() => foldService([recorded(0, 'ServiceRegistered', badPackage)])).toThrow(
      /data.identifiers item.os is not one of android, harmony/,
    );
    expect(() =>
      foldService([recorded(0, 'ServiceRegistered', { ...SERVICE, approvedOn: '7 Dec' })]),
    ).toThrow(/approvedOn is not a YYYY-MM-DD date/);
    expect(() => foldService([recorded(0, 'SubjectRegistered', SERVICE)])).toThrow(
      /not an event of a service/,
    );
  });

  it('decodes identifier claims', () => {
    expect(decodeIdentifierEvent(recorded(0, 'ServiceIdentifierClaimed', { filingId: 'F-1' }))).toEqual({
      type: 'ServiceIdentifierClaimed',
      data: { filingId: 'F-1' },
    });
    expect(() => decodeIdentifierEvent(recorded(0, 'ServiceIdentifierClaimed', {}))).toThrow(/data.filingId/);
  });
});

/* The service's life after its number. */

const WITH_ACCESS: ServiceRegisteredData = { ...SERVICE, accesses: [{ ispName: '阿里云', filingId: 'F-2' }] };
const REGISTERED_WITH_ACCESS: ServiceEvent = { type: 'ServiceRegistered', data: WITH_ACCESS };
const NEW_FACTS: ServiceFacts = {
  name: '示例点餐 Pro',
  identifiers: { ...SERVICE.identifiers, domains: ['order.example.cn'] },
  preApprovalCategories: [],
  operatorName: SERVICE.operatorName,
  operatorNature: SERVICE.operatorNature,
};
const change = (filingId = 'F-3', facts = NEW_FACTS): ServiceCommand => ({
  type: 'ChangeService',
  filingId,
  facts,
  changedOn: '2027-01-05',
});
const changed = (version: number, filingId = 'F-3', facts = NEW_FACTS): ServiceEvent => ({
  type: 'ServiceChanged',
  data: { filingId, version, changedOn: '2027-01-05', ...facts },
});
const addAccess = (ispName: string, filingId = 'F-4'): ServiceCommand => ({
  type: 'AddAccess',
  filingId,
  ispName,
  addedOn: '2027-02-01',
});
const accessAdded = (ispName: string, filingId = 'F-4'): ServiceEvent => ({
  type: 'ServiceAccessAdded',
  data: { filingId, ispName, addedOn: '2027-02-01' },
});
const withdraw = (ispName: string, withdrawalId = 'W-1', reason = '合同到期'): ServiceCommand => ({
  type: 'WithdrawAccess',
  withdrawalId,
  ispName,
  reason,
  withdrawnOn: '2027-01-20',
});
const withdrawn = (ispName: string, withdrawalId = 'W-1'): ServiceEvent => ({
  type: 'ServiceAccessWithdrawn',
  data: { withdrawalId, ispName, reason: '合同到期', withdrawnOn: '2027-01-20' },
});
const cancel = (filingId = 'F-9', scope: 'service' | 'subject' = 'service'): ServiceCommand => ({
  type: 'CancelService',
  filingId,
  cancelledOn: '2027-03-01',
  scope,
});
const cancelled = (filingId = 'F-9', scope: 'service' | 'subject' = 'service'): ServiceEvent => ({
  type: 'ServiceCancelled',
  data: { filingId, cancelledOn: '2027-03-01', scope },
});
const stateAfter = (...history: ServiceEvent[]) => history.reduce(evolveService, initialServiceState);

describe('service: ChangeService', () => {
  it('records the next version in full, keeping the service number', () => {
    given(REGISTERED).when(change()).then(changed(2));
    given(REGISTERED, changed(2)).when(change('F-5')).then(changed(3, 'F-5'));
  });

  it('keeps every version, each linked to the filing that made it', () => {
    const state = stateAfter(REGISTERED, changed(2), changed(3, 'F-5'));
    expect(state).toMatchObject({ status: 'active', version: 3, current: { version: 3, filingId: 'F-5' } });
    expect(state.status !== 'unregistered' && state.versions.map((v) => [v.version, v.filingId])).toEqual([
      [1, 'F-2'],
      [2, 'F-3'],
      [3, 'F-5'],
    ]);
  });

  it('changes nothing for a retried filing with the same facts; refuses it other facts', () => {
    given(REGISTERED, changed(2)).when(change()).then();
    given(REGISTERED, changed(2))
      .when(change('F-3', { ...NEW_FACTS, name: '别的名字' }))
      .thenThrows('filing_already_applied');
  });

  it('keeps an access_withdrawn service access_withdrawn', () => {
    const state = stateAfter(REGISTERED_WITH_ACCESS, withdrawn('阿里云'), changed(2));
    expect(state.status).toBe('access_withdrawn');
  });

  it('refuses an unregistered or cancelled service', () => {
    given().when(change()).thenThrows('service_not_registered');
    given(REGISTERED, cancelled()).when(change()).thenThrows('service_cancelled');
  });
});

describe('service: AddAccess', () => {
  it('adds another ISP; a retried filing changes nothing', () => {
    given(REGISTERED_WITH_ACCESS).when(addAccess('腾讯云')).then(accessAdded('腾讯云'));
    given(REGISTERED_WITH_ACCESS, accessAdded('腾讯云')).when(addAccess('腾讯云')).then();
    expect(stateAfter(REGISTERED_WITH_ACCESS, accessAdded('腾讯云'))).toMatchObject({
      status: 'active',
      accesses: ['阿里云', '腾讯云'],
    });
  });

  it('refuses an ISP that already gives access, and a cancelled service', () => {
    given(REGISTERED_WITH_ACCESS).when(addAccess('阿里云')).thenThrows('access_exists');
    given(REGISTERED_WITH_ACCESS, cancelled()).when(addAccess('腾讯云')).thenThrows('service_cancelled');
  });

  it('makes an access_withdrawn service active again', () => {
    const state = stateAfter(REGISTERED_WITH_ACCESS, withdrawn('阿里云'), accessAdded('腾讯云'));
    expect(state).toMatchObject({ status: 'active', accesses: ['腾讯云'] });
  });
});

describe('service: WithdrawAccess', () => {
  it('withdraws the ISP’s access; the last one leaves the service access_withdrawn', () => {
    given(REGISTERED_WITH_ACCESS).when(withdraw('阿里云')).then(withdrawn('阿里云'));
    expect(stateAfter(REGISTERED_WITH_ACCESS, withdrawn('阿里云'))).toMatchObject({
      status: 'access_withdrawn',
      accesses: [],
    });
    const twoIsps = stateAfter(REGISTERED_WITH_ACCESS, accessAdded('腾讯云'), withdrawn('阿里云'));
    expect(twoIsps).toMatchObject({ status: 'active', accesses: ['腾讯云'] });
  });

  it('changes nothing for a retried withdrawal id; refuses the id with another ISP or reason', () => {
    given(REGISTERED_WITH_ACCESS, withdrawn('阿里云')).when(withdraw('阿里云')).then();
    given(REGISTERED_WITH_ACCESS, withdrawn('阿里云'))
      .when(withdraw('腾讯云'))
      .thenThrows('withdrawal_conflict');
    given(REGISTERED_WITH_ACCESS, withdrawn('阿里云'))
      .when(withdraw('阿里云', 'W-1', '另一个原因'))
      .thenThrows('withdrawal_conflict');
  });

  it('matches the ISP as people write it (full-width letters, spaces around), recording the accesses’ spelling', () => {
    const abc: ServiceEvent = {
      type: 'ServiceRegistered',
      data: { ...SERVICE, accesses: [{ ispName: 'ABC云' }] },
    };
    given(abc).when(withdraw(' ＡＢＣ云 ')).then(withdrawn('ABC云'));
    given(abc, withdrawn('ABC云')).when(withdraw('ＡＢＣ云')).then();
  });

  it('refuses an ISP without access, and a cancelled service', () => {
    given(REGISTERED_WITH_ACCESS).when(withdraw('腾讯云', 'W-2')).thenThrows('no_such_access');
    given(REGISTERED_WITH_ACCESS, withdrawn('阿里云'))
      .when(withdraw('阿里云', 'W-2'))
      .thenThrows('no_such_access');
    given(REGISTERED_WITH_ACCESS, cancelled()).when(withdraw('阿里云')).thenThrows('service_cancelled');
  });

  it('accepts a withdrawal when the accesses are unknown (registered before they were kept); they stay unknown', () => {
    given(REGISTERED).when(withdraw('阿里云')).then(withdrawn('阿里云'));
    expect(stateAfter(REGISTERED, withdrawn('阿里云'))).toMatchObject({
      status: 'active',
      accesses: undefined,
    });
  });

  it('refuses, while the accesses are unknown, an ISP whose withdrawal is its latest word', () => {
    given(REGISTERED, withdrawn('阿里云')).when(withdraw('阿里云', 'W-2')).thenThrows('no_such_access');
    given(REGISTERED, withdrawn('阿里云'), accessAdded('阿里云'))
      .when(withdraw('阿里云', 'W-2'))
      .then(withdrawn('阿里云', 'W-2'));
    expect(stateAfter(REGISTERED, withdrawn('阿里云'), accessAdded('阿里云'))).toMatchObject({
      status: 'active',
      accesses: undefined,
    });
  });
});

describe('service: CancelService', () => {
  it('cancels, whatever the access status; a retried filing changes nothing', () => {
    given(REGISTERED).when(cancel()).then(cancelled());
    given(REGISTERED_WITH_ACCESS, withdrawn('阿里云'))
      .when(cancel('F-9', 'subject'))
      .then(cancelled('F-9', 'subject'));
    given(REGISTERED, cancelled()).when(cancel()).then();
  });

  it('is final: another cancellation is refused, and nothing may follow in the stream', () => {
    given(REGISTERED, cancelled()).when(cancel('F-10')).thenThrows('service_cancelled');
    for (const after of [changed(2), accessAdded('腾讯云'), withdrawn('阿里云'), cancelled('F-10')]) {
      expect(() => stateAfter(REGISTERED_WITH_ACCESS, cancelled(), after)).toThrow(/after ServiceCancelled/);
    }
  });

  it('still recognises filings applied before the cancellation (a retried activity)', () => {
    given(REGISTERED, changed(2), cancelled()).when(change()).then();
  });
});

describe('service: the life events as stored', () => {
  const stream = (...events: ServiceEvent[]) =>
    events.map((event, index) => recorded(index, event.type, event.data));

  it('decodes and folds every life event, and ServiceRegistered with its accesses', () => {
    const events = [
      REGISTERED_WITH_ACCESS,
      changed(2),
      accessAdded('腾讯云'),
      withdrawn('阿里云'),
      cancelled(),
    ];
    for (const [index, event] of events.entries()) {
      expect(decodeServiceEvent(recorded(index, event.type, event.data))).toEqual(event);
    }
    expect(foldService(stream(...events))).toMatchObject({
      status: 'cancelled',
      version: 2,
      accesses: ['腾讯云'],
      cancellation: { filingId: 'F-9', scope: 'service' },
    });
  });

  it('calls a version out of sequence, an unknown scope or a bad date corrupt', () => {
    expect(() => foldService(stream(REGISTERED, changed(3)))).toThrow(/version 3 follows version 1/);
    expect(() =>
      foldService([
        recorded(0, 'ServiceCancelled', { filingId: 'F', cancelledOn: '2027-03-01', scope: 'all' }),
      ]),
    ).toThrow(/data.scope is not one of service, subject/);
    expect(() =>
      decodeServiceEvent(
        recorded(0, 'ServiceAccessAdded', { filingId: 'F', ispName: '阿里云', addedOn: 'soon' }),
      ),
    ).toThrow(/addedOn is not a YYYY-MM-DD date/);
    expect(() =>
      decodeServiceEvent(recorded(0, 'ServiceRegistered', { ...SERVICE, accesses: [{ filingId: 'F-2' }] })),
    ).toThrow(/ispName is not a non-empty string/);
  });

  it('decodes identifier releases', () => {
    const data = { serviceNumber: SERVICE.serviceNumber, filingId: 'F-9' };
    expect(decodeIdentifierEvent(recorded(1, 'ServiceIdentifierReleased', data))).toEqual({
      type: 'ServiceIdentifierReleased',
      data,
    });
    expect(() =>
      decodeIdentifierEvent(recorded(1, 'ServiceIdentifierReleased', { filingId: 'F-9' })),
    ).toThrow(/serviceNumber/);
  });
});
