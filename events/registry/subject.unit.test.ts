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
  operatorOfSubject,
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

/* The subject's life after its numbers. */

const A1 = '粤ICP备2026000001号-1A';
const X2 = '粤ICP备2026000001号-2X';
const WITH_SERVICES = [REGISTERED, allocated('F-1', 1, 'app'), allocated('F-2', 2, 'mini_program')];
const subjectChanged = (filingId = 'F-5', operatorName = '深圳市新名科技有限公司'): SubjectEvent => ({
  type: 'SubjectChanged',
  data: { filingId, operatorName, operatorNature: 'enterprise', changedOn: '2027-01-05' },
});
const changeSubject = (filingId = 'F-5', operatorName = '深圳市新名科技有限公司'): SubjectCommand => ({
  type: 'ChangeSubject',
  filingId,
  operatorName,
  operatorNature: 'enterprise',
  changedOn: '2027-01-05',
});
const subjectCancelled = (filingId = 'F-9', serviceNumbers = [A1, X2]): SubjectEvent => ({
  type: 'SubjectCancelled',
  data: { filingId, cancelledOn: '2027-03-01', serviceNumbers },
});
const cancelSubject = (filingId = 'F-9', serviceNumbers = [A1, X2]): SubjectCommand => ({
  type: 'CancelSubject',
  filingId,
  cancelledOn: '2027-03-01',
  serviceNumbers,
});
const flag = (liveServiceNumbers: string[], filingId = 'F-8', lastServiceNumber = X2): SubjectCommand => ({
  type: 'FlagShellSubject',
  filingId,
  lastServiceNumber,
  flaggedOn: '2027-02-01',
  liveServiceNumbers,
});
const flagged = (filingId = 'F-8', lastServiceNumber = X2): SubjectEvent => ({
  type: 'SubjectLeftWithoutServices',
  data: { filingId, lastServiceNumber, flaggedOn: '2027-02-01' },
});

describe('subject: ChangeSubject', () => {
  it('records the operator’s new name; a retried filing changes nothing', () => {
    given(...WITH_SERVICES)
      .when(changeSubject())
      .then(subjectChanged());
    given(...WITH_SERVICES, subjectChanged())
      .when(changeSubject())
      .then();
    given(...WITH_SERVICES, subjectChanged())
      .when(changeSubject('F-5', '别的名字'))
      .thenThrows('filing_already_applied');
  });

  it('names the operator as the last change states it', () => {
    const state = [...WITH_SERVICES, subjectChanged()].reduce(evolveSubject, initialSubjectState);
    expect(state.status !== 'unregistered' && operatorOfSubject(state)).toEqual({
      name: '深圳市新名科技有限公司',
      nature: 'enterprise',
    });
  });

  it('refuses an unregistered or cancelled subject', () => {
    given().when(changeSubject()).thenThrows('subject_not_registered');
    given(...WITH_SERVICES, subjectCancelled())
      .when(changeSubject())
      .thenThrows('subject_cancelled');
  });
});

describe('subject: CancelSubject', () => {
  it('cancels the subject with all the services named, in one event', () => {
    given(...WITH_SERVICES)
      .when(cancelSubject())
      .then(subjectCancelled());
  });

  it('changes nothing for a retried filing; refuses another once cancelled', () => {
    given(...WITH_SERVICES, subjectCancelled())
      .when(cancelSubject())
      .then();
    given(...WITH_SERVICES, subjectCancelled())
      .when(cancelSubject('F-10'))
      .thenThrows('subject_cancelled');
  });

  it('refuses a service that is not the subject’s', () => {
    given(...WITH_SERVICES)
      .when(cancelSubject('F-9', [A1, '粤ICP备2026000002号-1A']))
      .thenThrows('service_not_of_subject');
  });

  it('is final: no service number, change or flag may follow it', () => {
    for (const after of [allocated('F-3', 3, 'app'), subjectChanged(), flagged(), subjectCancelled('F-10')]) {
      expect(() =>
        [...WITH_SERVICES, subjectCancelled(), after].reduce(evolveSubject, initialSubjectState),
      ).toThrow(/after SubjectCancelled/);
    }
    given(...WITH_SERVICES, subjectCancelled())
      .when(allocate('F-3'))
      .thenThrows('subject_cancelled');
  });
});

describe('subject: FlagShellSubject', () => {
  it('flags a subject whose last live service was cancelled, once per filing', () => {
    given(...WITH_SERVICES)
      .when(flag([]))
      .then(flagged());
    given(...WITH_SERVICES, flagged())
      .when(flag([]))
      .then();
  });

  it('flags nothing while a service is live, or once the subject is cancelled', () => {
    given(...WITH_SERVICES)
      .when(flag([A1]))
      .then();
    given(...WITH_SERVICES, subjectCancelled())
      .when(flag([]))
      .then();
  });

  it('refuses a service that is not the subject’s', () => {
    given(...WITH_SERVICES)
      .when(flag([], 'F-8', '粤ICP备2026000002号-1A'))
      .thenThrows('service_not_of_subject');
  });

  it('lets a shell subject take its next service number, never one issued before', () => {
    given(...WITH_SERVICES, flagged())
      .when(allocate('F-3'))
      .then(allocated('F-3', 3, 'app'));
  });
});

describe('subject: the life events as stored', () => {
  const stream = (...events: SubjectEvent[]): RecordedEvent[] =>
    events.map((event, revision) => ({
      id: `id-${revision}`,
      type: event.type,
      data: event.data as never,
      metadata: {},
      streamId: 'registry-subject-440000-x',
      revision,
      position: revision + 1,
      recordedAt: '2027-03-01T03:00:00.000Z',
    }));

  it('decodes and folds changes, the shell flag and the cancellation', () => {
    const state = foldSubject(stream(...WITH_SERVICES, subjectChanged(), flagged(), subjectCancelled()));
    expect(state).toMatchObject({
      status: 'cancelled',
      changes: [subjectChanged().data],
      shellFlags: [flagged().data],
      cancellation: subjectCancelled().data,
    });
  });

  it('calls a cancellation or flag naming a service not the subject’s, or a bad date, corrupt', () => {
    expect(() =>
      foldSubject(stream(...WITH_SERVICES, subjectCancelled('F-9', ['粤ICP备2026000001号-7A']))),
    ).toThrow(/is not a service of the subject/);
    expect(() => foldSubject(stream(...WITH_SERVICES, flagged('F-8', '粤ICP备2026000001号-7A')))).toThrow(
      CorruptRegistryStreamError,
    );
    const badDate = { type: 'SubjectChanged', data: { ...subjectChanged().data, changedOn: '5 Jan' } };
    expect(() => foldSubject(stream(...WITH_SERVICES, badDate as SubjectEvent))).toThrow(
      /changedOn is not a YYYY-MM-DD date/,
    );
  });
});
