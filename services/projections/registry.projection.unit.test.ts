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
import { registryAfter } from '../../test/support/registry-rows';
import type { ProjectableEvent } from './projectable-event';

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
        version: 1,
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
      streamId: subjectStreamIdOf('440000'),
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
    expect(registryAfter([...review, allocated])).toMatchObject({ subjects: [], services: [], versions: [] });
  });

  it('stops at a ServiceRegistered it cannot read', () => {
    const broken = { ...REGISTERED, data: { ...serviceRegistered(), serviceType: 'kiosk' } };
    expect(() => registryAfter([broken])).toThrow('data.serviceType is not one of');
  });

  it('holds no personal data of the form', () => {
    const rows = JSON.stringify(registryAfter(COMPLETED));
    for (const value of personalDataOf(loadValidForm('valid-app'))) expect(rows).not.toContain(value);
  });
  describe('the life of a service and its subject', () => {
    const SUBJECT = '粤ICP备2026000001号';
    const APP = `${SUBJECT}-1A`;
    const SUBJECT_STREAM = subjectStreamIdOf('440000');
    const subject = registryRecorded(SUBJECT_STREAM, 'SubjectRegistered', subjectRegistered());
    const registered = registryRecorded(
      serviceStreamId(APP),
      'ServiceRegistered',
      serviceRegistered({ accesses: [{ ispName: '阿里云', filingId: 'f-maps' }] }),
    );
    const onService = (type: Parameters<typeof registryRecorded>[1], data: object) =>
      registryRecorded(serviceStreamId(APP), type, data as never);
    const onSubject = (type: Parameters<typeof registryRecorded>[1], data: object) =>
      registryRecorded(SUBJECT_STREAM, type, data as never);
    const changed = onService('ServiceChanged', {
      filingId: 'f-change',
      version: 2,
      changedOn: '2026-12-05',
      name: '示例地图 Pro',
      identifiers: { packages: [], bundles: [], domains: ['pro.example.com'] },
      preApprovalCategories: [],
      operatorName: '广州示例地图有限公司',
      operatorNature: 'enterprise',
    });

    it('keeps the service’s first version from ServiceRegistered, with its accesses', () => {
      const { services, versions } = registryAfter([subject, registered]);
      expect(services[0]).toMatchObject({
        status: 'active',
        version: 1,
        accesses: ['阿里云'],
        filingId: 'f-maps',
      });
      expect(versions).toEqual([
        {
          serviceNumber: APP,
          version: 1,
          name: '示例地图',
          identifiers: serviceRegistered().identifiers,
          preApprovalCategories: ['news'],
          operatorName: '广州示例地图有限公司',
          filingId: 'f-maps',
          approvedOn: '2026-12-01',
        },
      ]);
    });

    it('makes a change the current version and keeps every version, each with its filing', () => {
      const { services, versions } = registryAfter([subject, registered, changed]);
      expect(services[0]).toMatchObject({
        name: '示例地图 Pro',
        identifiers: { domains: ['pro.example.com'] },
        version: 2,
        changedOn: '2026-12-05',
        approvedOn: '2026-12-01',
        filingId: 'f-change',
        status: 'active',
      });
      expect(
        versions.map((row) => [row.version, row.name, row.filingId, row.approvedOn, row.changedOn]),
      ).toEqual([
        [1, '示例地图', 'f-maps', '2026-12-01', undefined],
        [2, '示例地图 Pro', 'f-change', undefined, '2026-12-05'],
      ]);
    });

    it('withdraws access when the last ISP leaves, and is active again with a new access', () => {
      const withdrawn = onService('ServiceAccessWithdrawn', {
        withdrawalId: 'w-1',
        ispName: '阿里云',
        reason: '合同到期',
        withdrawnOn: '2026-12-06',
      });
      const afterWithdrawal = registryAfter([subject, registered, withdrawn]).services[0];
      expect(afterWithdrawal).toMatchObject({
        status: 'access_withdrawn',
        accesses: [],
        accessWithdrawnOn: '2026-12-06',
      });
      const added = onService('ServiceAccessAdded', {
        filingId: 'f-access',
        ispName: '腾讯云',
        addedOn: '2026-12-07',
      });
      expect(registryAfter([subject, registered, withdrawn, added]).services[0]).toMatchObject({
        status: 'active',
        accesses: ['腾讯云'],
      });
    });

    it('stays active when an ISP leaves a service whose accesses were never kept', () => {
      const legacy = registryRecorded(serviceStreamId(APP), 'ServiceRegistered', serviceRegistered());
      const withdrawn = onService('ServiceAccessWithdrawn', {
        withdrawalId: 'w-1',
        ispName: '阿里云',
        reason: '合同到期',
        withdrawnOn: '2026-12-06',
      });
      const service = registryAfter([legacy, withdrawn]).services[0];
      expect(service).toMatchObject({ status: 'active', accessWithdrawnOn: '2026-12-06' });
      expect(service?.accesses).toBeUndefined();
    });

    it('keeps accesses never kept unknown after a new access, so a withdrawal then leaves it active too', () => {
      const legacy = registryRecorded(serviceStreamId(APP), 'ServiceRegistered', serviceRegistered());
      const added = onService('ServiceAccessAdded', {
        filingId: 'f-access',
        ispName: '腾讯云',
        addedOn: '2026-12-05',
      });
      const withdrawn = onService('ServiceAccessWithdrawn', {
        withdrawalId: 'w-1',
        ispName: '腾讯云',
        reason: '合同到期',
        withdrawnOn: '2026-12-06',
      });
      const service = registryAfter([legacy, added, withdrawn]).services[0];
      expect(service).toMatchObject({ status: 'active', accessWithdrawnOn: '2026-12-06' });
      expect(service?.accesses).toBeUndefined();
    });

    it('cancels a service with its date, and refuses anything after', () => {
      const cancelled = onService('ServiceCancelled', {
        filingId: 'f-cancel',
        cancelledOn: '2026-12-08',
        scope: 'service',
      });
      expect(registryAfter([subject, registered, cancelled]).services[0]).toMatchObject({
        status: 'cancelled',
        cancelledOn: '2026-12-08',
        name: '示例地图',
      });
      expect(() => registryAfter([subject, registered, cancelled, changed])).toThrow(
        'after ServiceCancelled',
      );
      expect(() => registryAfter([changed])).toThrow('before ServiceRegistered');
    });

    it('renames the subject and its services still registered on SubjectChanged', () => {
      const renamed = onSubject('SubjectChanged', {
        filingId: 'f-subject',
        operatorName: '广州新地图有限公司',
        operatorNature: 'enterprise',
        changedOn: '2026-12-05',
      });
      const { subjects, services } = registryAfter([subject, registered, renamed]);
      expect(subjects[0]).toMatchObject({ operatorName: '广州新地图有限公司', changedOn: '2026-12-05' });
      expect(services[0]).toMatchObject({ operatorName: '广州新地图有限公司', version: 1 });
    });

    it('flags a subject left without services, until a new service or its cancellation', () => {
      const shell = onSubject('SubjectLeftWithoutServices', {
        filingId: 'f-cancel',
        lastServiceNumber: APP,
        flaggedOn: '2026-12-08',
      });
      expect(registryAfter([subject, registered, shell]).subjects[0]).toMatchObject({
        status: 'active',
        shell: { flaggedOn: '2026-12-08', lastServiceNumber: APP },
      });
      const another = registryRecorded(
        serviceStreamId(`${SUBJECT}-2A`),
        'ServiceRegistered',
        serviceRegistered({ serviceNumber: `${SUBJECT}-2A`, name: '示例导航' }),
      );
      expect(registryAfter([subject, registered, shell, another]).subjects[0]?.shell).toBeUndefined();
      const cancelled = onSubject('SubjectCancelled', {
        filingId: 'f-end',
        cancelledOn: '2026-12-09',
        serviceNumbers: [],
      });
      const ended = registryAfter([subject, registered, shell, cancelled]).subjects[0];
      expect(ended).toMatchObject({ status: 'cancelled', cancelledOn: '2026-12-09' });
      expect(ended?.shell).toBeUndefined();
    });

    it('makes no service row of a change or cancellation filing’s publication', () => {
      const cancellation = recordedHistory(
        'f-cancel',
        historiesByStatus(
          submittedEvent('f-cancel', { kind: 'cancellation', target: { subjectNumber: SUBJECT_NUMBER } }),
        ).completed.map((event) =>
          event.type === 'RegistrationPublished'
            ? { ...event, data: { ...event.data, registrationNumber: SUBJECT_NUMBER } }
            : event,
        ),
        100,
      );
      const { services, filings } = registryAfter([...COMPLETED, ...cancellation]);
      expect(services.map((row) => [row.serviceNumber, row.filingId])).toEqual([[SERVICE_NUMBER, 'f-0001']]);
      expect(filings.find((row) => row.filingId === 'f-cancel')).toMatchObject({ kind: 'cancellation' });
    });

    it('stops at a life event it cannot read', () => {
      const broken = onService('ServiceCancelled', {
        filingId: 'f-cancel',
        cancelledOn: 'soon',
        scope: 'service',
      });
      expect(() => registryAfter([subject, registered, broken])).toThrow(
        'data.cancelledOn is not a YYYY-MM-DD date',
      );
    });
  });
});
