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
import {
  subjectKeyDigestOf,
  subjectSequenceStreamId,
  subjectStreamId,
} from '../../events/registry/registry-streams';

const GUANGDONG = '440000';
const SUBJECT_A = '91440300MA5DC0XW8K'; // a USCC
const SUBJECT_B = '440305199001011234';
const SUBJECT_C = '11010519491231002X';

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
  return { provinceCode: GUANGDONG, subjectKey: SUBJECT_A, serviceType: 'app', year: 2026, ...overrides };
}

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'icp-allocator-'));
});

afterEach(async () => {
  await Promise.all(logs.splice(0).map((log) => log.close()));
  rmSync(directory, { recursive: true, force: true });
});

describe('registration number allocator on a SQLite event log', () => {
  it('gives 50 concurrent filings of one subject n = 1..50 under one subject number', async () => {
    const allocator = createRegistrationNumberAllocator({ eventLog: openLog() });

    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) => allocator.allocate(request({ filingId: `F-${index}` }))),
    );

    expect(new Set(results.map((result) => result.subjectNumber))).toEqual(new Set(['粤ICP备2026000001号']));
    expect(results.map((result) => result.n).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    expect(new Set(results.map((result) => result.serviceNumber)).size).toBe(50);
    for (const result of results) expect(result.serviceNumber).toBe(`粤ICP备2026000001号-${result.n}A`);
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
    });
    expect(second).toEqual({
      subjectNumber: '粤ICP备2026000002号',
      serviceNumber: '粤ICP备2026000002号-1A',
      n: 1,
    });
    expect(otherProvince.subjectNumber).toBe('川ICP备2026000001号');
    expect(nextYear.subjectNumber).toBe('粤ICP备2027000001号');
  });

  it('reuses the subject number a subject already holds, whatever the year of the new filing', async () => {
    const allocator = createRegistrationNumberAllocator({ eventLog: openLog() });

    await allocator.allocate(request({ filingId: 'F-1' }));
    const later = await allocator.allocate(
      request({ filingId: 'F-2', year: 2027, subjectKey: ` ${SUBJECT_A.toLowerCase()} ` }),
    );

    expect(later).toEqual({
      subjectNumber: '粤ICP备2026000001号',
      serviceNumber: '粤ICP备2026000001号-2A',
      n: 2,
    });
  });

  it('returns the same numbers when a filing asks again, and allocates nothing more', async () => {
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
  });

  it('keeps an existing subject number, in its issued form, and counts services under it', async () => {
    const allocator = createRegistrationNumberAllocator({ eventLog: openLog() });
    const sichuan = { provinceCode: '510000' as const, existingSubjectNumber: '蜀ICP备2021000123号' };

    const app = await allocator.allocate(request({ filingId: 'F-1', ...sichuan }));
    const next = await allocator.allocate(request({ filingId: 'F-2', provinceCode: '510000' }));

    expect(app).toEqual({
      subjectNumber: '川ICP备2021000123号',
      serviceNumber: '川ICP备2021000123号-1A',
      n: 1,
    });
    expect(next.serviceNumber).toBe('川ICP备2021000123号-2A');
  });

  it('never issues an existing number of the current form to another subject', async () => {
    const allocator = createRegistrationNumberAllocator({ eventLog: openLog() });

    await allocator.allocate(request({ filingId: 'F-1' })); // …0001
    const existing = await allocator.allocate(
      request({ filingId: 'F-2', subjectKey: SUBJECT_B, existingSubjectNumber: '粤ICP备2026000002号' }),
    );
    const fresh = await allocator.allocate(request({ filingId: 'F-3', subjectKey: SUBJECT_C }));

    expect(existing.subjectNumber).toBe('粤ICP备2026000002号');
    expect(fresh.subjectNumber).toBe('粤ICP备2026000003号');
  });

  it('refuses an existing number held by another subject or other than the one the subject holds', async () => {
    const allocator = createRegistrationNumberAllocator({ eventLog: openLog() });
    await allocator.allocate(request({ filingId: 'F-1' })); // SUBJECT_A holds …0001

    await expect(
      allocator.allocate(
        request({ filingId: 'F-2', subjectKey: SUBJECT_B, existingSubjectNumber: '粤ICP备2026000001号' }),
      ),
    ).rejects.toMatchObject({ refusal: 'subject_number_taken' });
    await expect(
      allocator.allocate(request({ filingId: 'F-3', existingSubjectNumber: '粤ICP备2020000007号' })),
    ).rejects.toMatchObject({ refusal: 'subject_number_mismatch' });
    await expect(
      allocator.allocate(request({ filingId: 'F-4', existingSubjectNumber: '京ICP备2020000007号' })),
    ).rejects.toMatchObject({ refusal: 'invalid_request', message: expect.stringMatching(/北京市/) });
    await expect(
      allocator.allocate(request({ filingId: 'F-1', serviceType: 'mini_program' })),
    ).rejects.toBeInstanceOf(RegistrationNumberRefusedError);
  });

  it('numbers all of a subject’s services in one sequence, each with its type’s suffix', async () => {
    const allocator = createRegistrationNumberAllocator({ eventLog: openLog() });

    const numbers = [];
    for (const [filingId, serviceType] of [
      ['F-1', 'app'],
      ['F-2', 'mini_program'],
      ['F-3', 'app'],
      ['F-4', 'mini_program'],
      ['F-5', 'mini_program'],
    ] as const) {
      numbers.push((await allocator.allocate(request({ filingId, serviceType }))).serviceNumber);
    }

    expect(numbers).toEqual([
      '粤ICP备2026000001号-1A',
      '粤ICP备2026000001号-2X',
      '粤ICP备2026000001号-3A',
      '粤ICP备2026000001号-4X',
      '粤ICP备2026000001号-5X',
    ]);
  });

  it('stays unique with two allocators on two connections to one file', async () => {
    const file = join(directory, 'shared.sqlite');
    const allocators = [openLog(file), openLog(file)].map((eventLog) =>
      createRegistrationNumberAllocator({ eventLog }),
    );
    const subjects = [SUBJECT_A, SUBJECT_B, SUBJECT_C, '91110000100000000A', '440305198512120018'];

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
    expect(subjectEvents.filter((event) => event.type === 'ServiceNumberAllocated')).toHaveLength(
      issued.length,
    );
  });

  it('writes no subject key in clear: stream ids and events carry its digest', async () => {
    const eventLog = openLog();
    const allocator = createRegistrationNumberAllocator({ eventLog });
    await allocator.allocate(request({ filingId: 'F-1', subjectKey: SUBJECT_C }));

    const stored = JSON.stringify(await eventLog.readAll());
    expect(stored).not.toContain(SUBJECT_C);
    expect(stored).toContain(subjectKeyDigestOf(SUBJECT_C));
  });
});
