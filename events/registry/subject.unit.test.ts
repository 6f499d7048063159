import type { RecordedEvent } from '../ports/event-log.port';
import { RegistryDomainError, type RegistryErrorCode } from './registry-errors';
import {
  CorruptRegistryStreamError,
  type ExistingServiceRecordedData,
  type SubjectEvent,
  type SubjectRegisteredData,
} from './registry-events';
import {
  type SubjectCommand,
  decideSubject,
  evolveSubject,
  foldSubject,
  initialSubjectState,
} from './subject';

const DIGEST = 'a'.repeat(64);
const REGISTRATION: SubjectRegisteredData = {
  subjectKeyDigest: DIGEST,
  provinceCode: '440000',
  subjectNumber: '粤ICP备2026000001号',
  source: 'allocated',
  operatorName: '深圳市示例科技有限公司',
  operatorNature: 'enterprise',
  certificateType: 'uscc',
};
const REGISTERED: SubjectEvent = { type: 'SubjectRegistered', data: REGISTRATION };
const allocated = (filingId: string, n: number, serviceType: 'app' | 'mini_program'): SubjectEvent => ({
  type: 'ServiceNumberAllocated',
  data: { filingId, serviceType, n, number: `粤ICP备2026000001号-${n}${serviceType === 'app' ? 'A' : 'X'}` },
});
const IMPORTED_WEBSITE: ExistingServiceRecordedData = {
  serviceType: 'website',
  n: 3,
  number: '粤ICP备2026000001号-3',
  importLineId: 'line-7',
};
const imported: SubjectEvent = { type: 'ExistingServiceRecorded', data: IMPORTED_WEBSITE };

function given(...history: SubjectEvent[]) {
  const state = history.reduce(evolveSubject, initialSubjectState);
  return {
    when(command: SubjectCommand) {
      return {
        then(...expected: SubjectEvent[]) {
          const produced = decideSubject(command, state);
          expect(produced).toEqual(expected);
          expect(() => produced.reduce(evolveSubject, state)).not.toThrow();
        },
        thenThrows(code: RegistryErrorCode) {
          expect(() => decideSubject(command, state)).toThrow(RegistryDomainError);
          expect(() => decideSubject(command, state)).toThrow(expect.objectContaining({ code }));
        },
      };
    },
  };
}

const allocate = (filingId: string, serviceType: 'app' | 'mini_program' = 'app'): SubjectCommand => ({
  type: 'AllocateServiceNumber',
  filingId,
  serviceType,
});

describe('subject: RegisterSubject', () => {
  it('registers an unregistered subject', () => {
    given().when({ type: 'RegisterSubject', registration: REGISTRATION }).then(REGISTERED);
  });

  it('changes nothing when the subject already holds that number, refuses another', () => {
    given(REGISTERED).when({ type: 'RegisterSubject', registration: REGISTRATION }).then();
    given(REGISTERED)
      .when({
        type: 'RegisterSubject',
        registration: { ...REGISTRATION, subjectNumber: '粤ICP备2026000002号' },
      })
      .thenThrows('subject_already_registered');
  });
});

describe('subject: AllocateServiceNumber', () => {
  it('gives the next n of one sequence shared by every service type, with its suffix', () => {
    given(REGISTERED)
      .when(allocate('F-1'))
      .then(allocated('F-1', 1, 'app'));
    given(REGISTERED, allocated('F-1', 1, 'app'))
      .when(allocate('F-2', 'mini_program'))
      .then(allocated('F-2', 2, 'mini_program'));
  });

  it('follows the highest n, imported ones included', () => {
    given(REGISTERED, allocated('F-1', 1, 'app'), imported)
      .when(allocate('F-2'))
      .then(allocated('F-2', 4, 'app'));
  });

  it('gives a filing that holds a number nothing more, and refuses it one of another type', () => {
    given(REGISTERED, allocated('F-1', 1, 'app'))
      .when(allocate('F-1'))
      .then();
    given(REGISTERED, allocated('F-1', 1, 'app'))
      .when(allocate('F-1', 'mini_program'))
      .thenThrows('service_type_mismatch');
  });

  it('refuses a service number under a subject the registry does not hold', () => {
    given().when(allocate('F-1')).thenThrows('subject_not_registered');
  });
});

describe('subject: RecordExistingService', () => {
  const record: SubjectCommand = { type: 'RecordExistingService', service: IMPORTED_WEBSITE };

  it('records an imported service once', () => {
    given(REGISTERED).when(record).then(imported);
    given(REGISTERED, imported).when(record).then();
  });

  it('refuses an n another service holds', () => {
    given(REGISTERED, allocated('F-1', 1, 'app'), allocated('F-2', 2, 'app'), allocated('F-3', 3, 'app'))
      .when(record)
      .thenThrows('service_number_taken');
  });
});

describe('subject: the stream as stored', () => {
  const recorded = (revision: number, event: SubjectEvent): RecordedEvent => ({
    id: `id-${revision}`,
    type: event.type,
    data: event.data,
    metadata: {},
    streamId: 'registry-subject-440000-x',
    revision,
    position: revision + 1,
    recordedAt: '2026-12-07T03:00:00.000Z',
  });

  it('folds a version-1 registration (no operator facts) and its services', () => {
    const {
      operatorName: _n,
      operatorNature: _o,
      certificateType: _c,
      ...v1
    } = REGISTERED.data as never as Record<string, unknown>;
    const state = foldSubject([
      recorded(0, { type: 'SubjectRegistered', data: v1 as never }),
      recorded(1, allocated('F-1', 1, 'app')),
      recorded(2, imported),
    ]);
    expect(state).toMatchObject({ status: 'registered', registration: v1 });
    expect(state.status === 'registered' && state.services.map((service) => service.n)).toEqual([1, 3]);
  });

  it('calls a second registration, a service before the subject or a duplicate n corrupt', () => {
    expect(() => foldSubject([recorded(0, REGISTERED), recorded(1, REGISTERED)])).toThrow(
      CorruptRegistryStreamError,
    );
    expect(() => foldSubject([recorded(0, allocated('F-1', 1, 'app'))])).toThrow(/before the subject number/);
    expect(() =>
      foldSubject([
        recorded(0, REGISTERED),
        recorded(1, allocated('F-1', 1, 'app')),
        recorded(2, allocated('F-2', 1, 'app')),
      ]),
    ).toThrow(/taken twice/);
  });

  it('calls malformed data corrupt', () => {
    const malformed = {
      ...recorded(0, REGISTERED),
      data: { ...REGISTRATION, source: 'guessed' },
    };
    expect(() => foldSubject([malformed])).toThrow(/data.source is not one of allocated, existing, imported/);
  });
});
