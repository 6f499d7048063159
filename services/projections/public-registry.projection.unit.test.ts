import type { FilingEvent } from '../../events/filing/filing-events';
import type { PublicRegistryRow } from '../../events/ports/read-models.port';
import type { FilingTarget, RegistrationFilingKind } from '../../events/filing/filing-kind';
import { historiesByStatus, SERVICE_NUMBER, SUBJECT_NUMBER } from '../../test/support/decider-spec';
import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import {
  minutesAfterEpoch,
  personalDataOf,
  recordedHistory,
  submittedEvent,
} from '../../test/support/projection-fixtures';
import { publicRegistryAfter } from '../../test/support/registry-rows';
import { projectPublicRegistry } from './public-registry.projection';

const SUBMITTED = submittedEvent('f-0002');
const AT = historiesByStatus(SUBMITTED);
const OTHER_SERVICE = `${SUBJECT_NUMBER}-2A`;

/** The completed history of a filing of `kind` on `target`, published under `registrationNumber`. */
function actingOn(
  filingId: string,
  kind: RegistrationFilingKind,
  target: FilingTarget,
  appName = '示例记账',
  registrationNumber = target.serviceNumber ?? target.subjectNumber,
): FilingEvent[] {
  const history = historiesByStatus(submittedEvent(filingId, { kind, target, appName })).completed;
  return history.map((event) =>
    event.type === 'RegistrationPublished'
      ? { ...event, data: { ...event.data, registrationNumber, appName } }
      : event,
  );
}

/** Two services of SUBJECT_NUMBER published by new registrations, then `filings`, one after another. */
function given(...filings: Array<[string, FilingEvent[]]>) {
  const second = historiesByStatus(submittedEvent('f-0003', { appName: '示例日历' })).completed.map(
    (event) =>
      event.type === 'RegistrationPublished'
        ? { ...event, data: { ...event.data, registrationNumber: OTHER_SERVICE } }
        : event,
  );
  const all: Array<[string, FilingEvent[]]> = [['f-0001', AT.completed], ['f-0003', second], ...filings];
  return all.flatMap(([filingId, events], index) => recordedHistory(filingId, events, index * 100));
}

const byNumber = (rows: PublicRegistryRow[]) =>
  Object.fromEntries(rows.map((row) => [row.registrationNumber, row]));

describe('projectPublicRegistry', () => {
  it('turns a new registration’s RegistrationPublished into the public record', () => {
    const events = recordedHistory('f-0002', AT.published);
    expect(publicRegistryAfter(events)).toEqual({
      filings: [],
      registrations: [
        {
          registrationNumber: '粤ICP备2026000123号-1A',
          appName: '示例记账',
          serviceType: 'app',
          operatorName: SUBMITTED.data.form.operator?.name,
          province: '440000',
          publishedAt: minutesAfterEpoch(events.length - 1),
          status: 'active',
        },
      ],
    });
  });

  it('ignores every other event of a new registration', () => {
    const others = recordedHistory('f-0002', AT.completed).filter(
      (event) => event.type !== 'RegistrationPublished',
    );
    expect(publicRegistryAfter(others)).toEqual({ filings: [], registrations: [] });
  });

  it('ignores a RegistrationPublished outside a filing stream', () => {
    const [published] = recordedHistory('f-0002', AT.published).slice(-1);
    const none = { filing: () => undefined, registration: () => undefined, registrationsOf: () => [] };
    expect(published && projectPublicRegistry(none, { ...published, streamId: 'other-1' })).toBeUndefined();
  });

  it('renames the record a change filing publishes, keeping when it was first published', () => {
    const events = given([
      'f-change',
      actingOn(
        'f-change',
        'change',
        {
          subjectNumber: SUBJECT_NUMBER,
          serviceNumber: SERVICE_NUMBER,
          alters: { subject: false, service: true },
        },
        '示例记账 Pro',
      ),
    ]);
    const rows = byNumber(publicRegistryAfter(events).registrations);
    expect(rows[SERVICE_NUMBER]).toMatchObject({
      appName: '示例记账 Pro',
      status: 'active',
      publishedAt: minutesAfterEpoch(AT.published.length - 1),
      changedAt: minutesAfterEpoch(200 + AT.published.length - 1),
    });
    expect(rows[OTHER_SERVICE]).toMatchObject({ appName: '示例日历', status: 'active' });
  });

  it('renames the operator on each record of the subject when a change altered the subject', () => {
    const change = actingOn('f-change', 'change', {
      subjectNumber: SUBJECT_NUMBER,
      serviceNumber: SERVICE_NUMBER,
      alters: { subject: true, service: false },
    }).map((event) =>
      event.type === 'RegistrationPublished'
        ? { ...event, data: { ...event.data, operatorName: '深圳市新名称科技有限公司' } }
        : event,
    );
    const rows = publicRegistryAfter(given(['f-change', change])).registrations;
    expect(rows.map((row) => row.operatorName)).toEqual([
      '深圳市新名称科技有限公司',
      '深圳市新名称科技有限公司',
    ]);
  });

  it('renames only the operator, on every record of the subject, for a change of the subject alone', () => {
    const change = actingOn('f-change', 'change', {
      subjectNumber: SUBJECT_NUMBER,
      alters: { subject: true, service: false },
    }).map((event) =>
      event.type === 'RegistrationPublished'
        ? { ...event, data: { ...event.data, operatorName: '深圳市新名称科技有限公司', appName: '别的名字' } }
        : event,
    );
    const rows = publicRegistryAfter(given(['f-change', change])).registrations;
    expect(rows.map((row) => [row.registrationNumber, row.appName, row.operatorName])).toEqual([
      [SERVICE_NUMBER, '示例记账', '深圳市新名称科技有限公司'],
      [OTHER_SERVICE, '示例日历', '深圳市新名称科技有限公司'],
    ]);
  });

  it('stops at a filing acting on a registration without naming it', () => {
    const events = recordedHistory('f-x', [submittedEvent('f-x', { kind: 'cancellation' })]);
    expect(() => publicRegistryAfter(events)).toThrow('a cancellation without its target');
  });

  it('marks the record a service cancellation publishes cancelled, with the China date', () => {
    const events = given([
      'f-cancel',
      actingOn('f-cancel', 'cancellation', { subjectNumber: SUBJECT_NUMBER, serviceNumber: SERVICE_NUMBER }),
    ]);
    const rows = byNumber(publicRegistryAfter(events).registrations);
    expect(rows[SERVICE_NUMBER]).toMatchObject({ status: 'cancelled', cancelledOn: '2026-11-30' });
    expect(rows[OTHER_SERVICE]).toMatchObject({ status: 'active' });
    expect(rows[OTHER_SERVICE]?.cancelledOn).toBeUndefined();
  });

  it('marks every record of a subject cancelled when the subject’s cancellation is published', () => {
    const events = given([
      'f-cancel',
      actingOn('f-cancel', 'cancellation', { subjectNumber: SUBJECT_NUMBER }),
    ]);
    const { registrations } = publicRegistryAfter(events);
    expect(registrations.map((row) => [row.registrationNumber, row.status])).toEqual([
      [SERVICE_NUMBER, 'cancelled'],
      [OTHER_SERVICE, 'cancelled'],
    ]);
    expect(registrations.map((row) => row.registrationNumber)).not.toContain(SUBJECT_NUMBER);
  });

  it('changes nothing public for a new access', () => {
    const before = publicRegistryAfter(given()).registrations;
    const events = given([
      'f-access',
      actingOn('f-access', 'new_access', { subjectNumber: SUBJECT_NUMBER, serviceNumber: SERVICE_NUMBER }),
    ]);
    expect(publicRegistryAfter(events).registrations).toEqual(before);
  });

  it('holds no personal data', () => {
    const rows = JSON.stringify(
      publicRegistryAfter(
        given(['f-cancel', actingOn('f-cancel', 'cancellation', { subjectNumber: SUBJECT_NUMBER })]),
      ),
    );
    for (const value of personalDataOf(loadValidForm('valid-app'))) expect(rows).not.toContain(value);
  });
});
