import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYSTEM_ACTOR } from '../../../events/filing/actor';
import { EMPTY_STREAM, sealFilingEvents } from '../../../events/filing/envelope';
import type { FilingEvent, FilingEventOf } from '../../../events/filing/filing-events';
import { filingStreamId } from '../../../events/filing/stream-ids';
import type { Json } from '../../../events/ports/event-log.port';
import type { ReadModelStore } from '../../../events/ports/read-models.port';
import type { ServiceRegisteredData } from '../../../events/registry/registry-events';
import { loadChineseCalendar } from '../../../infra/calendar/chinese-holidays';
import { SqliteEventLog } from '../../../infra/event-log/sqlite/sqlite-event-log';
import { startProjector } from '../../../services/projections/projector';
import { readModelProjections } from '../../../services/projections/read-model-projections';
import { verifyProjection } from '../../../services/projections/rebuild';
import { historiesByStatus, SERVICE_NUMBER, SUBJECT_NUMBER } from '../../support/decider-spec';
import { submittedEvent } from '../../support/projection-fixtures';
import { serviceStreamId, subjectStreamId } from '../../../events/registry/registry-streams';
import {
  registryRecorded,
  serviceRegistered,
  subjectRegistered,
  subjectStreamIdOf,
  toAppend,
} from '../../support/registry-fixtures';
import type { ReadModelsFixture } from '../read-models.contract';

const SUBJECT = '粤ICP备2026000001号';

/** The services of SUBJECT: an app, a mini program and, from the registry's view, `count` more apps. */
function servicesOfSubject(count: number): ServiceRegisteredData[] {
  const miniProgram = serviceRegistered({
    serviceNumber: `${SUBJECT}-2X`,
    serviceType: 'mini_program',
    name: '示例地图小程序',
    identifiers: {
      packages: [],
      bundles: [],
      miniProgram: { miniProgramId: 'wx0123456789abcdef', hostApp: '微信' },
      domains: ['MP.Example.com'.toLowerCase()],
    },
    filingId: 'f-mp',
  });
  const apps = Array.from({ length: count }, (_, index) =>
    serviceRegistered({
      serviceNumber: `${SUBJECT}-${index + 3}A`,
      name: `示例工具${index + 3}`,
      identifiers: { packages: [], bundles: [], domains: [] },
      filingId: `f-tool-${index + 3}`,
    }),
  );
  return [serviceRegistered(), miniProgram, ...apps];
}

/** The registry's queries over rows the projector builds from registry streams and completed filings. */
export function describeRegistryContract(
  backendName: string,
  openFixture: () => Promise<ReadModelsFixture>,
): void {
  describe(`ReadModelStore contract: ${backendName}: the registry read model`, () => {
    let dir: string;
    let fixture: ReadModelsFixture;
    let log: SqliteEventLog;
    let store: ReadModelStore;

    async function appendRegistry(streamId: string, recorded: ReturnType<typeof registryRecorded>) {
      await log.appendToStream(streamId, [toAppend(recorded, crypto.randomUUID())], {
        expectedRevision: 'no_stream',
      });
    }

    /** Appends registry events to their streams, each after what the stream holds. */
    async function appendLife(...events: Array<ReturnType<typeof registryRecorded>>) {
      for (const recorded of events) {
        await log.appendToStream(recorded.streamId, [toAppend(recorded, crypto.randomUUID())], {
          expectedRevision: 'any',
        });
      }
    }

    async function catchUp() {
      const projector = startProjector({ eventLog: log, store, batchSize: 3 });
      await projector.caughtUp();
      await projector.stop();
    }

    async function appendFiling(filingId: string, events: readonly FilingEvent[]): Promise<void> {
      const sealed = sealFilingEvents(EMPTY_STREAM, events, {
        filingId,
        occurredAt: '2026-12-01T02:00:00.000Z',
        actor: SYSTEM_ACTOR,
        correlationId: filingId,
        causationId: `test-${filingId}`,
      });
      await log.appendToStream(
        filingStreamId(filingId),
        sealed.envelopes.map((envelope) => ({
          id: envelope.id,
          type: envelope.type,
          data: envelope.data as unknown as Json,
          metadata: envelope.metadata as unknown as Json,
        })),
        { expectedRevision: 'no_stream' },
      );
    }

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'icp-registry-contract-'));
      fixture = await openFixture();
      log = new SqliteEventLog(join(dir, 'data', 'events.sqlite'), { pollIntervalMs: 20 });
      store = await fixture.open(readModelProjections(loadChineseCalendar()));
      // A filing completed before the registry kept services, then the same number registered.
      await appendFiling('f-old', historiesByStatus(submittedEvent('f-old')).completed);
      await appendRegistry(
        subjectStreamIdOf('440000'),
        registryRecorded(subjectStreamIdOf('440000'), 'SubjectRegistered', subjectRegistered()),
      );
      for (const data of servicesOfSubject(10)) {
        const streamId = serviceStreamId(data.serviceNumber);
        await appendRegistry(streamId, registryRecorded(streamId, 'ServiceRegistered', data));
      }
      const projector = startProjector({ eventLog: log, store, batchSize: 5 });
      await projector.caughtUp();
      await projector.stop();
    });

    afterAll(async () => {
      await store.close();
      await log.close();
      await fixture.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    const numbersOf = async (lookup: Parameters<ReadModelStore['findRegistryServices']>[0]) =>
      (await store.findRegistryServices(lookup)).items.map((row) => row.serviceNumber);

    it('finds a service by each of its keys', async () => {
      expect(await numbersOf({ serviceNumber: `${SUBJECT}-1A`, limit: 10 })).toEqual([`${SUBJECT}-1A`]);
      expect(await numbersOf({ packageName: 'com.example.maps', limit: 10 })).toEqual([`${SUBJECT}-1A`]);
      expect(await numbersOf({ bundleId: 'com.example.maps.ios', limit: 10 })).toEqual([`${SUBJECT}-1A`]);
      expect(await numbersOf({ domain: 'Maps.Example.COM', limit: 10 })).toEqual([`${SUBJECT}-1A`]);
      expect(await numbersOf({ miniProgramId: 'wx0123456789abcdef', limit: 10 })).toEqual([`${SUBJECT}-2X`]);
      expect(await numbersOf({ name: '小程序', limit: 10 })).toEqual([`${SUBJECT}-2X`]);
      expect(await numbersOf({ packageName: 'com.example.ledger', limit: 10 })).toEqual([SERVICE_NUMBER]);
      expect(await numbersOf({ name: '示例账本', limit: 10 })).toEqual([SERVICE_NUMBER]);
      expect(await numbersOf({ packageName: 'com.example', limit: 10 })).toEqual([]);
      expect(await numbersOf({ limit: 10 })).toEqual([]);
      // A province is a criterion of its own (accuracy campaigns select a bureau's services by it).
      expect(await numbersOf({ province: '440000', status: 'active', limit: 10 })).toContain(`${SUBJECT}-1A`);
      expect(await numbersOf({ province: '110000', limit: 10 })).not.toContain(`${SUBJECT}-1A`);
      expect(await store.findRegistryServices({ serviceNumber: `${SUBJECT}-2X`, limit: 1 })).toEqual({
        items: [
          expect.objectContaining({
            subjectNumber: SUBJECT,
            serviceType: 'mini_program',
            operatorName: '广州示例地图有限公司',
            operatorNature: 'enterprise',
            preApprovalCategories: ['news'],
            approvedOn: '2026-12-01',
            status: 'active',
          }),
        ],
      });
    });

    it('finds the services carrying any of many identifiers in one call, any status', async () => {
      const found = async (keys: Parameters<ReadModelStore['servicesByIdentifiers']>[0]) =>
        (await store.servicesByIdentifiers(keys))
          .map((match) => `${match.kind}:${match.value}→${match.service.serviceNumber}`)
          .sort();
      const unknown = Array.from({ length: 1_200 }, (_, index) => ({
        kind: 'package' as const,
        value: `com.unknown.app${index}`,
      }));
      expect(
        await found([
          ...unknown,
          { kind: 'package', value: 'com.example.maps' },
          { kind: 'package', value: 'com.example.maps' },
          { kind: 'bundle', value: 'com.example.maps.ios' },
          { kind: 'domain', value: 'MP.EXAMPLE.com' },
          { kind: 'mini_program', value: 'wx0123456789abcdef' },
          { kind: 'quick_app', value: 'com.example.maps' },
          { kind: 'package', value: 'com.example.ledger' },
        ]),
      ).toEqual(
        [
          `bundle:com.example.maps.ios→${SUBJECT}-1A`,
          `domain:mp.example.com→${SUBJECT}-2X`,
          `mini_program:wx0123456789abcdef→${SUBJECT}-2X`,
          `package:com.example.ledger→${SERVICE_NUMBER}`,
          `package:com.example.maps→${SUBJECT}-1A`,
        ].sort(),
      );
      const [maps] = await store.servicesByIdentifiers([{ kind: 'package', value: 'com.example.maps' }]);
      expect(maps?.service).toMatchObject({
        serviceNumber: `${SUBJECT}-1A`,
        name: '示例地图',
        operatorName: '广州示例地图有限公司',
        status: 'active',
        identifiers: {
          packages: [{ os: 'android', packageName: 'com.example.maps', signatureMd5: 'a'.repeat(32) }],
        },
      });
      expect(await store.servicesByIdentifiers([])).toEqual([]);
    });

    it('answers a verification the same matches, narrowed to what its verdict and display need', async () => {
      const keys = [
        ...Array.from({ length: 600 }, (_, index) => ({
          kind: 'package' as const,
          value: `com.unknown.a${index}`,
        })),
        { kind: 'package' as const, value: 'com.example.maps' },
        { kind: 'domain' as const, value: 'MP.EXAMPLE.com' },
        { kind: 'package' as const, value: 'com.example.ledger' },
      ];
      const narrowed = await store.verificationMatches(keys);
      const full = await store.servicesByIdentifiers(keys);
      const key = (match: { kind: string; value: string; service: { serviceNumber: string } }) =>
        `${match.kind}:${match.value}→${match.service.serviceNumber}`;
      expect(narrowed.map(key).sort()).toEqual(full.map(key).sort());
      for (const match of narrowed) {
        const { service } = full.find((candidate) => key(candidate) === key(match)) ?? {};
        expect(match.service).toEqual({
          serviceNumber: service?.serviceNumber,
          name: service?.name,
          operatorName: service?.operatorName,
          status: service?.status,
          identifiers: service?.identifiers,
        });
      }
      expect(narrowed.find((match) => match.value === 'com.example.maps')?.service).toMatchObject({
        name: '示例地图',
        status: 'active',
        identifiers: { packages: [{ packageName: 'com.example.maps', signatureMd5: 'a'.repeat(32) }] },
      });
      expect(await store.verificationMatches([])).toEqual([]);
    });

    it('answers a subject, and pages its services in the order issued', async () => {
      expect(await store.registrySubject(SUBJECT)).toEqual({
        subjectNumber: SUBJECT,
        province: '440000',
        operatorName: '广州示例地图有限公司',
        operatorNature: 'enterprise',
        status: 'active',
        source: 'registry',
        streamId: subjectStreamIdOf('440000'),
      });
      expect(await store.registrySubject(SUBJECT_NUMBER)).toMatchObject({ source: 'filing' });
      expect(await store.registrySubject('粤ICP备2026999999号')).toBeUndefined();

      const listed: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.findRegistryServices({
          subjectNumber: SUBJECT,
          status: 'active',
          limit: 5,
          cursor,
        });
        listed.push(...page.items.map((row) => row.serviceNumber));
        cursor = page.nextCursor;
      } while (cursor);
      expect(listed).toEqual([
        `${SUBJECT}-1A`,
        `${SUBJECT}-2X`,
        ...Array.from({ length: 10 }, (_, index) => `${SUBJECT}-${index + 3}A`),
      ]);
      await expect(
        store.findRegistryServices({ subjectNumber: SUBJECT, limit: 5, cursor: 'nope' }),
      ).rejects.toThrow('cursor');
      await expect(store.findRegistryServices({ subjectNumber: SUBJECT, limit: 0 })).rejects.toThrow(
        RangeError,
      );
    });

    it('keeps one row for a number its filing issued and the registry then registered: the registry’s', async () => {
      const streamId = serviceStreamId(SERVICE_NUMBER);
      const registered = serviceRegistered({
        serviceNumber: SERVICE_NUMBER,
        subjectNumber: SUBJECT_NUMBER,
        name: '示例记账（登记）',
        filingId: 'f-old',
      });
      await appendRegistry(streamId, registryRecorded(streamId, 'ServiceRegistered', registered));
      const projector = startProjector({ eventLog: log, store });
      await projector.caughtUp();
      await projector.stop();
      const { items } = await store.findRegistryServices({ subjectNumber: SUBJECT_NUMBER, limit: 10 });
      expect(items.map((row) => [row.serviceNumber, row.name, row.source])).toEqual([
        [SERVICE_NUMBER, '示例记账（登记）', 'registry'],
      ]);
      expect(await numbersOf({ packageName: 'com.example.ledger', limit: 10 })).toEqual([]);
      expect(await numbersOf({ packageName: 'com.example.maps', limit: 10 })).toEqual([
        `${SUBJECT}-1A`,
        SERVICE_NUMBER,
      ]);
    });

    it('follows the services’ and subjects’ life: versions, accesses, cancellations, shell subjects', async () => {
      const app = `${SUBJECT}-1A`;
      const tool = `${SUBJECT}-3A`;
      const served = `${SUBJECT}-13A`;
      const other = '粤ICP备2026000002号';
      const otherStream = subjectStreamId('440000', 'b'.repeat(64));
      const onService = (number: string, type: Parameters<typeof registryRecorded>[1], data: object) =>
        registryRecorded(serviceStreamId(number), type, data as never);
      await appendLife(
        onService(app, 'ServiceChanged', {
          filingId: 'f-maps-2',
          version: 2,
          changedOn: '2026-12-05',
          name: '示例地图 Pro',
          identifiers: { packages: [], bundles: [], domains: ['pro.example.com'] },
          preApprovalCategories: [],
          operatorName: '广州示例地图有限公司',
          operatorNature: 'enterprise',
        }),
        onService(
          served,
          'ServiceRegistered',
          serviceRegistered({
            serviceNumber: served,
            name: '示例云盘',
            identifiers: { packages: [], bundles: [], domains: ['pan.example.com'] },
            accesses: [{ ispName: '阿里云', filingId: 'f-pan' }],
            filingId: 'f-pan',
          }),
        ),
        onService(served, 'ServiceAccessWithdrawn', {
          withdrawalId: 'w-1',
          ispName: '阿里云',
          reason: '合同到期',
          withdrawnOn: '2026-12-06',
        }),
        onService(tool, 'ServiceCancelled', {
          filingId: 'f-tool-3-x',
          cancelledOn: '2026-12-07',
          scope: 'service',
        }),
        registryRecorded(
          otherStream,
          'SubjectRegistered',
          subjectRegistered({
            subjectKeyDigest: 'b'.repeat(64),
            subjectNumber: other,
            operatorName: '广州空壳示例有限公司',
          }),
        ),
        onService(
          `${other}-1`,
          'ServiceRegistered',
          serviceRegistered({
            serviceNumber: `${other}-1`,
            subjectNumber: other,
            serviceType: 'website',
            name: '空壳官网',
            identifiers: { packages: [], bundles: [], domains: ['shell.example.cn'] },
            operatorName: '广州空壳示例有限公司',
            filingId: 'f-shell',
          }),
        ),
        onService(`${other}-1`, 'ServiceCancelled', {
          filingId: 'f-shell-x',
          cancelledOn: '2026-12-08',
          scope: 'service',
        }),
        registryRecorded(otherStream, 'SubjectLeftWithoutServices', {
          filingId: 'f-shell-x',
          lastServiceNumber: `${other}-1`,
          flaggedOn: '2026-12-08',
        }),
        registryRecorded(subjectStreamIdOf('440000'), 'SubjectChanged', {
          filingId: 'f-subject',
          operatorName: '广州新地图有限公司',
          operatorNature: 'enterprise',
          changedOn: '2026-12-09',
        }),
      );
      await catchUp();

      const [current] = (await store.findRegistryServices({ serviceNumber: app, limit: 1 })).items;
      expect(current).toMatchObject({
        name: '示例地图 Pro',
        version: 2,
        changedOn: '2026-12-05',
        filingId: 'f-maps-2',
        operatorName: '广州新地图有限公司',
        status: 'active',
      });
      expect(await numbersOf({ domain: 'pro.example.com', limit: 10 })).toEqual([app]);
      expect(
        (await store.registryServiceVersions(app)).map((row) => [row.version, row.name, row.filingId]),
      ).toEqual([
        [1, '示例地图', 'f-maps'],
        [2, '示例地图 Pro', 'f-maps-2'],
      ]);
      expect(await store.registryServiceVersions('粤ICP备2026999999号-1')).toEqual([]);

      expect((await store.findRegistryServices({ serviceNumber: served, limit: 1 })).items[0]).toMatchObject({
        status: 'access_withdrawn',
        accesses: [],
        accessWithdrawnOn: '2026-12-06',
      });
      expect(await numbersOf({ domain: 'shell.example.cn', limit: 10 })).toEqual([`${other}-1`]);
      expect((await store.findRegistryServices({ serviceNumber: tool, limit: 1 })).items[0]).toMatchObject({
        status: 'cancelled',
        cancelledOn: '2026-12-07',
        operatorName: '广州示例地图有限公司',
      });
      expect(await numbersOf({ subjectNumber: SUBJECT, status: 'cancelled', limit: 10 })).toEqual([tool]);
      expect(await numbersOf({ subjectNumber: SUBJECT, status: 'access_withdrawn', limit: 10 })).toEqual([
        served,
      ]);

      expect(await store.registrySubject(SUBJECT)).toMatchObject({
        operatorName: '广州新地图有限公司',
        changedOn: '2026-12-09',
      });
      expect(await store.shellSubjects({ province: '440000', limit: 10 })).toEqual({
        items: [
          expect.objectContaining({
            subjectNumber: other,
            operatorName: '广州空壳示例有限公司',
            shell: { flaggedOn: '2026-12-08', lastServiceNumber: `${other}-1` },
          }),
        ],
      });
      expect(await store.shellSubjects({ province: '110000', limit: 10 })).toEqual({ items: [] });
      await expect(store.shellSubjects({ province: '440000', limit: 10, cursor: 'nope' })).rejects.toThrow(
        'cursor',
      );
    });

    it('follows change and cancellation filings in the public registry, and makes no service row of them', async () => {
      const acting = (
        filingId: string,
        data: Partial<FilingEventOf<'FilingSubmitted'>['data']>,
        registrationNumber: string,
      ): FilingEvent[] =>
        historiesByStatus(submittedEvent(filingId, data)).completed.map((event) =>
          event.type === 'RegistrationPublished'
            ? { ...event, data: { ...event.data, registrationNumber, appName: data.appName ?? '示例记账' } }
            : event,
        );
      await appendFiling(
        'f-old-change',
        acting(
          'f-old-change',
          {
            kind: 'change',
            target: { subjectNumber: SUBJECT_NUMBER, serviceNumber: SERVICE_NUMBER },
            appName: '示例记账 Pro',
          },
          SERVICE_NUMBER,
        ),
      );
      await catchUp();
      expect(await store.findPublic({ number: SERVICE_NUMBER })).toEqual([
        expect.objectContaining({ appName: '示例记账 Pro', status: 'active', changedAt: expect.any(String) }),
      ]);
      await appendFiling(
        'f-old-cancel',
        acting(
          'f-old-cancel',
          { kind: 'cancellation', target: { subjectNumber: SUBJECT_NUMBER } },
          SUBJECT_NUMBER,
        ),
      );
      await catchUp();
      expect(await store.findPublic({ number: SERVICE_NUMBER })).toEqual([
        expect.objectContaining({ status: 'cancelled', cancelledOn: '2026-12-01' }),
      ]);
      expect(await store.findPublic({ number: SUBJECT_NUMBER })).toEqual([]);
      expect(await numbersOf({ subjectNumber: SUBJECT_NUMBER, limit: 10 })).toEqual([SERVICE_NUMBER]);
    });

    it('rebuilds identical rows from position 0', async () => {
      const outcome = await verifyProjection({ eventLog: log, store, name: 'registry', batchSize: 4 });
      expect(outcome.identical).toBe(true);
      expect(outcome.rows).toBeGreaterThan(12);
      const publicOutcome = await verifyProjection({
        eventLog: log,
        store,
        name: 'public_registry',
        batchSize: 4,
      });
      expect(publicOutcome.identical).toBe(true);
    });
  });
}
