import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedActorScope } from '../../events/filing/filing-events';
import type { ProvinceCode } from '../../events/provinces';
import { addWorkingDays } from '../../events/working-days/add-working-days';
import { formatEpochMsUtc } from '../../events/working-days/china-time';
import { BUREAU_REVIEW_WORKING_DAYS, SMS_VERIFICATION_WINDOW_MS } from '../../events/working-days/sla';
import { loadChineseCalendar } from '../../infra/calendar/chinese-holidays';
import { createAuditCommand } from '../../main/cli/commands/audit.command';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import { runCommand } from '../../test/cli/run-command';
import {
  appendFilingHistories,
  type FilingPath,
  type GeneratedFiling,
  generateFilingHistories,
} from '../../test/support/filing-histories';
import type { AuditReport } from './audit-report';
import { readFilingHistory } from './audit-loader';
import { auditFilingHistory } from './filing-audit';
import {
  deleteEvent,
  editEvent,
  readRows,
  resealFrom,
  revisionOf,
  swapEvents,
} from '../../test/support/audit/tamper';

// The log alone: Temporal has no history of these generated filings.
const auditCommand = createAuditCommand({ crossCheckTemporal: undefined });

const calendar = loadChineseCalendar();

/** Four in five complete; every fifth waits in bureau review (its SmsVerified is followed by one event). */
const PATHS: readonly FilingPath[] = [
  'completed',
  'completed',
  'completed',
  'completed',
  'waiting_in_bureau_review',
];

/** Who a forger claims recorded the bureau's approval, the rule that catches it, and the forged actor. */
const FORGERIES: Array<[string, string, (province: ProvinceCode) => RecordedActorScope]> = [
  [
    "another province's bureau",
    'actor_scope',
    (province) => ({ role: 'bureau', id: 'officer-elsewhere-1', province: otherProvince(province) }),
  ],
  ['a platform', 'actor_role', () => ({ role: 'platform', id: 'intruder-ops', platformId: 'intruder' })],
];

describe('auditing histories tampered with in the SQLite file', () => {
  const saved = { dataDir: process.env.ICP_DATA_DIR, url: process.env.EVENT_STORE_URL };
  let dir: string;
  let file: string;
  let filings: GeneratedFiling[];
  const tampered = new Set<string>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'icp-audit-tamper-'));
    file = join(dir, 'events.sqlite');
    process.env.ICP_DATA_DIR = dir;
    delete process.env.EVENT_STORE_URL;
    filings = generateFilingHistories({ count: 20, seed: 5, paths: PATHS });
    const log = new SqliteEventLog(file);
    await appendFilingHistories(log, filings);
    await log.close();
  });

  afterAll(() => {
    if (saved.dataDir === undefined) delete process.env.ICP_DATA_DIR;
    else process.env.ICP_DATA_DIR = saved.dataDir;
    if (saved.url !== undefined) process.env.EVENT_STORE_URL = saved.url;
    rmSync(dir, { recursive: true, force: true });
  });

  /** The next untouched filing on `path`, marked as tampered from now on. */
  function victim(path: FilingPath): GeneratedFiling {
    const filing = filings.find((candidate) => candidate.path === path && !tampered.has(candidate.filingId));
    if (!filing) throw new Error(`no untouched ${path} filing left`);
    tampered.add(filing.filingId);
    return filing;
  }

  async function audit(filing: GeneratedFiling): Promise<AuditReport> {
    const log = new SqliteEventLog(file);
    try {
      return auditFilingHistory(filing.filingId, await readFilingHistory(log, filing.filingId), { calendar });
    } finally {
      await log.close();
    }
  }

  const found = (report: AuditReport) => report.findings.map(({ seq, rule }) => ({ seq, rule }));

  /** The same tampering seen through `icp audit replay`: exit 1, the finding line and the verdict. */
  async function expectReplayFinds(filing: GeneratedFiling, seq: number, rule: string): Promise<void> {
    const result = await runCommand(auditCommand, ['replay', filing.filingId]);
    expect(result.code).toBe(1);
    expect(result.err).toEqual([]);
    expect(result.out).toContainEqual(expect.stringMatching(new RegExp(`^seq ${seq}  ${rule}  \\S`)));
    expect(result.out[result.out.length - 1]).toMatch(new RegExp(`^findings: \\d+ \\(.*\\b${rule}\\b.*\\)$`));
  }

  it('verifies every filing before anything is touched', async () => {
    for (const filing of filings) {
      const report = await audit(filing);
      expect({ filingId: filing.filingId, findings: report.findings }).toEqual({
        filingId: filing.filingId,
        findings: [],
      });
      expect(report).toMatchObject({ verdict: 'verified', status: filing.finalStatus });
    }
  });

  it('(a) an event whose data was changed: hash_mismatch at exactly that seq', async () => {
    const filing = victim('completed');
    const seq = revisionOf(file, filing.streamId, 'PlatformReviewApproved');
    editEvent(file, filing.streamId, seq, (row) => ({ ...row, data: { ...row.data, reasons: '材料齐全' } }));

    expect(found(await audit(filing))).toEqual([{ seq, rule: 'hash_mismatch' }]);
    await expectReplayFinds(filing, seq, 'hash_mismatch');
  });

  it('(b) a deleted event: seq_gap at the seq after the missing one, nothing before it', async () => {
    const filing = victim('completed');
    const missing = revisionOf(file, filing.streamId, 'RegistrationPublished');
    deleteEvent(file, filing.streamId, missing);

    const report = await audit(filing);
    const findings = found(report);
    expect(findings).toContainEqual({ seq: missing + 1, rule: 'seq_gap' });
    expect(findings).toContainEqual({ seq: missing + 1, rule: 'prev_hash_mismatch' });
    expect(findings.filter((finding) => finding.rule === 'seq_gap')).toHaveLength(1);
    expect(Math.min(...findings.map((finding) => finding.seq))).toBe(missing + 1);
    expect(report.timeline.map((entry) => entry.seq)).not.toContain(missing);
    await expectReplayFinds(filing, missing + 1, 'seq_gap');
  });

  it('(c) two events that traded places: seq_order/seq_gap and prev_hash_mismatch at those seqs', async () => {
    const filing = victim('completed');
    const first = revisionOf(file, filing.streamId, 'SmsVerificationSent');
    const second = first + 1;
    swapEvents(file, filing.streamId, first, second);

    const findings = found(await audit(filing));
    // The log reads seq `second` where `first` belongs (a gap), then `first` again (out of order).
    expect(findings).toEqual(
      expect.arrayContaining([
        { seq: second, rule: 'seq_gap' },
        { seq: second, rule: 'prev_hash_mismatch' },
        { seq: first, rule: 'seq_order' },
        { seq: first, rule: 'prev_hash_mismatch' },
      ]),
    );
    expect(Math.min(...findings.map((finding) => finding.seq))).toBe(first);
    await expectReplayFinds(filing, first, 'seq_order');
    await expectReplayFinds(filing, second, 'seq_gap');
  });

  it.each(FORGERIES)(
    '(d) a BureauReviewApproved forged naively as recorded by %s: hash_mismatch at that seq',
    async (_who, rule, forged) => {
      const filing = victim('completed');
      const seq = revisionOf(file, filing.streamId, 'BureauReviewApproved');
      editEvent(file, filing.streamId, seq, (row) => ({
        ...row,
        metadata: { ...row.metadata, actor: forged(filing.province) },
      }));

      const findings = found(await audit(filing));
      // The hash gives the forgery away; the forged actor breaks its rule at the same seq.
      expect(findings).toEqual(
        expect.arrayContaining([
          { seq, rule: 'hash_mismatch' },
          { seq, rule },
        ]),
      );
      expect(findings.every((finding) => finding.seq === seq)).toBe(true);
      await expectReplayFinds(filing, seq, 'hash_mismatch');
    },
  );

  it.each(FORGERIES)(
    '(e) a BureauReviewApproved forged as recorded by %s and the chain re-sealed: %s at exactly that seq',
    async (_who, rule, forged) => {
      const filing = victim('completed');
      const seq = revisionOf(file, filing.streamId, 'BureauReviewApproved');
      editEvent(file, filing.streamId, seq, (row) => ({
        ...row,
        metadata: { ...row.metadata, actor: forged(filing.province) },
      }));
      resealFrom(file, filing.streamId, seq);

      expect(found(await audit(filing))).toEqual([{ seq, rule }]);
      await expectReplayFinds(filing, seq, rule);
    },
  );

  it('(f) an SMS verified 25 h after it was sent, re-sealed: sms_window at exactly that seq', async () => {
    const filing = victim('waiting_in_bureau_review');
    const rows = readRows(file, filing.streamId);
    const sent = rows.find((row) => row.type === 'SmsVerificationSent');
    const seq = revisionOf(file, filing.streamId, 'SmsVerified');
    const late = Date.parse(sent?.metadata.occurredAt ?? '') + SMS_VERIFICATION_WINDOW_MS + 3_600_000;
    editEvent(file, filing.streamId, seq, (row) => ({
      ...row,
      metadata: { ...row.metadata, occurredAt: formatEpochMsUtc(late) },
    }));
    // The bureau review the workflow starts right after, with the deadline it would then have counted.
    const startedAt = formatEpochMsUtc(late + 1_000);
    editEvent(file, filing.streamId, seq + 1, (row) => ({
      ...row,
      data: { ...row.data, ...addWorkingDays(startedAt, BUREAU_REVIEW_WORKING_DAYS, calendar) },
      metadata: { ...row.metadata, occurredAt: startedAt },
    }));
    expect(rows.map((row) => row.type).slice(seq)).toEqual(['SmsVerified', 'BureauReviewStarted']);
    resealFrom(file, filing.streamId, seq);

    expect(found(await audit(filing))).toEqual([{ seq, rule: 'sms_window' }]);
    await expectReplayFinds(filing, seq, 'sms_window');
  });

  it('leaves every untouched filing in the same log verified, and verify --all names the tampered ones', async () => {
    expect(tampered.size).toBe(8);
    for (const filing of filings.filter((candidate) => !tampered.has(candidate.filingId))) {
      expect(found(await audit(filing))).toEqual([]);
      const replayed = await runCommand(auditCommand, ['replay', filing.filingId]);
      expect(replayed.code).toBe(0);
      expect(replayed.out[replayed.out.length - 1]).toBe(
        `verified: ${filing.envelopes.length} events, status ${filing.finalStatus}`,
      );
    }

    const verified = await runCommand(auditCommand, ['verify', '--all', '--json']);
    expect(verified.code).toBe(1);
    const summary = JSON.parse(verified.out.join('\n')) as {
      filings: number;
      verified: number;
      withFindings: number;
      findings: Array<{ filingId: string }>;
    };
    expect(summary).toMatchObject({ filings: 20, verified: 12, withFindings: 8 });
    expect(new Set(summary.findings.map((finding) => finding.filingId))).toEqual(tampered);
  });
});

function otherProvince(province: ProvinceCode): ProvinceCode {
  return province === '110000' ? '310000' : '110000';
}
