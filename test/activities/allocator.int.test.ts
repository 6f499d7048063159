import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRegistrationNumber } from '../../events/registration-number';
import type { EventLog } from '../../events/ports/event-log.port';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import { RegistrationNumberRefusedError } from '../../activities/registration-numbers/allocation-errors';
import type { RegistrationNumberRequest } from '../../activities/registration-numbers/allocation-request';
import { createRegistrationNumberAllocator } from '../../activities/registration-numbers/allocator';
import { RegistryContentionError } from '../../activities/registration-numbers/contention-retry';
import { verifyRegistryChain } from '../../events/registry/registry-envelope';
import {
  serviceStreamId,
  subjectKeyDigestOf,
  subjectSequenceStreamId,
  subjectStreamId,
} from '../../events/registry/registry-streams';
import { registerImportedSubject } from '../support/registry-subjects';

const GUANGDONG = '440000';
const SUBJECT_A = 'uscc:91440300MA5DC0XW8K';
const SUBJECT_B = 'id:440305199001011234';
const SUBJECT_C = 'id:11010519491231002X';
const OPERATOR = { name: '深圳市示例科技有限公司', nature: 'enterprise' } as const;
const ISSUED_AT = '2026-12-07T03:00:00.000Z';
const NO_IDENTIFIERS = { packages: [], bundles: [], domains: [] };

let directory: string;
const logs: EventLog[] = [];

function openLog(file = join(directory, 'events.sqlite')): EventLog {
  const log = new SqliteEventLog(file);
  logs.push(log);
  return log;
}

function request(
  overrides: Partial<RegistrationNumberRequest> & { filingId: string },
): RegistrationNumberRequest {
  return {
    provinceCode: GUANGDONG,
    subjectKey: SUBJECT_A,
    serviceType: 'app',
    year: 2026,
    at: ISSUED_AT,
    service: { name: `应用 ${overrides.filingId}`, identifiers: NO_IDENTIFIERS, preApprovalCategories: [] },
    operator: OPERATOR,
    ...overrides,
  };
}

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'icp-allocator-'));
});

afterEach(async () => {
  await Promise.all(logs.splice(0).map((log) => log.close()));
  rmSync(directory, { recursive: true, force: true });
});

describe('registration number allocator on a SQLite event log', () => {
  it('gives 50 parallel filings of one subject -1…-50, apps and mini programs, no gap, no duplicate', async () => {
    const eventLog = openLog();
    const allocator = createRegistrationNumberAllocator({ eventLog });

    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        allocator.allocate(
          request({ filingId: `F-${index}`, serviceType: index % 2 === 0 ? 'app' : 'mini_program' }),
        ),
      ),
    );

    expect(new Set(results.map((result) => result.subjectNumber))).toEqual(new Set(['粤ICP备2026000001号']));
    expect(results.map((result) => result.n).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    results.forEach((result, index) => {
      const suffix = index % 2 === 0 ? 'A' : 'X';
      expect(result.serviceNumber).toBe(`粤ICP备2026000001号-${result.n}${suffix}`);
      expect(result.operatorName).toBe(OPERATOR.name);
    });
    const subjectStream = subjectStreamId(GUANGDONG, subjectKeyDigestOf(SUBJECT_A));
    expect(verifyRegistryChain(subjectStream, await eventLog.readStream(subjectStream))).toEqual([]);
  });

  it('gives 50 parallel new subjects 50 distinct subject numbers, 1…50', async () => {
    const eventLog = openLog();
    const allocator = createRegistrationNumberAllocator({ eventLog });
    const subjects = Array.from(
      { length: 50 },
      (_, index) => `uscc:9144030000000${String(index).padStart(4, '0')}X`,
    );

    const results = await Promise.all(
      subjects.map((subjectKey, index) =>
        allocator.allocate(request({ filingId: `F-${index}`, subjectKey })),
      ),
    );

    const sequences = results.map((result) => {
      const parsed = parseRegistrationNumber(result.subjectNumber);
      return parsed.ok ? parsed.number.sequence : -1;
    });
    expect(sequences.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    for (const result of results) expect(result.serviceNumber).toBe(`${result.subjectNumber}-1A`);
    const counter = subjectSequenceStreamId(GUANGDONG, 2026);
    expect(verifyRegistryChain(counter, await eventLog.readStream(counter))).toEqual([]);
  });

  it('gives the next subject the next sequence of the province and year', async () => {
    const allocator = createRegistrationNumberAllocator({ eventLog: openLog() });

    const first = await allocator.allocate(request({ filingId: 'F-1' }));
    const second = await allocator.allocate(request({ filingId: 'F-2', subjectKey: SUBJECT_B }));
    const otherProvince = await allocator.allocate(request({ filingId: 'F-3', provinceCode: '510000' }));
    const nextYear = await allocator.allocate(
      request({ filingId: 'F-4', subjectKey: SUBJECT_C, year: 2027 }),
    );

    expect(first).toEqual({
      subjectNumber: '粤ICP备2026000001号',
      serviceNumber: '粤ICP备2026000001号-1A',
      n: 1,
      operatorName: OPERATOR.name,
    });
    expect(second.serviceNumber).toBe('粤ICP备2026000002号-1A');
    expect(otherProvince.subjectNumber).toBe('川ICP备2026000001号');
    expect(nextYear.subjectNumber).toBe('粤ICP备2027000001号');
  });

  it('issues a new filing of a certificate that already holds a number under that number', async () => {
    const allocator = createRegistrationNumberAllocator({ eventLog: openLog() });

    await allocator.allocate(request({ filingId: 'F-1' }));
    const later = await allocator.allocate(
      request({ filingId: 'F-2', year: 2027, subjectKey: ` ${SUBJECT_A.toLowerCase()} `.trim() }),
    );

    expect(later).toMatchObject({
      subjectNumber: '粤ICP备2026000001号',
      serviceNumber: '粤ICP备2026000001号-2A',
    });
  });

  it('writes sealed events: the subject, its service number, then the service under that number', async () => {
    const eventLog = openLog();
    const allocator = createRegistrationNumberAllocator({ eventLog });
    const identifiers = {
      packages: [{ os: 'android' as const, packageName: 'com.example.ledger', signatureMd5: 'a'.repeat(32) }],
      bundles: [],
      domains: ['api.example.com'],
    };

    await allocator.allocate(
      request({
        filingId: 'F-1',
        service: { name: '示例记账', identifiers, preApprovalCategories: ['news'] },
      }),
    );

    const subjectStream = subjectStreamId(GUANGDONG, subjectKeyDigestOf(SUBJECT_A));
    const subjectEvents = await eventLog.readStream(subjectStream);
    expect(subjectEvents.map((event) => [event.type, event.data])).toEqual([
      [
        'SubjectRegistered',
        {
          subjectKeyDigest: subjectKeyDigestOf(SUBJECT_A),
          provinceCode: GUANGDONG,
          subjectNumber: '粤ICP备2026000001号',
          source: 'allocated',
          operatorName: OPERATOR.name,
          operatorNature: 'enterprise',
          certificateType: 'uscc',
        },
      ],
      [
        'ServiceNumberAllocated',
        { filingId: 'F-1', serviceType: 'app', n: 1, number: '粤ICP备2026000001号-1A' },
      ],
    ]);
    const serviceStream = serviceStreamId('粤ICP备2026000001号-1A');
    const serviceEvents = await eventLog.readStream(serviceStream);
    expect(serviceEvents.map((event) => [event.type, event.data])).toEqual([
      [
        'ServiceRegistered',
        {
          serviceNumber: '粤ICP备2026000001号-1A',
          subjectNumber: '粤ICP备2026000001号',
          serviceType: 'app',
          name: '示例记账',
          identifiers,
          preApprovalCategories: ['news'],
          approvedOn: '2026-12-07',
          operatorName: OPERATOR.name,
          operatorNature: 'enterprise',
          filingId: 'F-1',
          source: 'filing',
        },
      ],
    ]);
    for (const [streamId, events] of [
      [subjectStream, subjectEvents],
      [serviceStream, serviceEvents],
    ] as const) {
      expect(verifyRegistryChain(streamId, events)).toEqual([]);
      for (const event of events) {
        expect(event.metadata).toMatchObject({
          schemaVersion: 2,
          occurredAt: ISSUED_AT,
          recordedBy: { role: 'system' },
          causationId: 'F-1',
        });
      }
    }
  });

  it('returns the same numbers when a filing asks again, and writes nothing more', async () => {
    const eventLog = openLog();
    const allocator = createRegistrationNumberAllocator({ eventLog });

    const first = await allocator.allocate(request({ filingId: 'F-1' }));
    const again = await allocator.allocate(request({ filingId: 'F-1' }));
    const concurrently = await Promise.all(
      [1, 2, 3].map(() => allocator.allocate(request({ filingId: 'F-2' }))),
    );

    expect(again).toEqual(first);
    expect(new Set(concurrently.map((result) => result.serviceNumber))).toEqual(
      new Set(['粤ICP备2026000001号-2A']),
    );
    const subjectEvents = await eventLog.readStream(
      subjectStreamId(GUANGDONG, subjectKeyDigestOf(SUBJECT_A)),
    );
    expect(subjectEvents.map((event) => event.type)).toEqual([
      'SubjectRegistered',
      'ServiceNumberAllocated',
      'ServiceNumberAllocated',
    ]);
    expect(await eventLog.readStream(subjectSequenceStreamId(GUANGDONG, 2026))).toHaveLength(1);
    expect(await eventLog.readStream(serviceStreamId('粤ICP备2026000001号-2A'))).toHaveLength(1);
  });

  it('issues under a subject the registry holds, in its issued form, with the registry’s operator', async () => {
    const eventLog = openLog();
    await registerImportedSubject(eventLog, {
      subjectKey: SUBJECT_B,
      provinceCode: '510000',
      subjectNumber: '川ICP备2021000123号',
      operatorName: '张三',
      operatorNature: 'individual',
      certificateType: 'resident_id',
    });
    const allocator = createRegistrationNumberAllocator({ eventLog });
    const sichuan = { provinceCode: '510000' as const, subjectKey: SUBJECT_B, operator: undefined };

    const app = await allocator.allocate(
      request({ filingId: 'F-1', ...sichuan, existingSubjectNumber: '蜀ICP备2021000123号' }),
    );
    const next = await allocator.allocate(
      request({ filingId: 'F-2', ...sichuan, serviceType: 'mini_program' }),
    );

    expect(app).toEqual({
      subjectNumber: '川ICP备2021000123号',
      serviceNumber: '川ICP备2021000123号-1A',
      n: 1,
      operatorName: '张三',
    });
    expect(next.serviceNumber).toBe('川ICP备2021000123号-2X');
    const [service] = await eventLog.readStream(serviceStreamId('川ICP备2021000123号-1A'));
    expect(service?.data).toMatchObject({ operatorName: '张三', operatorNature: 'individual' });
  });

  it('refuses a subject number the certificate does not hold, and writes nothing', async () => {
    const eventLog = openLog();
    const allocator = createRegistrationNumberAllocator({ eventLog });
    await allocator.allocate(request({ filingId: 'F-1' })); // SUBJECT_A holds …0001
    const before = (await eventLog.readAll()).length;

    await expect(
      allocator.allocate(
        request({ filingId: 'F-2', subjectKey: SUBJECT_B, existingSubjectNumber: '粤ICP备2026000001号' }),
      ),
    ).rejects.toMatchObject({ refusal: 'subject_not_registered' });
    await expect(
      allocator.allocate(request({ filingId: 'F-3', existingSubjectNumber: '粤ICP备2020000007号' })),
    ).rejects.toMatchObject({ refusal: 'subject_number_mismatch' });
    await expect(
      allocator.allocate(request({ filingId: 'F-4', existingSubjectNumber: '京ICP备2020000007号' })),
    ).rejects.toMatchObject({ refusal: 'invalid_request', message: expect.stringMatching(/北京市/) });
    await expect(
      allocator.allocate(request({ filingId: 'F-1', serviceType: 'mini_program' })),
    ).rejects.toMatchObject({ refusal: 'service_type_mismatch' });
    await expect(
      allocator.allocate(request({ filingId: 'F-5', subjectKey: 'subject:粤ICP备2026000001号' })),
    ).rejects.toBeInstanceOf(RegistrationNumberRefusedError);
    expect(await eventLog.readAll()).toHaveLength(before);
  });

  it('refuses when neither the form nor the registry names the operator', async () => {
    const eventLog = openLog();
    await registerImportedSubject(eventLog, {
      subjectKey: SUBJECT_C,
      provinceCode: GUANGDONG,
      subjectNumber: '粤ICP备05012345号',
    });
    const allocator = createRegistrationNumberAllocator({ eventLog });

    await expect(
      allocator.allocate(
        request({
          filingId: 'F-1',
          subjectKey: SUBJECT_C,
          operator: undefined,
          existingSubjectNumber: '粤ICP备05012345号',
        }),
      ),
    ).rejects.toMatchObject({ refusal: 'operator_unknown' });
  });

  it('stays unique with two allocators on two connections to one file', async () => {
    const file = join(directory, 'shared.sqlite');
    const allocators = [openLog(file), openLog(file)].map((eventLog) =>
      createRegistrationNumberAllocator({ eventLog }),
    );
    const subjects = [SUBJECT_A, SUBJECT_B, SUBJECT_C, 'uscc:91110000100000000A', 'id:440305198512120018'];

    const results = await Promise.all(
      Array.from({ length: 60 }, (_, index) => {
        const subjectKey = subjects[index % subjects.length] ?? SUBJECT_A;
        const serviceType = index % 3 === 0 ? 'mini_program' : 'app';
        const allocator = allocators[index % 2] ?? allocators[0];
        return allocator!.allocate(request({ filingId: `F-${index}`, subjectKey, serviceType }));
      }),
    );

    expect(new Set(results.map((result) => result.serviceNumber)).size).toBe(60);
    const subjectNumberOf = new Map<string, string>();
    results.forEach((result, index) => {
      const subjectKey = subjects[index % subjects.length] ?? '';
      expect(subjectNumberOf.get(subjectKey) ?? result.subjectNumber).toBe(result.subjectNumber);
      subjectNumberOf.set(subjectKey, result.subjectNumber);
    });
    const sequences = [...subjectNumberOf.values()].map((number) => {
      const parsed = parseRegistrationNumber(number);
      return parsed.ok ? parsed.number.sequence : -1;
    });
    expect(sequences.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    for (const subjectKey of subjects) {
      const ofSubject = results.filter((_, index) => subjects[index % subjects.length] === subjectKey);
      // One sequence per subject, shared by apps and mini programs: 1..k, no gap, no duplicate.
      const ns = ofSubject.map((result) => result.n);
      expect(ns.sort((a, b) => a - b)).toEqual(Array.from({ length: ns.length }, (_, i) => i + 1));
      for (const result of ofSubject) expect(result.serviceNumber).toMatch(new RegExp(`-${result.n}[AX]$`));
    }
  });

  it('gives up with a retryable error when every attempt loses, without issuing a number twice', async () => {
    const eventLog = openLog();
    const allocator = createRegistrationNumberAllocator({ eventLog, retry: { maxAttempts: 1 } });

    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, index) => allocator.allocate(request({ filingId: `F-${index}` }))),
    );

    const issued = outcomes.flatMap((outcome) =>
      outcome.status === 'fulfilled' ? [outcome.value.serviceNumber] : [],
    );
    const failures = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
    );
    expect(issued.length).toBeGreaterThanOrEqual(1);
    expect(new Set(issued).size).toBe(issued.length);
    for (const failure of failures) expect(failure).toBeInstanceOf(RegistryContentionError);
    const subjectEvents = await eventLog.readStream(
      subjectStreamId(GUANGDONG, subjectKeyDigestOf(SUBJECT_A)),
    );
    expect(subjectEvents.filter((event) => event.type === 'ServiceNumberAllocated').length).toBe(
      issued.length,
    );
  });

  it('writes no subject key in clear: stream ids and events carry its digest', async () => {
    const eventLog = openLog();
    const allocator = createRegistrationNumberAllocator({ eventLog });
    await allocator.allocate(request({ filingId: 'F-1', subjectKey: SUBJECT_C }));

    const stored = JSON.stringify(await eventLog.readAll());
    expect(stored).not.toContain(SUBJECT_C.slice('id:'.length));
    expect(stored).toContain(subjectKeyDigestOf(SUBJECT_C));
  });
});
