import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure } from '@temporalio/activity';
import type { EventLog, RecordedEvent } from '../../events/ports/event-log.port';
import { lastClaimOf, sealedClaim } from '../../events/registry/identifier-claims';
import { registryStreamHead, verifyRegistryChain } from '../../events/registry/registry-envelope';
import type { ServiceIdentifiers } from '../../events/registry/registry-events';
import {
  type ServiceIdentifierKey,
  identifierStreamId,
  serviceStreamId,
  subjectKeyDigestOf,
  subjectStreamId,
} from '../../events/registry/registry-streams';
import { registryStreamKindOf } from '../../events/registry/registry-transitions';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import { auditRegistryStream } from '../../services/audit/registry-audit';
import { RegistrationNumberRefusedError } from '../registration-numbers/allocation-errors';
import type { FiledService, RegistrationNumberRequest } from '../registration-numbers/allocation-request';
import { createRegistrationNumberAllocator } from '../registration-numbers/allocator';
import { createRegistryUpdateActivities } from './registry-update.activities';
import type { RegistryUpdateRequest } from './registry-update-request';
import { createRegistryUpdater } from './registry-updater';
import { RegistryUpdateRequestError } from './valid-update-request';

const GUANGDONG = '440000';
const SUBJECT_KEY = 'uscc:91440300MA5DC0XW8K';
const OPERATOR = { name: '深圳市示例科技有限公司', nature: 'enterprise' } as const;
const ISSUED_AT = '2026-12-07T03:00:00.000Z';
const CHANGED_AT = '2027-01-05T03:00:00.000Z';
const SUBJECT_STREAM = subjectStreamId(GUANGDONG, subjectKeyDigestOf(SUBJECT_KEY));

const pkg = (packageName: string) => ({ kind: 'package', packageName }) as const;
const appIdentifiers = (packageName: string, domain: string): ServiceIdentifiers => ({
  packages: [{ os: 'android', packageName, signatureMd5: 'a'.repeat(32) }],
  bundles: [],
  domains: [domain],
});
const MAPS: FiledService = {
  name: '示例地图',
  identifiers: appIdentifiers('com.example.maps', 'maps.example.com'),
  preApprovalCategories: [],
  ispName: '阿里云',
};
const NOTES: FiledService = {
  name: '示例笔记',
  identifiers: appIdentifiers('com.example.notes', 'notes.example.com'),
  preApprovalCategories: [],
  ispName: '阿里云',
};

let directory: string;
const logs: EventLog[] = [];

function openLog(): SqliteEventLog {
  const log = new SqliteEventLog(join(directory, 'events.sqlite'));
  logs.push(log);
  return log;
}

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'icp-registry-updates-'));
});

afterEach(async () => {
  await Promise.all(logs.splice(0).map((log) => log.close()));
  rmSync(directory, { recursive: true, force: true });
});

/** A filing's identifier claims at submission, as IdentifierClaims appends them. */
async function claim(log: EventLog, filingId: string, key: ServiceIdentifierKey): Promise<void> {
  const streamId = identifierStreamId(key);
  const head = registryStreamHead(await log.readStream(streamId));
  const event = { type: 'ServiceIdentifierClaimed', data: { filingId } } as const;
  await log.appendToStream(streamId, [sealedClaim(streamId, head, event, ISSUED_AT)], {
    expectedRevision: head.revision === -1 ? 'no_stream' : head.revision,
  });
}

/** A new registration through to its number, its identifiers claimed first. */
async function issue(log: EventLog, filingId: string, service: FiledService, subjectKey = SUBJECT_KEY) {
  for (const { packageName } of service.identifiers.packages) await claim(log, filingId, pkg(packageName));
  const request: RegistrationNumberRequest = {
    filingId,
    provinceCode: GUANGDONG,
    subjectKey,
    serviceType: 'app',
    year: 2026,
    at: ISSUED_AT,
    service,
    operator: OPERATOR,
  };
  return createRegistrationNumberAllocator({ eventLog: log }).allocate(request);
}

function update(
  filingId: string,
  kind: RegistryUpdateRequest['kind'],
  target: RegistryUpdateRequest['target'],
  extra: Partial<RegistryUpdateRequest> = {},
): RegistryUpdateRequest {
  return {
    filingId,
    kind,
    target,
    provinceCode: GUANGDONG,
    subjectKey: SUBJECT_KEY,
    at: CHANGED_AT,
    ...extra,
  };
}

const typesOf = async (log: EventLog, streamId: string) =>
  (await log.readStream(streamId)).map((event) => event.type);

/** Every registry stream of the log, replayed by the auditor: the findings of each (none expected). */
async function auditAll(log: EventLog): Promise<Record<string, unknown[]>> {
  const byStream = new Map<string, RecordedEvent[]>();
  for (const event of await log.readAll({ streamPrefix: 'registry-' })) {
    byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event]);
  }
  const findings: Record<string, unknown[]> = {};
  for (const [streamId, events] of byStream) {
    const kind = registryStreamKindOf(streamId);
    if (!kind) continue;
    const report = auditRegistryStream(streamId, kind, events);
    if (report.findings.length > 0) findings[streamId] = report.findings;
  }
  return findings;
}

/** The log, counting its appends (to see one transition land as one transaction). */
function counted(log: SqliteEventLog, options: { atomic: boolean; failAfter?: number }) {
  const calls = { appendToStream: 0, appendToStreams: 0 };
  const proxy: EventLog = {
    description: log.description,
    ping: () => log.ping(),
    appendToStream: async (...args) => {
      calls.appendToStream += 1;
      if (options.failAfter !== undefined && calls.appendToStream > options.failAfter) {
        throw new Error('worker crashed');
      }
      return log.appendToStream(...args);
    },
    ...(options.atomic
      ? {
          appendToStreams: async (appends) => {
            calls.appendToStreams += 1;
            return log.appendToStreams(appends);
          },
        }
      : {}),
    readStream: (...args) => log.readStream(...args),
    readAll: (...args) => log.readAll(...args),
    headPosition: () => log.headPosition(),
    subscribeToAll: (options) => log.subscribeToAll(options),
    close: async () => undefined,
  };
  return { log: proxy, calls };
}

describe('applying approved filings to the registry on a SQLite event log', () => {
  it('records the ISP’s access on ServiceRegistered', async () => {
    const log = openLog();
    const { serviceNumber } = await issue(log, 'F-1', MAPS);
    const [registered] = await log.readStream(serviceStreamId(serviceNumber));
    expect(registered?.data).toMatchObject({ accesses: [{ ispName: '阿里云', filingId: 'F-1' }] });
  });

  it('applies a change: the next version, the subject’s new name, the dropped package released; a retry adds nothing', async () => {
    const log = openLog();
    const { subjectNumber, serviceNumber } = await issue(log, 'F-1', MAPS);
    const updater = createRegistryUpdater({ eventLog: log });
    const changed = {
      ...MAPS,
      identifiers: appIdentifiers('com.example.maps2', 'maps.example.cn'),
    };
    const request = update(
      'C-1',
      'change',
      { subjectNumber, serviceNumber, alters: { subject: true, service: true } },
      { service: changed, operator: { name: '深圳市新名科技有限公司', nature: 'enterprise' } },
    );

    const outcome = await updater.apply(request);
    expect(outcome).toEqual({ subjectNumber, serviceNumbers: [serviceNumber] });
    const service = await log.readStream(serviceStreamId(serviceNumber));
    expect(service.map((event) => [event.type, event.data])).toEqual([
      ['ServiceRegistered', expect.objectContaining({ name: '示例地图' })],
      [
        'ServiceChanged',
        {
          filingId: 'C-1',
          version: 2,
          changedOn: '2027-01-05',
          name: '示例地图',
          identifiers: changed.identifiers,
          preApprovalCategories: [],
          operatorName: '深圳市新名科技有限公司',
          operatorNature: 'enterprise',
        },
      ],
    ]);
    expect(await typesOf(log, SUBJECT_STREAM)).toEqual([
      'SubjectRegistered',
      'ServiceNumberAllocated',
      'SubjectChanged',
    ]);
    const oldPackage = await log.readStream(identifierStreamId(pkg('com.example.maps')));
    expect(oldPackage.map((event) => event.type)).toEqual([
      'ServiceIdentifierClaimed',
      'ServiceIdentifierReleased',
    ]);
    expect(lastClaimOf(oldPackage)).toBeUndefined();

    const before = await log.headPosition();
    expect(await createRegistryUpdater({ eventLog: log }).apply(request)).toEqual(outcome);
    expect(await log.headPosition()).toBe(before);
    expect(await auditAll(log)).toEqual({});
  });

  it('adds an access, refuses one the ISP has, and answers a change of a cancelled service as refused', async () => {
    const log = openLog();
    const { subjectNumber, serviceNumber } = await issue(log, 'F-1', MAPS);
    const updater = createRegistryUpdater({ eventLog: log });
    const target = { subjectNumber, serviceNumber };

    expect(await updater.apply(update('A-1', 'new_access', target, { ispName: '腾讯云' }))).toEqual({
      subjectNumber,
      serviceNumbers: [serviceNumber],
    });
    expect(await updater.apply(update('A-2', 'new_access', target, { ispName: '阿里云' }))).toEqual({
      refused: {
        refusal: 'registry_changed',
        reasons: expect.stringMatching(/already gives the service access/),
      },
    });
    await updater.apply(update('X-1', 'cancellation', target));
    const refused = await updater.apply(update('C-1', 'change', target, { service: MAPS }));
    expect(refused).toEqual({
      refused: { refusal: 'registry_changed', reasons: expect.stringMatching(/was cancelled on 2027-01-05/) },
    });
    expect(await typesOf(log, serviceStreamId(serviceNumber))).toEqual([
      'ServiceRegistered',
      'ServiceAccessAdded',
      'ServiceCancelled',
    ]);
    expect(await auditAll(log)).toEqual({});
  });

  it('cancels a service: its identifiers free, a new filing for the package gets a NEW number, the last one flags a shell subject', async () => {
    const log = openLog();
    const maps = await issue(log, 'F-1', MAPS);
    const notes = await issue(log, 'F-2', NOTES);
    const updater = createRegistryUpdater({ eventLog: log });

    await updater.apply(
      update('X-1', 'cancellation', { subjectNumber: maps.subjectNumber, serviceNumber: maps.serviceNumber }),
    );
    expect(await typesOf(log, serviceStreamId(maps.serviceNumber))).toEqual([
      'ServiceRegistered',
      'ServiceCancelled',
    ]);
    // Another service is live: no shell flag yet.
    expect(await typesOf(log, SUBJECT_STREAM)).not.toContain('SubjectLeftWithoutServices');
    const mapsPackage = identifierStreamId(pkg('com.example.maps'));
    expect(lastClaimOf(await log.readStream(mapsPackage))).toBeUndefined();

    // The same package filed again: claimable, and numbered after every number issued before.
    const again = await issue(log, 'F-3', MAPS);
    expect([maps.n, notes.n, again.n]).toEqual([1, 2, 3]);
    expect(again.serviceNumber).toBe(`${maps.subjectNumber}-3A`);
    expect(lastClaimOf(await log.readStream(mapsPackage))).toMatchObject({ filingId: 'F-3' });

    await updater.apply(
      update('X-2', 'cancellation', {
        subjectNumber: notes.subjectNumber,
        serviceNumber: notes.serviceNumber,
      }),
    );
    expect(await typesOf(log, SUBJECT_STREAM)).not.toContain('SubjectLeftWithoutServices');
    await updater.apply(
      update('X-3', 'cancellation', {
        subjectNumber: again.subjectNumber,
        serviceNumber: again.serviceNumber,
      }),
    );
    const subject = await log.readStream(SUBJECT_STREAM);
    expect(subject.map((event) => [event.type, event.data]).slice(-1)).toEqual([
      [
        'SubjectLeftWithoutServices',
        { filingId: 'X-3', lastServiceNumber: again.serviceNumber, flaggedOn: '2027-01-05' },
      ],
    ]);
    // A shell subject still takes new services, numbered on.
    expect((await issue(log, 'F-4', NOTES)).n).toBe(4);
    expect(await auditAll(log)).toEqual({});
  });

  it('cancels a subject with all its live services in ONE append; a retry answers the same and writes nothing', async () => {
    const sqlite = openLog();
    const first = await issue(sqlite, 'F-1', MAPS);
    const second = await issue(sqlite, 'F-2', NOTES);
    const third = await issue(sqlite, 'F-3', {
      ...NOTES,
      identifiers: appIdentifiers('com.example.chat', 'chat.example.com'),
    });
    const target = (serviceNumber?: string) => ({
      subjectNumber: first.subjectNumber,
      ...(serviceNumber ? { serviceNumber } : {}),
    });
    await createRegistryUpdater({ eventLog: sqlite }).apply(
      update('X-1', 'cancellation', target(first.serviceNumber)),
    );

    const { log, calls } = counted(sqlite, { atomic: true });
    const outcome = await createRegistryUpdater({ eventLog: log }).apply(
      update('S-1', 'cancellation', target()),
    );
    expect(outcome).toEqual({
      subjectNumber: first.subjectNumber,
      serviceNumbers: [second.serviceNumber, third.serviceNumber],
    });
    expect(calls).toEqual({ appendToStream: 0, appendToStreams: 1 });

    const subject = await sqlite.readStream(SUBJECT_STREAM);
    expect(subject[subject.length - 1]).toMatchObject({
      type: 'SubjectCancelled',
      data: {
        filingId: 'S-1',
        cancelledOn: '2027-01-05',
        serviceNumbers: [second.serviceNumber, third.serviceNumber],
      },
    });
    for (const number of [second.serviceNumber, third.serviceNumber]) {
      const [, cancelled] = await sqlite.readStream(serviceStreamId(number));
      expect(cancelled).toMatchObject({
        type: 'ServiceCancelled',
        data: { filingId: 'S-1', scope: 'subject' },
      });
    }
    const [, byService] = await sqlite.readStream(serviceStreamId(first.serviceNumber));
    expect(byService?.data).toMatchObject({ filingId: 'X-1', scope: 'service' });
    for (const name of ['com.example.notes', 'com.example.chat']) {
      expect(lastClaimOf(await sqlite.readStream(identifierStreamId(pkg(name))))).toBeUndefined();
    }

    const before = await sqlite.headPosition();
    const retried = counted(sqlite, { atomic: true });
    expect(
      await createRegistryUpdater({ eventLog: retried.log }).apply(update('S-1', 'cancellation', target())),
    ).toEqual(outcome);
    expect(retried.calls).toEqual({ appendToStream: 0, appendToStreams: 0 });
    expect(await sqlite.headPosition()).toBe(before);

    // Final: the subject takes no new service, no change, no other cancellation.
    await expect(
      issue(sqlite, 'F-9', { ...MAPS, identifiers: appIdentifiers('com.example.new', 'new.example.com') }),
    ).rejects.toThrow(
      expect.objectContaining({ name: RegistrationNumberRefusedError.name, refusal: 'subject_cancelled' }),
    );
    expect(
      await createRegistryUpdater({ eventLog: sqlite }).apply(update('S-2', 'cancellation', target())),
    ).toEqual({
      refused: { refusal: 'registry_changed', reasons: expect.stringMatching(/was cancelled/) },
    });
    expect(await auditAll(sqlite)).toEqual({});
  });

  it('completes a transition a crash interrupted, on a log without multi-stream appends', async () => {
    const sqlite = openLog();
    const first = await issue(sqlite, 'F-1', MAPS);
    const second = await issue(sqlite, 'F-2', NOTES);
    const request = update('S-1', 'cancellation', { subjectNumber: first.subjectNumber });

    const crashing = counted(sqlite, { atomic: false, failAfter: 2 });
    await expect(createRegistryUpdater({ eventLog: crashing.log }).apply(request)).rejects.toThrow(
      'worker crashed',
    );
    const partial = await sqlite.headPosition();

    const resumed = counted(sqlite, { atomic: false });
    expect(await createRegistryUpdater({ eventLog: resumed.log }).apply(request)).toEqual({
      subjectNumber: first.subjectNumber,
      serviceNumbers: [first.serviceNumber, second.serviceNumber],
    });
    expect(await sqlite.headPosition()).toBeGreaterThan(partial);
    for (const number of [first.serviceNumber, second.serviceNumber]) {
      expect(await typesOf(sqlite, serviceStreamId(number))).toEqual([
        'ServiceRegistered',
        'ServiceCancelled',
      ]);
    }
    expect(
      (await typesOf(sqlite, SUBJECT_STREAM)).filter((type) => type === 'SubjectCancelled'),
    ).toHaveLength(1);
    for (const streamId of [SUBJECT_STREAM, serviceStreamId(first.serviceNumber)]) {
      expect(verifyRegistryChain(streamId, await sqlite.readStream(streamId))).toEqual([]);
    }
    expect(await auditAll(sqlite)).toEqual({});
  });

  it('records an ISP’s withdrawal as role isp; the last one leaves the service access_withdrawn, a new access makes it active', async () => {
    const log = openLog();
    const { subjectNumber, serviceNumber } = await issue(log, 'F-1', MAPS);
    const updater = createRegistryUpdater({ eventLog: log });
    const withdrawal = {
      serviceNumber,
      withdrawalId: 'W-1',
      ispName: '阿里云',
      reason: '合同到期',
      recordedById: 'aliyun-ops',
      at: CHANGED_AT,
    };
    const answer = { serviceNumber, status: 'access_withdrawn', withdrawnOn: '2027-01-05' };

    expect(await updater.withdrawAccess(withdrawal)).toEqual(answer);
    // A retry days later answers the recorded date.
    expect(await updater.withdrawAccess({ ...withdrawal, at: '2027-01-09T03:00:00.000Z' })).toEqual(answer);
    await expect(updater.withdrawAccess({ ...withdrawal, recordedById: ' ' })).rejects.toThrow(
      RegistryUpdateRequestError,
    );
    expect(await updater.withdrawAccess({ ...withdrawal, withdrawalId: 'W-2' })).toEqual({
      refused: { code: 'no_such_access', reasons: expect.any(String) },
    });
    const [, withdrawn] = await log.readStream(serviceStreamId(serviceNumber));
    expect(withdrawn).toMatchObject({
      type: 'ServiceAccessWithdrawn',
      data: { withdrawalId: 'W-1', ispName: '阿里云', reason: '合同到期', withdrawnOn: '2027-01-05' },
      metadata: { recordedBy: { role: 'isp', id: 'aliyun-ops' }, causationId: 'W-1' },
    });

    await updater.apply(update('A-1', 'new_access', { subjectNumber, serviceNumber }, { ispName: '腾讯云' }));
    expect(await updater.withdrawAccess({ ...withdrawal, withdrawalId: 'W-3', ispName: '腾讯云' })).toEqual(
      answer,
    );
    expect(await auditAll(log)).toEqual({});
  });

  it('flags the shell subject once when the last two services are cancelled at the same time by two workers', async () => {
    const first = openLog();
    const maps = await issue(first, 'F-1', MAPS);
    const notes = await issue(first, 'F-2', NOTES);
    const cancel = (filingId: string, serviceNumber: string) =>
      update(filingId, 'cancellation', { subjectNumber: maps.subjectNumber, serviceNumber });

    const outcomes = await Promise.all([
      createRegistryUpdater({ eventLog: first }).apply(cancel('X-1', maps.serviceNumber)),
      createRegistryUpdater({ eventLog: openLog() }).apply(cancel('X-2', notes.serviceNumber)),
    ]);
    for (const outcome of outcomes) expect(outcome).not.toHaveProperty('refused');
    const flags = (await first.readStream(SUBJECT_STREAM)).filter(
      (event) => event.type === 'SubjectLeftWithoutServices',
    );
    expect(flags).toHaveLength(1);
    expect(await auditAll(first)).toEqual({});
  });

  it('refuses a filing whose subject or service the registry does not hold, writing nothing', async () => {
    const log = openLog();
    const { subjectNumber, serviceNumber } = await issue(log, 'F-1', MAPS);
    const updater = createRegistryUpdater({ eventLog: log });
    const before = await log.headPosition();
    const answers = await Promise.all([
      updater.apply(update('X-1', 'cancellation', { subjectNumber: '粤ICP备2026000009号', serviceNumber })),
      updater.apply(update('X-2', 'cancellation', { subjectNumber, serviceNumber: `${subjectNumber}-7A` })),
      updater.apply(
        update('X-3', 'cancellation', { subjectNumber }, { subjectKey: 'uscc:91440300MA5FXXXX1A' }),
      ),
    ]);
    expect(answers.map((answer) => 'refused' in answer && answer.refused.refusal)).toEqual([
      'registry_changed',
      'registry_changed',
      'registry_changed',
    ]);
    expect(await log.headPosition()).toBe(before);
  });

  it('the activity answers refusals and fails a request it cannot read without retry', async () => {
    const log = openLog();
    const { subjectNumber, serviceNumber } = await issue(log, 'F-1', MAPS);
    const { applyFilingToRegistry } = createRegistryUpdateActivities({
      updater: createRegistryUpdater({ eventLog: log }),
    });
    expect(
      await applyFilingToRegistry(
        update('A-1', 'new_access', { subjectNumber, serviceNumber }, { ispName: '阿里云' }),
      ),
    ).toMatchObject({
      refused: { refusal: 'registry_changed' },
    });
    for (const bad of [
      update('A-2', 'new_access', { subjectNumber, serviceNumber }),
      update('C-1', 'change', { subjectNumber }),
      update('C-2', 'change', { subjectNumber, serviceNumber }),
      { ...update('X-1', 'cancellation', { subjectNumber }), at: 'yesterday' },
    ]) {
      await expect(applyFilingToRegistry(bad)).rejects.toThrow(
        expect.objectContaining({
          name: ApplicationFailure.name,
          nonRetryable: true,
          type: 'registry_update_invalid',
        }),
      );
      await expect(createRegistryUpdater({ eventLog: log }).apply(bad)).rejects.toThrow(
        RegistryUpdateRequestError,
      );
    }
  });
});
