import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uuidv5 } from '../../../events/ids';
import { chinaDateOfEpochMs } from '../../../events/working-days/china-time';
import type { AuditReport } from '../../../services/audit/audit-report';
import { editEvent, revisionOf } from '../../../test/support/audit/tamper';
import { runCommand } from '../../../test/cli/run-command';
import {
  appendFilingHistories,
  type GeneratedFiling,
  generateFilingHistories,
} from '../../../test/support/filing-histories';
import { SqliteEventLog } from '../../../infra/event-log/sqlite/sqlite-event-log';
import { auditCommand, createAuditCommand } from './audit.command';

const USAGE =
  'icp audit replay <filingId> | replay --subject N [--province P] | replay --service N | replay --stream ID | verify --all|--province P|--since YYYY-MM-DD [--json]';
/** What verify --all says of the registry when the log holds no registry stream. */
const NO_REGISTRY =
  'verified 0 of 0 registry streams (subject counters 0, subjects 0, services 0, identifier claims 0); 0 with findings';
const NO_COMPLIANCE =
  'verified 0 of 0 compliance streams (inventories 0, sweeps 0, inspections 0, campaigns 0, campaign checks 0); 0 with findings';
// Temporal is not asked here (one test below asks the configured one, which is down).
const run = (args: readonly string[]) =>
  runCommand(createAuditCommand({ crossCheckTemporal: undefined }), args);

const chinaDate = (instant: string): string => chinaDateOfEpochMs(Date.parse(instant));

interface VerifyJson {
  filings: number;
  verified: number;
  withFindings: number;
  findings: Array<{ filingId: string; seq: number; rule: string; message: string }>;
}

/** Every string in a form long enough to be personal data (ID and phone numbers, e-mail, names, addresses). */
function formTexts(value: unknown): string[] {
  if (typeof value === 'string') return value.length >= 8 ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(formTexts);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(formTexts);
  return [];
}

describe('icp audit', () => {
  const saved = { dataDir: process.env.ICP_DATA_DIR, url: process.env.EVENT_STORE_URL };
  let dataDir: string;
  let file: string;
  let filings: GeneratedFiling[];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'icp-audit-cli-'));
    file = join(dataDir, 'events.sqlite');
    process.env.ICP_DATA_DIR = dataDir;
    delete process.env.EVENT_STORE_URL;
    filings = generateFilingHistories({ count: 1_000, seed: 21 });
    const log = new SqliteEventLog(file);
    const started = performance.now();
    // A few transitions per append: still interleaved across 100 filings in flight, far fewer commits.
    await appendFilingHistories(log, filings, { transitionsPerAppend: 4 });
    console.info(`appended 1,000 filings in ${Math.round(performance.now() - started)} ms`);
    await log.close();
  });

  afterEach(() => {
    delete process.env.EVENT_STORE_URL;
  });

  afterAll(() => {
    if (saved.dataDir === undefined) delete process.env.ICP_DATA_DIR;
    else process.env.ICP_DATA_DIR = saved.dataDir;
    if (saved.url !== undefined) process.env.EVENT_STORE_URL = saved.url;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const completed = (): GeneratedFiling =>
    filings.find((filing) => filing.path === 'completed') as GeneratedFiling;

  it.each([
    [[], 'name an action: replay or verify'],
    [['check'], 'unknown action check'],
    [['replay'], 'name the filing (or --subject, --service, --stream) to replay'],
    [
      ['replay', '--subject', '粤ICP备2026000001号-1A'],
      '--subject needs a subject number such as 粤ICP备2026000001号',
    ],
    [
      ['replay', '--service', '粤ICP备2026000001号'],
      '--service needs a service number such as 粤ICP备2026000001号-2A',
    ],
    [['replay', '--stream', 'filing-a'], 'filing-a is not a registry or compliance stream id'],
    [
      ['replay', '--service=粤ICP备2026000001号-1A', '--province', '440000'],
      '--province goes with --subject',
    ],
    [
      ['replay', 'a', '--stream', 'registry-service-x'],
      'name one of a filing, --subject, --service or --stream',
    ],
    [['replay', 'a', 'b'], 'unexpected argument b'],
    [['replay', 'a', '--all'], 'unknown option --all'],
    [['verify'], 'choose exactly one of --all, --province P, --since YYYY-MM-DD'],
    [
      ['verify', '--all', '--province', '440000'],
      'choose exactly one of --all, --province P, --since YYYY-MM-DD',
    ],
    [
      ['verify', '--since', '2026-09-01', '--since=2026-09-02'],
      'choose exactly one of --all, --province P, --since YYYY-MM-DD',
    ],
    [['verify', '--province'], '--province needs a value'],
    [
      ['verify', '--province', '999999'],
      '--province needs a province code (GB/T 2260, e.g. 440000), got 999999',
    ],
    [['verify', '--province=粤'], '--province needs a province code (GB/T 2260, e.g. 440000), got 粤'],
    [['verify', '--since', '2026-02-30'], '--since needs a real date written YYYY-MM-DD'],
    [['verify', '--since=yesterday'], '--since needs a real date written YYYY-MM-DD'],
    [['verify', '--all', 'everything'], 'unexpected argument everything'],
  ])('refuses %j with one line and exit 2', async (args, message) => {
    expect(await run(args)).toEqual({ code: 2, out: [], err: [`icp audit: ${message} (usage: ${USAGE})`] });
  });

  it('replays a clean filing: heading, timeline table, verdict line, exit 0, no personal data', async () => {
    const filing = completed();
    const result = await run(['replay', filing.filingId]);
    expect(result.code).toBe(0);
    expect(result.err).toEqual([]);
    expect(result.out[0]).toBe(
      `filing ${filing.filingId}: ${filing.envelopes.length} events, platform ${filing.platformId}, province ${filing.province}; times in China Standard Time (UTC+08:00)`,
    );
    expect(result.out[1]).toMatch(/^seq +time \(\+08:00\) +stage +event +actor +wd +chain$/);
    const rows = result.out.slice(2, -1);
    expect(rows).toHaveLength(filing.envelopes.length);
    rows.forEach((row, seq) => {
      const envelope = filing.envelopes[seq];
      expect(row).toMatch(
        new RegExp(
          `^ *${seq}  \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}  [a-z_]+ +${envelope?.type} +\\S.* +\\d+  ok$`,
        ),
      );
    });
    // The submission: the platform's operator with its scope, at the China time it happened.
    expect(rows[0]).toContain(`platform:${filing.platformId}-ops [${filing.platformId}]`);
    expect(rows[0]).toContain(
      new Date(Date.parse(filing.submittedAt) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' '),
    );
    expect(rows.find((row) => row.includes('BureauReviewApproved'))).toMatch(
      new RegExp(`bureau:officer-${filing.province}-\\d \\[${filing.province}\\]`),
    );
    expect(result.out[result.out.length - 1]).toBe(
      `verified: ${filing.envelopes.length} events, status completed`,
    );

    const submitted = filing.envelopes[0]?.data as { form: unknown };
    const personal = formTexts(submitted.form);
    expect(personal.length).toBeGreaterThan(5);
    const printed = result.out.join('\n') + (await run(['replay', filing.filingId, '--json'])).out.join('\n');
    expect(personal.filter((text) => printed.includes(text))).toEqual([]);
  });

  it('replay --json prints the AuditReport, saying why Temporal was not cross-checked', async () => {
    const filing = filings.find(
      (candidate) => candidate.path === 'every_detour_then_completed',
    ) as GeneratedFiling;
    const saved = { address: process.env.TEMPORAL_ADDRESS, keys: process.env.TEMPORAL_PAYLOAD_KEYS };
    process.env.TEMPORAL_ADDRESS = '127.0.0.1:1';
    process.env.TEMPORAL_PAYLOAD_KEYS ??= `test=${'ab'.repeat(32)}`;
    const result = await runCommand(auditCommand, ['replay', '--json', filing.filingId]).finally(() => {
      if (saved.address === undefined) delete process.env.TEMPORAL_ADDRESS;
      else process.env.TEMPORAL_ADDRESS = saved.address;
      if (saved.keys === undefined) delete process.env.TEMPORAL_PAYLOAD_KEYS;
      else process.env.TEMPORAL_PAYLOAD_KEYS = saved.keys;
    });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out.join('\n')) as AuditReport;
    expect(report).toMatchObject({
      filingId: filing.filingId,
      verdict: 'verified',
      events: filing.envelopes.length,
      status: 'completed',
      platformId: filing.platformId,
      province: filing.province,
      findings: [],
      temporal: {
        checked: false,
        reason: expect.stringMatching(/^Temporal at 127\.0\.0\.1:1 is not reachable/),
      },
    });
    expect(report.timeline.map((entry) => entry.type)).toEqual(
      filing.envelopes.map((envelope) => envelope.type),
    );
    expect(report.stages.length).toBeGreaterThan(0);
  });

  it('folds in what a Temporal cross-check plugged into replay finds', async () => {
    const filing = completed();
    const command = createAuditCommand({
      crossCheckTemporal: async (filingId, _recorded, report) => ({
        check: { checked: true, workflowExecution: 'COMPLETED', workflowStatus: 'bureau_review' },
        findings: [
          {
            seq: report.events - 1,
            rule: 'temporal_status_mismatch',
            message: `workflow filing-${filingId} reports bureau_review`,
          },
        ],
      }),
    });
    const result = await runCommand(command, ['replay', filing.filingId]);
    expect(result.code).toBe(1);
    expect(result.out.slice(-2)).toEqual([
      `seq ${filing.envelopes.length - 1}  temporal_status_mismatch  workflow filing-${filing.filingId} reports bureau_review`,
      'findings: 1 (temporal_status_mismatch)',
    ]);
  });

  it('refuses a filing the log does not hold with one line and exit 2', async () => {
    const unknown = uuidv5('no-such-filing');
    expect(await run(['replay', unknown])).toEqual({
      code: 2,
      out: [],
      err: [`icp audit: no filing ${unknown} in the event log sqlite:${file}`],
    });
  });

  it('exits 2 with one line when the event log cannot be read', async () => {
    const junk = join(dataDir, 'not-a-log.sqlite');
    writeFileSync(
      junk,
      'this is not a SQLite database, just text long enough to fill a header page.\n'.repeat(80),
    );
    process.env.EVENT_STORE_URL = `sqlite:${junk}`;
    for (const args of [
      ['replay', completed().filingId],
      ['verify', '--all'],
    ]) {
      const result = await run(args);
      expect(result).toMatchObject({ code: 2, out: [] });
      expect(result.err).toEqual([
        expect.stringMatching(/^icp audit: cannot (open|read) the event log.*not a database/),
      ]);
    }
  });

  it('verify --all audits 1,000 filings with a progress bar: summary and exit 0', async () => {
    const started = performance.now();
    const result = await run(['verify', '--all']);
    const elapsedMs = performance.now() - started;
    console.info(`verify --all over 1,000 filings: ${Math.round(elapsedMs)} ms`);
    expect(result.out).toEqual(['verified 1,000 of 1,000 filings; 0 with findings', NO_REGISTRY, NO_COMPLIANCE]);
    expect(result.code).toBe(0);
    // Not a terminal: the bar prints its final line (and one every 2 s before it) on stderr.
    expect(result.err[result.err.length - 1]).toMatch(
      /^audit 1,000 filings \[#{24}\] +100% +[\d,]+ events +[\d,]+ events\/s +ETA 0:00$/,
    );
    expect(elapsedMs).toBeLessThan(30_000);
  });

  it('--province selects the filings submitted to that province', async () => {
    const province = '330000';
    const expected = filings.filter((filing) => filing.province === province);
    expect(expected.length).toBeGreaterThan(10);
    const result = await run(['verify', '--province', province, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out.join('\n'))).toEqual({
      filings: expected.length,
      verified: expected.length,
      withFindings: 0,
      findings: [],
    });
    expect((await run(['verify', `--province=${province}`])).out).toEqual([
      `verified ${expected.length} of ${expected.length} filings; 0 with findings`,
    ]);
  });

  it('--since selects the filings submitted on or after that China date', async () => {
    const since = chinaDate((filings[500] as GeneratedFiling).submittedAt);
    const expected = filings.filter((filing) => chinaDate(filing.submittedAt) >= since);
    expect(expected.length).toBeGreaterThan(100);
    expect(expected.length).toBeLessThan(900);
    const result = await run(['verify', '--since', since, '--json']);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.out.join('\n')) as VerifyJson).filings).toBe(expected.length);
  });

  it('after one filing is tampered with, verify exits 1 and names it', async () => {
    const victim = filings[777] as GeneratedFiling;
    const seq = revisionOf(file, victim.streamId, 'FilingSubmitted');
    editEvent(file, victim.streamId, seq, (row) => ({
      ...row,
      data: { ...row.data, appName: '改过的名字' },
    }));

    const text = await run(['verify', '--all']);
    expect(text.code).toBe(1);
    expect(text.out).toEqual([
      'verified 999 of 1,000 filings; 1 with findings',
      NO_REGISTRY,
      NO_COMPLIANCE,
      `${victim.filingId}  seq 0  hash_mismatch  hash does not match the event’s content`,
    ]);

    const json = await run(['verify', '--all', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out.join('\n'))).toEqual({
      filings: 1_000,
      verified: 999,
      withFindings: 1,
      findings: [
        {
          filingId: victim.filingId,
          seq: 0,
          rule: 'hash_mismatch',
          message: 'hash does not match the event’s content',
        },
      ],
      registry: {
        streams: 0,
        verified: 0,
        withFindings: 0,
        byKind: { subject_sequence: 0, subject: 0, service: 0, identifier_claim: 0 },
        findings: [],
      },
      compliance: {
        streams: 0,
        verified: 0,
        withFindings: 0,
        byKind: { inventory: 0, sweep: 0, inspection: 0, campaign: 0, campaign_item: 0 },
        findings: [],
      },
    });

    // Selections that leave it out still verify.
    const other = filings.find((filing) => filing.province !== victim.province) as GeneratedFiling;
    expect((await run(['verify', '--province', other.province])).code).toBe(0);

    const replayed = await run(['replay', victim.filingId]);
    expect(replayed.code).toBe(1);
    expect(replayed.out[2]).toMatch(/ BROKEN$/);
    expect(replayed.out.slice(-2)).toEqual([
      'seq 0  hash_mismatch  hash does not match the event’s content',
      'findings: 1 (hash_mismatch)',
    ]);
  });
});
