import { loadChineseCalendar } from '../../infra/calendar/chinese-holidays';
import type { Json, RecordedEvent } from '../../events/ports/event-log.port';
import { sealFilingEvents, EMPTY_STREAM } from '../../events/filing/envelope';
import type { FilingEnvelope, FilingEvent } from '../../events/filing/filing-events';
import {
  FILING_PATHS,
  generateFilingHistories,
  type GeneratedFiling,
} from '../../test/support/filing-histories';
import { auditFilingHistory, withTemporalCrossCheck } from './filing-audit';

const calendar = loadChineseCalendar();

function recorded(
  filing: GeneratedFiling,
  envelopes: readonly FilingEnvelope[] = filing.envelopes,
): RecordedEvent[] {
  return envelopes.map((envelope, revision) => ({
    id: envelope.id,
    type: envelope.type,
    data: envelope.data as unknown as Json,
    metadata: envelope.metadata as unknown as Json,
    streamId: filing.streamId,
    revision,
    position: revision + 1,
    recordedAt: envelope.metadata.occurredAt,
  }));
}

/** The filing's history rewritten from `from` on by `change`, then sealed again so the chain holds. */
function resealed(
  filing: GeneratedFiling,
  change: (envelope: FilingEnvelope) => FilingEnvelope,
  from: number,
): FilingEnvelope[] {
  const kept = filing.envelopes.slice(0, from);
  let head = from === 0 ? EMPTY_STREAM : { revision: from - 1, lastHash: kept[from - 1]!.metadata.hash };
  const rest = filing.envelopes.slice(from).map((original) => {
    const envelope = change(original);
    const { metadata } = envelope;
    const sealed = sealFilingEvents(head, [{ type: envelope.type, data: envelope.data } as FilingEvent], {
      filingId: metadata.filingId,
      occurredAt: metadata.occurredAt,
      actor: metadata.actor,
      correlationId: metadata.correlationId,
      causationId: metadata.causationId,
    });
    head = sealed.head;
    return sealed.envelopes[0]!;
  });
  return [...kept, ...rest];
}

const filings = generateFilingHistories({ count: 160, seed: 21 });
const byPath = (path: GeneratedFiling['path']) => filings.find((filing) => filing.path === path)!;

describe('auditing a filing’s history', () => {
  it('verifies every generated filing, on every path, without a single finding', () => {
    const reports = filings.map((filing) =>
      auditFilingHistory(filing.filingId, recorded(filing), { calendar }),
    );
    const withFindings = reports.filter((report) => report.verdict !== 'verified');
    expect(withFindings.map((report) => ({ id: report.filingId, findings: report.findings }))).toEqual([]);
    expect(new Set(filings.map((filing) => filing.path))).toEqual(new Set(FILING_PATHS));
    reports.forEach((report, index) => expect(report.status).toBe(filings[index]!.finalStatus));
  });

  it('draws a timeline with stage, actor and working days in stage, and the stage spans', () => {
    const filing = byPath('completed');
    const report = auditFilingHistory(filing.filingId, recorded(filing), { calendar });
    expect(report.timeline).toHaveLength(filing.envelopes.length);
    expect(report.timeline[0]).toMatchObject({
      seq: 0,
      type: 'FilingSubmitted',
      stage: 'platform_review',
      workingDaysInStage: 0,
      chainIntact: true,
      actor: { role: 'platform', platformId: filing.platformId },
    });
    expect(report.stages.map((span) => span.stage)).toEqual([
      'platform_review',
      'sms_verification',
      'bureau_review',
      'issuance',
      'closed',
    ]);
    const bureau = report.stages.find((span) => span.stage === 'bureau_review')!;
    expect(bureau).toMatchObject({ dueAt: expect.any(String), leftAt: expect.any(String) });
    expect(bureau.workingDays).toBeLessThanOrEqual(20);
    expect(JSON.stringify(report)).not.toMatch(/idNumber|mobile|email/);
  });

  it('flags an SMS verified more than 24 hours after it was sent, even with the chain re-sealed', () => {
    const filing = byPath('completed');
    const verified = filing.envelopes.findIndex((envelope) => envelope.type === 'SmsVerified');
    const sent = filing.envelopes.find((envelope) => envelope.type === 'SmsVerificationSent')!;
    const late = new Date(Date.parse(sent.metadata.occurredAt) + 25 * 3_600_000).toISOString();
    const forged = resealed(
      filing,
      (envelope) =>
        envelope.metadata.seq === verified
          ? { ...envelope, metadata: { ...envelope.metadata, occurredAt: late } }
          : envelope,
      verified,
    );
    const report = auditFilingHistory(filing.filingId, recorded(filing, forged), { calendar });
    expect(report.verdict).toBe('findings');
    expect(report.findings).toContainEqual(expect.objectContaining({ seq: verified, rule: 'sms_window' }));
    expect(report.findings.map((finding) => finding.rule)).not.toContain('hash_mismatch');
  });

  it('checks a resent SMS code: its round’s window, and the role its trigger names', () => {
    const filing = byPath('completed');
    const sentAt = filing.envelopes.findIndex((envelope) => envelope.type === 'SmsVerificationSent');
    const sent = filing.envelopes[sentAt]!;
    const sentData = sent.data as { challengeId: string; expiresAt: string };
    /** The history with a resend recorded 2 hours after the code was sent, sealed again from there. */
    const withResend = (
      trigger: 'requested' | 'scheduled',
      role: 'platform' | 'system',
      expiresAt = sentData.expiresAt,
    ): FilingEnvelope[] => {
      const at = new Date(Date.parse(sent.metadata.occurredAt) + 2 * 3_600_000).toISOString();
      const actor =
        role === 'platform'
          ? { role, id: 'p-1', platformId: filing.platformId }
          : { role, id: 'filing-workflow' };
      const events = filing.envelopes.map((envelope) => ({ envelope, event: envelope as FilingEvent }));
      const resend: FilingEvent = {
        type: 'SmsVerificationResent',
        data: {
          challengeId: `${sentData.challengeId}:1`,
          previousChallengeId: sentData.challengeId,
          trigger,
          expiresAt,
        },
      };
      let head = EMPTY_STREAM as { revision: number; lastHash: string };
      const out: FilingEnvelope[] = [];
      const seal = (event: FilingEvent, metadata: FilingEnvelope['metadata']) => {
        const sealed = sealFilingEvents(
          head,
          [{ type: event.type, data: event.data } as FilingEvent],
          metadata,
        );
        head = sealed.head;
        out.push(sealed.envelopes[0]!);
      };
      events.forEach(({ envelope, event }, index) => {
        seal(event, envelope.metadata);
        if (index === sentAt) seal(resend, { ...envelope.metadata, occurredAt: at, actor });
      });
      return out;
    };
    const audit = (envelopes: FilingEnvelope[]) =>
      auditFilingHistory(filing.filingId, recorded(filing, envelopes), { calendar }).findings;

    expect(audit(withResend('scheduled', 'system'))).toEqual([]);
    expect(audit(withResend('requested', 'platform'))).toEqual([]);
    expect(audit(withResend('requested', 'system'))).toEqual([
      expect.objectContaining({ seq: sentAt + 1, rule: 'actor_role' }),
    ]);
    const later = new Date(Date.parse(sentData.expiresAt) + 3_600_000).toISOString();
    expect(audit(withResend('scheduled', 'system', later))).toContainEqual(
      expect.objectContaining({ seq: sentAt + 1, rule: 'sms_window' }),
    );
  });

  it('flags a bureau decision recorded by another province’s bureau, and by a platform', () => {
    const filing = byPath('completed');
    const decision = filing.envelopes.findIndex((envelope) => envelope.type === 'BureauReviewApproved');
    const asActor = (actor: FilingEnvelope['metadata']['actor']) =>
      resealed(
        filing,
        (envelope) =>
          envelope.metadata.seq === decision
            ? { ...envelope, metadata: { ...envelope.metadata, actor } }
            : envelope,
        decision,
      );
    const otherProvince = filing.province === '110000' ? '440000' : '110000';
    const elsewhere = auditFilingHistory(
      filing.filingId,
      recorded(filing, asActor({ role: 'bureau', id: 'officer-x', province: otherProvince })),
      { calendar },
    );
    expect(elsewhere.findings).toEqual([expect.objectContaining({ seq: decision, rule: 'actor_scope' })]);
    const platform = auditFilingHistory(
      filing.filingId,
      recorded(filing, asActor({ role: 'platform', id: 'p', platformId: filing.platformId })),
      { calendar },
    );
    expect(platform.findings).toEqual([expect.objectContaining({ seq: decision, rule: 'actor_role' })]);
  });

  it('flags a shortened bureau review deadline and an overdue flag raised early', () => {
    const filing = byPath('bureau_overdue_waiting');
    const started = filing.envelopes.findIndex((envelope) => envelope.type === 'BureauReviewStarted');
    const overdue = filing.envelopes.findIndex((envelope) => envelope.type === 'BureauReviewOverdue');
    const original = filing.envelopes[started]!.data as { dueAt: string };
    const earlier = new Date(Date.parse(original.dueAt) - 5 * 86_400_000).toISOString();
    const forged = resealed(
      filing,
      (envelope) => {
        if (envelope.metadata.seq === started)
          return { ...envelope, data: { ...envelope.data, dueAt: earlier } } as FilingEnvelope;
        if (envelope.metadata.seq === overdue) {
          return {
            ...envelope,
            data: { dueAt: earlier },
            metadata: {
              ...envelope.metadata,
              occurredAt: new Date(Date.parse(earlier) + 60_000).toISOString(),
            },
          } as FilingEnvelope;
        }
        return envelope;
      },
      started,
    );
    const report = auditFilingHistory(filing.filingId, recorded(filing, forged), { calendar });
    expect(report.findings).toContainEqual(
      expect.objectContaining({ seq: started, rule: 'deadline_mismatch' }),
    );
    const honestOverdue = auditFilingHistory(filing.filingId, recorded(filing), { calendar });
    expect(honestOverdue.verdict).toBe('verified');
  });

  it('flags a decision recorded after the review was due without an overdue flag', () => {
    const filing = byPath('completed');
    const started = filing.envelopes.find((envelope) => envelope.type === 'BureauReviewStarted')!;
    const decision = filing.envelopes.findIndex((envelope) => envelope.type === 'BureauReviewApproved');
    const after = new Date(Date.parse((started.data as { dueAt: string }).dueAt) + 3_600_000).toISOString();
    const forged = resealed(
      filing,
      (envelope) =>
        envelope.metadata.seq >= decision
          ? { ...envelope, metadata: { ...envelope.metadata, occurredAt: after } }
          : envelope,
      decision,
    );
    const report = auditFilingHistory(filing.filingId, recorded(filing, forged), { calendar });
    expect(report.findings).toEqual([expect.objectContaining({ seq: decision, rule: 'overdue_missing' })]);
  });

  it('flags events after the filing closed and a sixth failed SMS attempt', () => {
    const rejected = byPath('platform_rejected');
    const last = rejected.envelopes[rejected.envelopes.length - 1]!;
    const extra = resealed(
      { ...rejected, envelopes: [...rejected.envelopes, { ...last }] },
      (envelope) => envelope,
      rejected.envelopes.length,
    );
    const closed = auditFilingHistory(rejected.filingId, recorded(rejected, extra), { calendar });
    expect(closed.findings).toEqual([
      expect.objectContaining({ seq: rejected.envelopes.length, rule: 'after_terminal' }),
    ]);

    const exhausted = byPath('sms_attempts_exhausted');
    const failures = exhausted.envelopes.filter((envelope) => envelope.type === 'SmsVerificationFailed');
    const fifth = exhausted.envelopes.indexOf(failures[failures.length - 1]!);
    const forged = resealed(
      exhausted,
      (envelope) =>
        envelope.metadata.seq === fifth
          ? ({
              ...envelope,
              data: { ...(envelope.data as object), failedAttempts: 6, attemptsLeft: 0 },
            } as FilingEnvelope)
          : envelope,
      fifth,
    );
    const report = auditFilingHistory(exhausted.filingId, recorded(exhausted, forged), { calendar });
    expect(report.findings).toContainEqual(expect.objectContaining({ seq: fifth, rule: 'sms_attempts' }));
  });

  it('merges the Temporal cross-check into the verdict', () => {
    const filing = byPath('completed');
    const report = auditFilingHistory(filing.filingId, recorded(filing), { calendar });
    expect(report.temporal).toEqual({ checked: false, reason: 'not asked' });
    const crossChecked = withTemporalCrossCheck(report, { checked: true, appendsCompared: 10 }, [
      { seq: 3, rule: 'temporal_unrecorded_append', message: 'no append activity recorded it' },
    ]);
    expect(crossChecked).toMatchObject({ verdict: 'findings', temporal: { checked: true } });
  });
});
