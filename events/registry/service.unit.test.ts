import type { RecordedEvent } from '../ports/event-log.port';
import { RegistryDomainError } from './registry-errors';
import { type ServiceEvent, type ServiceRegisteredData, decodeIdentifierEvent } from './registry-events';
import {
  type ServiceCommand,
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
      then: (...expected: ServiceEvent[]) => expect(decideService(command, state)).toEqual(expected),
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
    expect(foldService([recorded(0, 'ServiceRegistered', SERVICE)])).toEqual({
      status: 'registered',
      service: SERVICE,
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
