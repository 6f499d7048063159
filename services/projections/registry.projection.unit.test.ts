import type {
  RegistryFilingRow,
  RegistryServiceRow,
  RegistrySubjectRow,
} from '../../events/ports/read-models.port';
import { historiesByStatus, SERVICE_NUMBER, SUBJECT_NUMBER } from '../../test/support/decider-spec';
import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import {
  personalDataOf,
  recordedHistory,
  submittedEvent,
  validatedForm,
} from '../../test/support/projection-fixtures';
import { serviceStreamId } from '../../events/registry/registry-streams';
import {
  registryRecorded,
  serviceRegistered,
  subjectRegistered,
  subjectStreamIdOf,
} from '../../test/support/registry-fixtures';
import type { ProjectableEvent } from './projectable-event';
import { projectRegistry } from './registry.projection';

/** The registry rows after `events`, applied one by one as the store applies them. */
function registryAfter(events: readonly ProjectableEvent[]) {
  const filings = new Map<string, RegistryFilingRow>();
  const subjects = new Map<string, RegistrySubjectRow>();
  const services = new Map<string, RegistryServiceRow>();
  const reader = {
    filing: (id: string) => filings.get(id),
    subject: (number: string) => subjects.get(number),
    service: (number: string) => services.get(number),
  };
  for (const event of events) {
    const update = projectRegistry(reader, event);
    if (update?.filing) filings.set(update.filing.filingId, update.filing);
    if (update?.subject) subjects.set(update.subject.subjectNumber, update.subject);
    if (update?.service) services.set(update.service.serviceNumber, update.service);
  }
  return { subjects: [...subjects.values()], services: [...services.values()] };
}

const COMPLETED = recordedHistory('f-0001', historiesByStatus(submittedEvent('f-0001')).completed);
const REGISTERED = registryRecorded(
  serviceStreamId(SERVICE_NUMBER),
  'ServiceRegistered',
  serviceRegistered({
    serviceNumber: SERVICE_NUMBER,
    subjectNumber: SUBJECT_NUMBER,
    name: '示例记账（登记）',
  }),
);

describe('projectRegistry', () => {
  it('derives the subject and its service from a filing completed before the registry kept services', () => {
    const { subjects, services } = registryAfter(COMPLETED);
    expect(subjects).toEqual([
      {
        subjectNumber: SUBJECT_NUMBER,
        province: '440000',
        operatorName: '深圳市示例账本科技有限公司',
        operatorNature: 'enterprise',
        status: 'active',
        source: 'filing',
      },
    ]);
    expect(services).toEqual([
      {
        serviceNumber: SERVICE_NUMBER,
        subjectNumber: SUBJECT_NUMBER,
        sequence: 1,
        serviceType: 'app',
        name: '示例记账',
        operatorName: '深圳市示例账本科技有限公司',
        operatorNature: 'enterprise',
        identifiers: expect.objectContaining({
          packages: expect.arrayContaining([expect.objectContaining({ packageName: 'com.example.ledger' })]),
          bundles: [expect.objectContaining({ bundleId: 'com.example.ledger' })],
          domains: ['api.example.com', 'static.example.com', 'xn--cd3au2a.example.com'],
        }),
        preApprovalCategories: [],
        approvedOn: '2026-11-30',
        status: 'active',
        filingId: 'f-0001',
        source: 'filing',
      },
    ]);
  });

  it('takes the identifiers of the corrected form', () => {
    const history = historiesByStatus(submittedEvent('f-0001')).completed;
    const form = validatedForm('valid-app');
    const corrected = {
      ...form,
      app: { ...form.app, domains: ['fixed.example.com'] },
    } as typeof form;
    const events = recordedHistory('f-0001', [
      ...history.slice(0, 2),
      { type: 'FilingCorrected', data: { form: corrected, appName: '示例记账' } },
      ...history.slice(2),
    ]);
    expect(registryAfter(events).services[0]?.identifiers.domains).toEqual(['fixed.example.com']);
  });

  it('makes a number known from its registry stream and its filing one row, the registry’s, in either order', () => {
    for (const events of [
      [...COMPLETED, REGISTERED],
      [REGISTERED, ...COMPLETED],
    ]) {
      const { subjects, services } = registryAfter(events);
      expect(services).toHaveLength(1);
      expect(services[0]).toMatchObject({ name: '示例记账（登记）', source: 'registry', filingId: 'f-maps' });
      expect(subjects).toHaveLength(1);
    }
  });

  it('keeps a registered subject’s own name, filling in what a schema-1 SubjectRegistered lacked', () => {
    const named = registryRecorded(
      subjectStreamIdOf('440000'),
      'SubjectRegistered',
      subjectRegistered({ subjectNumber: SUBJECT_NUMBER, operatorName: '登记的名称' }),
    );
    expect(registryAfter([named, ...COMPLETED]).subjects[0]).toMatchObject({
      operatorName: '登记的名称',
      source: 'registry',
    });

    const {
      operatorName: _name,
      operatorNature: _nature,
      ...bare
    } = subjectRegistered({
      subjectNumber: SUBJECT_NUMBER,
    });
    const unnamed = registryRecorded(subjectStreamIdOf('440000'), 'SubjectRegistered', bare);
    expect(registryAfter([unnamed]).subjects[0]).toEqual({
      subjectNumber: SUBJECT_NUMBER,
      province: '440000',
      status: 'active',
      source: 'registry',
    });
    expect(registryAfter([unnamed, ...COMPLETED]).subjects[0]).toMatchObject({
      operatorName: '深圳市示例账本科技有限公司',
      operatorNature: 'enterprise',
      source: 'registry',
    });
  });

  it('records an imported website with its domains and no filing', () => {
    const website = registryRecorded(
      serviceStreamId('京B2-20090059-1'),
      'ServiceRegistered',
      serviceRegistered({
        serviceNumber: '京B2-20090059-1',
        subjectNumber: '京B2-20090059',
        serviceType: 'website',
        identifiers: { packages: [], bundles: [], domains: ['www.example.cn'] },
        filingId: undefined,
        source: 'imported',
      }),
    );
    const { subjects, services } = registryAfter([website]);
    expect(services[0]).toMatchObject({ serviceType: 'website', sequence: 1, source: 'registry' });
    expect(services[0]?.filingId).toBeUndefined();
    expect(subjects[0]).toMatchObject({ subjectNumber: '京B2-20090059', province: '110000' });
  });

  it('ignores filings never published and events of other registry streams', () => {
    const review = recordedHistory('f-0002', historiesByStatus(submittedEvent('f-0002')).bureau_review);
    const allocated: ProjectableEvent = {
      streamId: subjectStreamIdOf('440000'),
      type: 'ServiceNumberAllocated',
      data: { filingId: 'f-0002', serviceType: 'app', n: 2, number: '粤ICP备2026000123号-2A' },
      metadata: {},
    };
    expect(registryAfter([...review, allocated])).toEqual({ subjects: [], services: [] });
  });

  it('stops at a ServiceRegistered it cannot read', () => {
    const broken = { ...REGISTERED, data: { ...serviceRegistered(), serviceType: 'kiosk' } };
    expect(() => registryAfter([broken])).toThrow('data.serviceType is not one of');
  });

  it('holds no personal data of the form', () => {
    const rows = JSON.stringify(registryAfter(COMPLETED));
    for (const value of personalDataOf(loadValidForm('valid-app'))) expect(rows).not.toContain(value);
  });
});
