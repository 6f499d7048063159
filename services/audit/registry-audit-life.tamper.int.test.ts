import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FiledService } from '../../activities/registration-numbers/allocation-request';
import { createRegistrationNumberAllocator } from '../../activities/registration-numbers/allocator';
import type { RegistryUpdateRequest } from '../../activities/registry-updates/registry-update-request';
import { createRegistryUpdater } from '../../activities/registry-updates/registry-updater';
import type { EventLog } from '../../events/ports/event-log.port';
import { sealedClaim } from '../../events/registry/identifier-claims';
import { registryStreamHead } from '../../events/registry/registry-envelope';
import type { ServiceIdentifiers } from '../../events/registry/registry-events';
import { identifierStreamId, serviceStreamId } from '../../events/registry/registry-streams';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import { createAuditCommand } from '../../main/cli/commands/audit.command';
import { runCommand } from '../../test/cli/run-command';
import { editEvent } from '../../test/support/audit/tamper';
import { appendSealed, resealRegistryEvent, SYSTEM } from '../../test/support/audit/registry-streams';
import type { RegistryAuditReport } from './audit-report';
import { auditService } from './registry-audit-loader';

/**
 * The registry's life after the number, as the allocator and applyFilingToRegistry write it: a change,
 * an ISP's withdrawal, a new access, a service cancellation and a subject cancellation. The auditor
 * verifies it all, and finds tampering with the new events.
 */

const GUANGDONG = '440000';
const SUBJECT_A = 'uscc:91440300MA5DC0XW8K';
const SUBJECT_B = 'uscc:91440300MA5FXXXX1A';
const AT = '2027-01-05T03:00:00.000Z';

const identifiers = (packageName: string): ServiceIdentifiers => ({
  packages: [{ os: 'android', packageName, signatureMd5: 'a'.repeat(32) }],
  bundles: [],
  domains: [`${packageName.split('.').pop() ?? 'app'}.example.com`],
});
const service = (name: string, packageName: string): FiledService => ({
  name,
  identifiers: identifiers(packageName),
  preApprovalCategories: [],
  ispName: '阿里云',
});

async function issue(log: EventLog, filingId: string, filed: FiledService, subjectKey: string) {
  for (const { packageName } of filed.identifiers.packages) {
    const streamId = identifierStreamId({ kind: 'package', packageName });
    const head = registryStreamHead(await log.readStream(streamId));
    const claim = { type: 'ServiceIdentifierClaimed', data: { filingId } } as const;
    await log.appendToStream(streamId, [sealedClaim(streamId, head, claim, '2026-12-07T02:00:00.000Z')], {
      expectedRevision: head.revision === -1 ? 'no_stream' : head.revision,
    });
  }
  return createRegistrationNumberAllocator({ eventLog: log }).allocate({
    filingId,
    provinceCode: GUANGDONG,
    subjectKey,
    serviceType: 'app',
    year: 2026,
    at: '2026-12-07T03:00:00.000Z',
    service: filed,
    operator: { name: '深圳市示例科技有限公司', nature: 'enterprise' },
  });
}

describe('auditing the registry’s life events, clean and tampered with in the SQLite file', () => {
  let dir: string;
  let file: string;
  let maps: string;
  let notes: string;
  const auditCommand = () =>
    createAuditCommand({
      openEventLog: () => ({ eventLog: new SqliteEventLog(file), description: file }),
      crossCheckTemporal: undefined,
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'icp-registry-life-audit-'));
    file = join(dir, 'events.sqlite');
    const log = new SqliteEventLog(file);
    const first = await issue(log, 'F-1', service('示例地图', 'com.example.maps'), SUBJECT_A);
    const second = await issue(log, 'F-2', service('示例笔记', 'com.example.notes'), SUBJECT_A);
    const other = await issue(log, 'F-3', service('示例聊天', 'com.example.chat'), SUBJECT_B);
    maps = first.serviceNumber;
    notes = second.serviceNumber;
    const updater = createRegistryUpdater({ eventLog: log });
    const request = (
      filingId: string,
      kind: RegistryUpdateRequest['kind'],
      target: RegistryUpdateRequest['target'],
      extra: Partial<RegistryUpdateRequest> = {},
    ): RegistryUpdateRequest => ({
      filingId,
      kind,
      target,
      provinceCode: GUANGDONG,
      subjectKey: SUBJECT_A,
      at: AT,
      ...extra,
    });
    const subjectNumber = first.subjectNumber;
    const outcomes = [
      await updater.apply(
        request(
          'C-1',
          'change',
          { subjectNumber, serviceNumber: maps },
          {
            service: service('示例地图 2', 'com.example.maps2'),
            operator: { name: '深圳市新名科技有限公司', nature: 'enterprise' },
          },
        ),
      ),
      await updater.withdrawAccess({
        serviceNumber: maps,
        withdrawalId: 'W-1',
        ispName: '阿里云',
        reason: '合同到期',
        recordedById: 'aliyun-ops',
        at: AT,
      }),
      await updater.apply(
        request('A-1', 'new_access', { subjectNumber, serviceNumber: maps }, { ispName: '腾讯云' }),
      ),
      await updater.apply(request('X-1', 'cancellation', { subjectNumber, serviceNumber: notes })),
      await updater.apply(
        request('S-1', 'cancellation', { subjectNumber: other.subjectNumber }, { subjectKey: SUBJECT_B }),
      ),
    ];
    for (const outcome of outcomes) expect(outcome).not.toHaveProperty('refused');
    await log.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function withLog<T>(read: (log: SqliteEventLog) => Promise<T>): Promise<T> {
    const log = new SqliteEventLog(file);
    try {
      return await read(log);
    } finally {
      await log.close();
    }
  }

  const found = (report: RegistryAuditReport | undefined) =>
    report?.findings.map(({ seq, rule }) => ({ seq, rule }));

  it('verifies every stream with changes, withdrawals, accesses and cancellations (verify --all exit 0)', async () => {
    const report = await withLog((log) => auditService(log, maps));
    expect(report).toMatchObject({ verdict: 'verified', findings: [] });
    expect(report?.timeline.map((entry) => [entry.type, entry.recordedBy?.role, entry.applied])).toEqual([
      ['ServiceRegistered', 'system', true],
      ['ServiceChanged', 'system', true],
      ['ServiceAccessWithdrawn', 'isp', true],
      ['ServiceAccessAdded', 'system', true],
    ]);
    expect(report?.versions?.map(({ version, name }) => [version, name])).toEqual([
      [1, expect.any(String)],
      [2, expect.any(String)],
    ]);
    expect(report?.versions?.[0]?.filingId).not.toBe(report?.versions?.[1]?.filingId);

    const result = await runCommand(auditCommand(), ['verify', '--all']);
    expect(result.code).toBe(0);
    expect(result.out).toContain(
      'verified 9 of 9 registry streams (subject counters 1, subjects 2, services 3, identifier claims 3); 0 with findings',
    );
  });

  it('a ServiceChanged whose data was changed: hash_mismatch at exactly that seq', async () => {
    editEvent(file, serviceStreamId(maps), 1, (row) => ({ ...row, data: { ...row.data, name: '别的应用' } }));
    const report = await withLog((log) => auditService(log, maps));
    expect(found(report)).toEqual([{ seq: 1, rule: 'hash_mismatch' }]);
  });

  it('an ISP’s withdrawal resealed as if the system recorded it: recorder_role at that seq', async () => {
    resealRegistryEvent(file, serviceStreamId(maps), 2, ({ hash: _hash, ...metadata }) => ({
      ...metadata,
      recordedBy: { role: SYSTEM.role, id: '阿里云' },
    }));
    const report = await withLog((log) => auditService(log, maps));
    expect(found(report)).toContainEqual({ seq: 2, rule: 'recorder_role' });
  });

  it('an access forged after ServiceCancelled, sealed by one who knows the hash rule: illegal_transition', async () => {
    await withLog((log) =>
      appendSealed(log, serviceStreamId(notes), [
        {
          event: {
            type: 'ServiceAccessAdded',
            data: { filingId: 'forged', ispName: '腾讯云', addedOn: '2027-02-01' },
          },
          recordedBy: SYSTEM,
          causationId: 'forged',
        },
      ]),
    );
    const report = await withLog((log) => auditService(log, notes));
    expect(found(report)).toEqual([{ seq: 2, rule: 'illegal_transition' }]);
    expect(report?.timeline.map((entry) => entry.applied)).toEqual([true, true, false]);
  });

  it('icp audit verify --all names the tampered streams (exit 1)', async () => {
    const result = await runCommand(auditCommand(), ['verify', '--all']);
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      'verified 7 of 9 registry streams (subject counters 1, subjects 2, services 3, identifier claims 3); 2 with findings',
    );
    expect(result.out).toContainEqual(
      expect.stringMatching(new RegExp(`^${serviceStreamId(notes)}  seq 2  illegal_transition  \\S`)),
    );
  });
});
