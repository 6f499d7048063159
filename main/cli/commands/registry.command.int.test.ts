import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedEvent } from '../../../events/ports/event-log.port';
import { verifyRegistryChain } from '../../../events/registry/registry-envelope';
import { SqliteEventLog } from '../../../infra/event-log/sqlite/sqlite-event-log';
import { runCommand } from '../../../test/cli/run-command';
import {
  type ImportSubjectLine,
  organisationLine,
  residentId,
  uscc,
  website,
} from '../../../test/support/registry-import-lines';
import { createRegistryCommand } from './registry.command';

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
    expect(progress.join('')).toMatch(/import 10,000 subjects .* 100% .*9,9\d\d subjects/);

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
    expect((await registryEvents(log)).length).toBe(events.length);
  }, 600_000);
});
