import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedEvent } from '../../../events/ports/event-log.port';
import { CSV_COLUMNS } from '../../../events/registry/import-file';
import {
  EMPTY_REGISTRY_STREAM,
  sealRegistryEvent,
  verifyRegistryChain,
} from '../../../events/registry/registry-envelope';
import {
  subjectKeyDigestOf,
  subjectSequenceStreamId,
  subjectStreamId,
} from '../../../events/registry/registry-streams';
import { SqliteEventLog } from '../../../infra/event-log/sqlite/sqlite-event-log';
import { runCommand } from '../../../test/cli/run-command';
import {
  type ImportSubjectLine,
  organisationLine,
  residentId,
  uscc,
  website,
} from '../../../test/support/registry-import-lines';
import { createRegistryCommand, registryCommand } from './registry.command';

interface ImportJson {
  dryRun: boolean;
  linesRead: number;
  subjects: number;
  subjectsImported: number;
  alreadyPresent: number;
  websitesRecorded: number;
  eventsAppended: number;
  badLines: number;
  errors: Array<{ line: number; field: string; rule: string; message: string }>;
}

const LINES = 10_000;
const NOW = Date.parse('2026-12-07T04:00:00Z');

type Bad = { line: number; field: string; rule: string; text: string };

/** Line (1-based) → what makes it bad; each breaks exactly one rule. */
function badLines(): Bad[] {
  const at = (i: number) => 250 + i * 487;
  const line = (index: number, edit: (subject: ImportSubjectLine) => void): string => {
    const subject = organisationLine(index);
    edit(subject);
    return JSON.stringify(subject);
  };
  const first = (subject: ImportSubjectLine) => subject.websites[0] as ImportSubjectLine['websites'][number];
  const cases: Array<[string, string, (index: number) => string]> = [
    ['', 'json_syntax', (i) => line(i, () => undefined).slice(0, -1)],
    ['certificateNumber', 'credit_code_format', (i) => line(i, (s) => (s.certificateNumber = 'not-a-uscc'))],
    ['operatorNature', 'invalid_choice', (i) => line(i, (s) => (s.operatorNature = 'company'))],
    [
      'subjectNumber',
      'subject_number_format',
      (i) => line(i, (s) => (s.subjectNumber = `${s.subjectNumber}-1`)),
    ],
    [
      'websites[0].serviceNumber',
      'service_number_other_subject',
      (i) => line(i, (s) => (first(s).serviceNumber = '粤ICP备2099000001号-1')),
    ],
    [
      'websites[0].serviceNumber',
      'service_number_not_website',
      (i) => line(i, (s) => (first(s).serviceNumber += 'A')),
    ],
    [
      'websites[0].domains[0]',
      'domain_format',
      (i) => line(i, (s) => (first(s).domains = ['https://example.cn'])),
    ],
    ['websites[0].approvedOn', 'date_format', (i) => line(i, (s) => (first(s).approvedOn = '2021-02-30'))],
    ['websites[0].approvedOn', 'date_in_future', (i) => line(i, (s) => (first(s).approvedOn = '2027-01-01'))],
    [
      'certificateType',
      'certificate_type_for_nature',
      (i) => line(i, (s) => (s.operatorNature = 'individual')),
    ],
    ['operatorName', 'required', (i) => line(i, (s) => (s.operatorName = ' '))],
    ['websites', 'too_few', (i) => line(i, (s) => (s.websites = []))],
    ['remarks', 'unknown_field', (i) => JSON.stringify({ ...organisationLine(i), remarks: 'x' })],
    [
      'certificateNumber',
      'resident_id_checksum',
      (i) =>
        line(i, (s) =>
          Object.assign(s, {
            certificateType: 'resident_id',
            operatorNature: 'individual',
            certificateNumber: `${residentId(i % 1000).slice(0, 17)}${residentId(i % 1000).endsWith('0') ? '1' : '0'}`,
          }),
        ),
    ],
    [
      'websites[1].serviceNumber',
      'duplicate',
      (i) => line(i, (s) => s.websites.push(website(s.subjectNumber, 1, 'again.example.cn'))),
    ],
    // The subject number of line 1, under another certificate.
    [
      'subjectNumber',
      'subject_number_taken',
      (i) =>
        line(
          i,
          (s) => (
            (s.subjectNumber = organisationLine(0).subjectNumber),
            (s.websites = [website(s.subjectNumber, 9, 'x.example.cn')])
          ),
        ),
    ],
    // The certificate of line 2, with another number in the same province.
    ['subjectNumber', 'subject_has_other_number', (i) => line(i, (s) => (s.certificateNumber = uscc(1)))],
    ['websites[0].name', 'too_long', (i) => line(i, (s) => (first(s).name = '网'.repeat(101)))],
    [
      'websites[0].domains[1]',
      'duplicate',
      (i) => line(i, (s) => first(s).domains.push(first(s).domains[0]?.toUpperCase() ?? '')),
    ],
    [
      'websites[0].domains',
      'type',
      (i) =>
        JSON.stringify({
          ...organisationLine(i),
          websites: [{ ...organisationLine(i).websites[0], domains: 'a.cn' }],
        }),
    ],
  ];
  return cases.map(([field, rule, text], i) => ({ line: at(i) + 1, field, rule, text: text(at(i)) }));
}

function importFile(bad: readonly Bad[]): string {
  const byLine = new Map(bad.map((entry) => [entry.line, entry.text]));
  const lines = Array.from(
    { length: LINES },
    (_, index) => byLine.get(index + 1) ?? JSON.stringify(organisationLine(index)),
  );
  return `${lines.join('\n')}\n`;
}

async function headPosition(file: string): Promise<number> {
  const log = new SqliteEventLog(file);
  try {
    return await log.headPosition();
  } finally {
    await log.close();
  }
}

async function registryEvents(file: string): Promise<RecordedEvent[]> {
  const log = new SqliteEventLog(file);
  try {
    return await log.readAll({ streamPrefix: 'registry-' });
  } finally {
    await log.close();
  }
}

describe('icp registry import', () => {
  let dir: string;
  const progress: string[] = [];
  const commandOn = (file: string) =>
    createRegistryCommand({
      openEventLog: () => ({ eventLog: new SqliteEventLog(file), description: `sqlite:${file}` }),
      now: () => NOW,
      progress: { write: (text) => progress.push(text), interactive: false },
    });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'icp-registry-import-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports 9,980 of 10,000 subjects, names the 20 bad lines, and changes nothing when run again', async () => {
    const bad = badLines();
    const source = join(dir, 'subjects.jsonl');
    writeFileSync(source, importFile(bad));
    const log = join(dir, 'import.sqlite');

    const started = performance.now();
    const first = await runCommand(commandOn(log), ['import', source, '--json', '--by', 'admin-7']);
    console.info(
      `imported ${LINES.toLocaleString('en-US')} lines in ${Math.round(performance.now() - started)} ms`,
    );
    expect(first.code).toBe(1);
    const report = JSON.parse(first.out.join('\n')) as ImportJson;
    expect(report.errors.map(({ line, field, rule }) => ({ line, field, rule }))).toEqual(
      bad.map(({ line, field, rule }) => ({ line, field, rule })),
    );
    expect(report).toMatchObject({
      linesRead: LINES,
      badLines: 20,
      subjectsImported: 9_980,
      alreadyPresent: 0,
    });
    expect(progress.join('')).toMatch(/^import 10,000 subjects \[#+\] {2}100% {2}10,000 subjects/m);

    const events = await registryEvents(log);
    const registered = events.filter((event) => event.type === 'SubjectRegistered');
    expect(registered).toHaveLength(9_980);
    expect(registered[0]?.metadata).toMatchObject({
      recordedBy: { role: 'admin', id: 'admin-7' },
      schemaVersion: 2,
    });
    const streams = new Map<string, RecordedEvent[]>();
    for (const event of events) {
      const stream = streams.get(event.streamId) ?? [];
      stream.push(event);
      streams.set(event.streamId, stream);
    }
    const findings = [...streams].flatMap(([streamId, stream]) => verifyRegistryChain(streamId, stream));
    expect(findings).toEqual([]);
    // No certificate number in any event, stream id or error.
    const written = JSON.stringify(events) + first.out.join('\n');
    expect(written).not.toContain(uscc(0));
    expect(written).not.toContain('not-a-uscc');

    const head = await headPosition(log);
    expect(head).toBe(events.length);
    const again = await runCommand(commandOn(log), ['import', source, '--json']);
    expect(again.code).toBe(1);
    const second = JSON.parse(again.out.join('\n')) as ImportJson;
    expect(second).toMatchObject({
      subjectsImported: 0,
      alreadyPresent: 9_980,
      websitesRecorded: 0,
      eventsAppended: 0,
    });
    expect(second.errors).toEqual(report.errors);
    expect(await headPosition(log)).toBe(head);
  }, 600_000);

  it('imports a CSV file from the configured event log: licence-style and legacy subjects, a bad row named by line and column', async () => {
    const saved = process.env.EVENT_STORE_URL;
    const log = join(dir, 'csv.sqlite');
    process.env.EVENT_STORE_URL = `sqlite:${log}`;
    const source = join(dir, 'subjects.csv');
    const rows = [
      CSV_COLUMNS.join(','),
      csvRow(uscc(1), '粤B2-20090059', 1626, 'big.example.cn'),
      csvRow(uscc(1), '粤B2-20090059', 1627, 'big2.example.cn;www.big2.example.cn'),
      csvRow(uscc(2), '京ICP备05012345号', 1, 'old.example.cn'),
      csvRow(uscc(3), '沪ICP备2020000001号', 1, 'bad example.cn'),
    ];
    writeFileSync(source, `${rows.join('\n')}\n`);
    try {
      const run = await runCommand(registryCommand, ['import', source]);
      expect(run.code).toBe(1);
      expect(run.out).toEqual([
        '4 lines read, 3 subjects',
        'subjects imported: 2, already present: 0, websites recorded: 3',
        'bad lines: 1',
        'line 5: domains: domain_format: each part must be 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen',
      ]);
    } finally {
      if (saved === undefined) delete process.env.EVENT_STORE_URL;
      else process.env.EVENT_STORE_URL = saved;
    }
    const events = await registryEvents(log);
    expect(events.map((event) => event.streamId).filter((id) => id.startsWith('registry-service-'))).toEqual([
      'registry-service-粤B2-20090059-1626',
      'registry-service-粤B2-20090059-1627',
      'registry-service-京ICP备05012345号-1',
    ]);
    // Neither number has a counter: only numbers of the form issued here are claimed in one.
    expect(events.some((event) => event.streamId.startsWith('registry-subjects-'))).toBe(false);
    expect(events.find((event) => event.type === 'ServiceRegistered')?.data).toMatchObject({
      serviceType: 'website',
      source: 'imported',
      identifiers: { domains: ['big.example.cn'] },
      approvedOn: '2021-06-01',
    });
  });

  it('writes nothing on --dry-run, and reports what it would import', async () => {
    const log = join(dir, 'dry.sqlite');
    const source = join(dir, 'dry.jsonl');
    writeFileSync(source, [0, 1, 2].map((index) => JSON.stringify(organisationLine(index))).join('\n'));
    const run = await runCommand(commandOn(log), ['import', source, '--dry-run', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out.join('\n'))).toMatchObject({
      dryRun: true,
      subjectsImported: 3,
      websitesRecorded: 4,
      eventsAppended: 3 + 3 + 4 + 4,
      badLines: 0,
    });
    expect(await registryEvents(log)).toEqual([]);
  });

  it('adds imported websites to a subject issued here, after its numbers, and refuses a number it holds', async () => {
    const log = join(dir, 'issued.sqlite');
    const subjectNumber = '粤ICP备2026000001号';
    await seedIssuedSubject(log, uscc(5), subjectNumber);
    const source = join(dir, 'issued.jsonl');
    const line = {
      ...organisationLine(5),
      subjectNumber,
      websites: [website(subjectNumber, 1, 'a.example.cn')],
    };
    const later = { ...line, websites: [website(subjectNumber, 2, 'b.example.cn')] };
    writeFileSync(source, `${JSON.stringify(line)}\n${JSON.stringify(later)}\n`);
    const run = await runCommand(commandOn(log), ['import', source, '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.out.join('\n'))).toMatchObject({
      subjectsImported: 0,
      alreadyPresent: 1,
      websitesRecorded: 1,
      errors: [{ line: 1, field: 'websites[0].serviceNumber', rule: 'service_number_taken' }],
    });
    const subjectEvents = (await registryEvents(log)).filter((event) =>
      event.streamId.startsWith('registry-subject-'),
    );
    expect(subjectEvents.map((event) => [event.type, (event.data as { number?: string }).number])).toEqual([
      ['SubjectRegistered', undefined],
      ['ServiceNumberAllocated', `${subjectNumber}-1A`],
      ['ExistingServiceRecorded', `${subjectNumber}-2`],
    ]);
  });

  it('exits 2 when the event log fails, saying a re-run completes the import', async () => {
    const source = join(dir, 'one.jsonl');
    writeFileSync(source, JSON.stringify(organisationLine(0)));
    const file = join(dir, 'closed.sqlite');
    const command = createRegistryCommand({
      openEventLog: () => {
        const eventLog = new SqliteEventLog(file);
        void eventLog.close();
        return { eventLog, description: `sqlite:${file}` };
      },
      progress: { write: () => undefined, interactive: false },
    });
    const run = await runCommand(command, ['import', source]);
    expect(run.code).toBe(2);
    expect(run.err).toEqual([
      `icp registry import: the event log sqlite:${file} failed: event log sqlite:${file} is closed; run the import again to complete it`,
    ]);
  });

  it.each([
    [['import', 'missing.jsonl'], 'icp registry import: cannot read missing.jsonl: ENOENT'],
    [
      ['import', 'subjects.xlsx'],
      'icp registry: cannot tell the format of subjects.xlsx: name it .jsonl or .csv',
    ],
    [['import'], 'icp registry: name the file to import'],
    [['export', 'a.csv'], 'icp registry: unknown action export'],
  ])('exits 2 with one readable line for %j', async (args, message) => {
    const run = await runCommand(commandOn(join(dir, 'unused.sqlite')), args);
    expect(run.code).toBe(2);
    expect(run.err).toHaveLength(1);
    expect(run.err[0]).toContain(message);
  });
});

function csvRow(certificate: string, subjectNumber: string, n: number, domains: string): string {
  const cells: Record<(typeof CSV_COLUMNS)[number], string> = {
    certificateType: 'uscc',
    certificateNumber: certificate,
    operatorName: '"大型网络有限公司, 北京"',
    operatorNature: 'enterprise',
    subjectNumber,
    serviceNumber: `${subjectNumber}-${n}`,
    websiteName: `站点 ${n}`,
    domains,
    approvedOn: '2021-06-01',
  };
  return CSV_COLUMNS.map((column) => cells[column]).join(',');
}

/** A subject whose number and first app (`-1A`) were issued here, as the allocator records them. */
async function seedIssuedSubject(file: string, certificate: string, subjectNumber: string): Promise<void> {
  const log = new SqliteEventLog(file);
  const subjectKeyDigest = subjectKeyDigestOf(`uscc:${certificate}`);
  const context = {
    occurredAt: '2026-12-01T00:00:00.000Z',
    recordedBy: { role: 'system', id: 'allocator' },
    causationId: 'filing-1',
  } as const;
  const counter = subjectSequenceStreamId('440000', 2026);
  const claim = sealRegistryEvent(
    counter,
    EMPTY_REGISTRY_STREAM,
    { type: 'SubjectNumberAllocated', data: { subjectKeyDigest, sequence: 1, number: subjectNumber } },
    context,
  );
  const subject = subjectStreamId('440000', subjectKeyDigest);
  const registered = sealRegistryEvent(
    subject,
    EMPTY_REGISTRY_STREAM,
    {
      type: 'SubjectRegistered',
      data: { subjectKeyDigest, provinceCode: '440000', subjectNumber, source: 'allocated' },
    },
    context,
  );
  const app = sealRegistryEvent(
    subject,
    registered.head,
    {
      type: 'ServiceNumberAllocated',
      data: { filingId: 'filing-1', serviceType: 'app', n: 1, number: `${subjectNumber}-1A` },
    },
    context,
  );
  try {
    await log.appendToStream(counter, [claim.envelope], { expectedRevision: 'no_stream' });
    await log.appendToStream(subject, [registered.envelope, app.envelope], { expectedRevision: 'no_stream' });
  } finally {
    await log.close();
  }
}
