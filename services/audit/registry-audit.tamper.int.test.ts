import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceRegisteredData } from '../../events/registry/registry-events';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import { createAuditCommand } from '../../main/cli/commands/audit.command';
import { runCommand } from '../../test/cli/run-command';
import { editEvent } from '../../test/support/audit/tamper';
import {
  REGISTRY_STREAMS,
  SUBJECT_A,
  SUBJECT_B,
  SUBJECT_C,
  writeRegistry,
} from '../../test/support/audit/registry-fixture';
import { ADMIN, appendSealed, resealRegistryEvent, SYSTEM } from '../../test/support/audit/registry-streams';
import type { RegistryAuditReport } from './audit-report';
import { auditRegistryStreamById, auditService, auditSubject } from './registry-audit-loader';

describe('auditing registry streams, clean and tampered with in the SQLite file', () => {
  let dir: string;
  let file: string;
  const auditCommand = () =>
    createAuditCommand({
      openEventLog: () => ({ eventLog: new SqliteEventLog(file), description: file }),
      crossCheckTemporal: undefined,
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'icp-registry-audit-'));
    file = join(dir, 'events.sqlite');
    const log = new SqliteEventLog(file);
    await writeRegistry(log);
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

  /** `icp audit replay <args>`: exit 1, the finding's line and the verdict naming its rule. */
  async function expectReplayFinds(args: string[], seq: number, rule: string): Promise<void> {
    const result = await runCommand(auditCommand(), ['replay', ...args]);
    expect(result.err).toEqual([]);
    expect(result.code).toBe(1);
    expect(result.out).toContainEqual(expect.stringMatching(new RegExp(`^seq ${seq}  ${rule}  \\S`)));
    expect(result.out[result.out.length - 1]).toMatch(new RegExp(`^findings: \\d+ \\(.*\\b${rule}\\b.*\\)$`));
  }

  it('verifies a subject and a service found by their numbers, and every registry stream', async () => {
    const subject = await withLog((log) =>
      auditSubject(log, { subjectNumber: SUBJECT_A, provinceCode: '440000' }),
    );
    expect(subject).toMatchObject({
      streamId: REGISTRY_STREAMS.subjectA,
      kind: 'subject',
      verdict: 'verified',
      events: 3,
      unsealed: [],
      subjectNumber: SUBJECT_A,
      findings: [],
    });
    expect(subject?.timeline.map((entry) => [entry.type, entry.recordedBy?.role, entry.applied])).toEqual([
      ['SubjectRegistered', 'system', true],
      ['ServiceNumberAllocated', 'system', true],
      ['ServiceNumberAllocated', 'system', true],
    ]);
    const service = await withLog((log) => auditService(log, `${SUBJECT_B}-1`));
    expect(service).toMatchObject({ kind: 'service', verdict: 'verified', serviceNumber: `${SUBJECT_B}-1` });

    for (const streamId of Object.values(REGISTRY_STREAMS)) {
      const report = await withLog((log) => auditRegistryStreamById(log, streamId));
      expect({ streamId, findings: report?.findings }).toEqual({ streamId, findings: [] });
    }
  });

  it('reports the unsealed event opening an old subject stream as such, not as tampering', async () => {
    const report = await withLog((log) =>
      auditSubject(log, { subjectNumber: SUBJECT_C, provinceCode: '440000' }),
    );
    expect(report).toMatchObject({ verdict: 'verified', unsealed: [0], findings: [] });

    const result = await runCommand(auditCommand(), ['replay', '--subject', SUBJECT_C]);
    expect(result.code).toBe(0);
    expect(result.out[result.out.length - 1]).toBe(
      'verified: 2 events; 1 unsealed, written before registry events were sealed (seq 0)',
    );
  });

  it('icp audit replay --subject, --service and --stream verify clean streams (exit 0)', async () => {
    for (const args of [
      ['--subject', SUBJECT_A],
      ['--subject', SUBJECT_B, '--province', '440000'],
      ['--service', `${SUBJECT_A}-2X`],
      ['--stream', REGISTRY_STREAMS.counter],
    ]) {
      const result = await runCommand(auditCommand(), ['replay', ...args]);
      expect({ args, code: result.code, err: result.err }).toEqual({ args, code: 0, err: [] });
      expect(result.out[result.out.length - 1]).toMatch(/^verified: \d+ events$/);
    }
    const json = await runCommand(auditCommand(), ['replay', '--service', `${SUBJECT_A}-1A`, '--json']);
    expect(JSON.parse(json.out.join('\n'))).toMatchObject({
      streamId: REGISTRY_STREAMS.serviceA1,
      verdict: 'verified',
    });
  });

  it('refuses what names no registry stream, on one line (exit 2)', async () => {
    const missing = await runCommand(auditCommand(), ['replay', '--subject', '粤ICP备2026000099号']);
    expect(missing.code).toBe(2);
    expect(missing.err).toEqual([
      expect.stringMatching(/^icp audit: no subject 粤ICP备2026000099号 in province 440000 /),
    ]);
    const malformed = await runCommand(auditCommand(), ['replay', '--service', SUBJECT_A]);
    expect(malformed.code).toBe(2);
    expect(malformed.err).toEqual([expect.stringMatching(/^icp audit: --service needs a service number/)]);
  });

  it('icp audit verify --all counts registry streams per kind (exit 0 while clean)', async () => {
    const result = await runCommand(auditCommand(), ['verify', '--all']);
    expect(result.code).toBe(0);
    expect(result.out).toContain(
      'verified 8 of 8 registry streams (subject counters 1, subjects 3, services 3, identifier claims 1); 0 with findings',
    );
  });

  it('an event whose data was changed: hash_mismatch at exactly that seq', async () => {
    editEvent(file, REGISTRY_STREAMS.subjectA, 1, (row) => ({
      ...row,
      data: { ...row.data, n: 5, number: `${SUBJECT_A}-5A` },
    }));

    const report = await withLog((log) =>
      auditSubject(log, { subjectNumber: SUBJECT_A, provinceCode: '440000' }),
    );
    expect(found(report)).toEqual([{ seq: 1, rule: 'hash_mismatch' }]);
    await expectReplayFinds(['--subject', SUBJECT_A], 1, 'hash_mismatch');
  });

  it('an event out of place, sealed by a forger who knows the hash rule: illegal_transition at its seq', async () => {
    const [registered] = await withLog((log) => log.readStream(REGISTRY_STREAMS.serviceA2));
    const data = registered?.data as unknown as ServiceRegisteredData;
    await withLog((log) =>
      appendSealed(log, REGISTRY_STREAMS.serviceA2, [
        { event: { type: 'ServiceRegistered', data }, recordedBy: SYSTEM, causationId: 'forged' },
      ]),
    );

    const report = await withLog((log) => auditService(log, `${SUBJECT_A}-2X`));
    expect(found(report)).toEqual([{ seq: 1, rule: 'illegal_transition' }]);
    expect(report?.timeline.map((entry) => entry.applied)).toEqual([true, false]);
    await expectReplayFinds(['--service', `${SUBJECT_A}-2X`], 1, 'illegal_transition');
  });

  it('an import recorded as if by the system, resealed in the file: recorder_role at that seq only', async () => {
    resealRegistryEvent(file, REGISTRY_STREAMS.subjectB, 1, ({ hash: _hash, ...metadata }) => ({
      ...metadata,
      recordedBy: { role: SYSTEM.role, id: ADMIN.id },
    }));

    const report = await withLog((log) =>
      auditSubject(log, { subjectNumber: SUBJECT_B, provinceCode: '440000' }),
    );
    expect(found(report)).toEqual([{ seq: 1, rule: 'recorder_role' }]);
    await expectReplayFinds(['--subject', SUBJECT_B], 1, 'recorder_role');
  });

  it('a service number taken twice: duplicate_number at the second', async () => {
    await withLog((log) =>
      appendSealed(log, REGISTRY_STREAMS.subjectC, [
        {
          event: {
            type: 'ServiceNumberAllocated',
            data: { filingId: 'f-2', serviceType: 'app', n: 1, number: `${SUBJECT_C}-1A` },
          },
          recordedBy: SYSTEM,
          causationId: 'f-2',
        },
      ]),
    );
    await expectReplayFinds(['--stream', REGISTRY_STREAMS.subjectC], 2, 'duplicate_number');
  });

  it('icp audit verify --all names every tampered registry stream with seq and rule (exit 1)', async () => {
    const result = await runCommand(auditCommand(), ['verify', '--all']);
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      'verified 4 of 8 registry streams (subject counters 1, subjects 3, services 3, identifier claims 1); 4 with findings',
    );
    for (const [streamId, seq, rule] of [
      [REGISTRY_STREAMS.subjectA, 1, 'hash_mismatch'],
      [REGISTRY_STREAMS.serviceA2, 1, 'illegal_transition'],
      [REGISTRY_STREAMS.subjectB, 1, 'recorder_role'],
      [REGISTRY_STREAMS.subjectC, 2, 'duplicate_number'],
    ] as const) {
      expect(result.out).toContainEqual(
        expect.stringMatching(new RegExp(`^${streamId}  seq ${seq}  ${rule}  \\S`)),
      );
    }
  });
});
