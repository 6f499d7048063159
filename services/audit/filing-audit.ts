import type { RecordedEvent } from '../../events/ports/event-log.port';
import { verifyFilingChain } from '../../events/filing/envelope';
import { evolve } from '../../events/filing/evolve';
import type { FilingEvent, StoredFilingEnvelope } from '../../events/filing/filing-events';
import {
  type FilingStage,
  type FilingState,
  initialFilingState,
  isTerminal,
} from '../../events/filing/filing-state';
import { isLegalTransition, stageOf } from '../../events/filing/transitions';
import { upcastFilingEvent } from '../../events/filing/upcast';
import { type WorkingDayCalendar, workingDaysBetween } from '../../events/working-days';
import type { ChainHasher } from '../../events/ids';
import type { AuditFinding, AuditReport, StageSpan, TemporalCrossCheck, TimelineEntry } from './audit-report';
import { type Breach, actorBreaches, timeBreaches } from './replay-rules';
import { NATIVE_CHAIN_HASHER } from './native-hasher';
import { storedEnvelopeOf } from './stored-envelope';

export interface AuditOptions {
  /** The working-day calendar deadlines are checked against (production: China's, from `chinese-days`). */
  calendar: WorkingDayCalendar;
  /** The chain's digests; node:crypto unless a caller compares with events/'s pure hasher. */
  hasher?: ChainHasher;
}

/** What a review or SMS window in the state is due, if the status has one. */
function dueOf(state: FilingState): { dueAt?: string; overdue: boolean } {
  switch (state.status) {
    case 'platform_review':
    case 'bureau_review':
      return { dueAt: state.review.dueAt, overdue: state.review.overdue };
    case 'sms_verification':
      return { dueAt: state.expiresAt, overdue: false };
    default:
      return { overdue: false };
  }
}

function daysBetween(from: string, to: string, calendar: WorkingDayCalendar): number {
  // Most events open their stage or share its instant: no calendar walk for those.
  if (from === to) return 0;
  return Date.parse(to) >= Date.parse(from) ? workingDaysBetween(from, to, calendar) : 0;
}

/** Folds the envelopes in stored order, checking each against the rules; builds timeline and stages. */
class Replay {
  state: FilingState = initialFilingState;
  readonly findings: AuditFinding[] = [];
  readonly timeline: TimelineEntry[] = [];
  readonly stages: StageSpan[] = [];
  private previousAt?: string;
  private smsSentAt?: string;
  private stageEnteredAt?: string;

  constructor(
    private readonly calendar: WorkingDayCalendar,
    private readonly brokenLinks: ReadonlySet<number>,
  ) {}

  /** Set once an event could not be applied: later events are listed but no longer checked. */
  private stuckAt?: number;

  apply(envelope: StoredFilingEnvelope): void {
    const { seq, occurredAt, actor, schemaVersion } = envelope.metadata;
    if (this.stuckAt !== undefined) return this.skip(envelope, envelope.type);
    const breach = (found: Breach): void => {
      this.findings.push({ seq, ...found });
    };
    const refuse = (found: Breach, type: string): void => {
      breach({ ...found, message: `${found.message}; later events are listed, not checked` });
      this.stuckAt = seq;
      this.skip(envelope, type);
    };
    let event: FilingEvent;
    try {
      event = upcastFilingEvent(envelope);
    } catch (error) {
      return refuse({ rule: 'unreadable_event', message: (error as Error).message }, envelope.type);
    }
    if (this.previousAt !== undefined && Date.parse(occurredAt) < Date.parse(this.previousAt)) {
      breach({
        rule: 'time_order',
        message: `occurred at ${occurredAt}, before the previous event (${this.previousAt})`,
      });
    }
    if (isTerminal(this.state)) {
      return breach({
        rule: 'after_terminal',
        message: `${event.type} after the filing closed as ${this.state.status}`,
      });
    }
    if (!isLegalTransition(this.state.status, event.type)) {
      return breach({
        rule: 'illegal_transition',
        message: `${event.type} cannot follow status ${this.state.status}`,
      });
    }
    const context = {
      state: this.state,
      event,
      actor,
      schemaVersion,
      occurredAt,
      previousAt: this.previousAt,
      smsSentAt: this.smsSentAt,
      calendar: this.calendar,
    };
    [...actorBreaches(context), ...timeBreaches(context)].forEach(breach);

    let next: FilingState;
    try {
      next = evolve(this.state, { ...event, metadata: { occurredAt } });
    } catch (error) {
      return refuse({ rule: 'illegal_transition', message: (error as Error).message }, event.type);
    }
    this.record(envelope, event, next);
    if (event.type === 'SmsVerificationSent') this.smsSentAt = occurredAt;
    this.previousAt = occurredAt;
    this.state = next;
  }

  /** Lists an event the replay did not apply, at the state before it. */
  private skip(envelope: StoredFilingEnvelope, type: string): void {
    const { seq, occurredAt, actor } = envelope.metadata;
    const status = this.state.status;
    this.timeline.push({
      seq,
      occurredAt,
      type,
      actor: { ...actor },
      status,
      stage: stageOf(status),
      workingDaysInStage: this.stageEnteredAt
        ? daysBetween(this.stageEnteredAt, occurredAt, this.calendar)
        : 0,
      chainIntact: !this.brokenLinks.has(seq),
      applied: false,
    });
  }

  private record(envelope: StoredFilingEnvelope, event: FilingEvent, next: FilingState): void {
    const { seq, occurredAt, actor } = envelope.metadata;
    const stageBefore: FilingStage | undefined =
      this.state.status === 'not_submitted' ? undefined : stageOf(this.state.status);
    const stageAfter = stageOf(next.status);
    const enteredAt = this.stageEnteredAt ?? occurredAt;
    const workingDaysInStage = daysBetween(enteredAt, occurredAt, this.calendar);
    this.timeline.push({
      seq,
      occurredAt,
      type: event.type,
      actor: { ...actor },
      status: next.status,
      stage: stageAfter,
      workingDaysInStage,
      chainIntact: !this.brokenLinks.has(seq),
      applied: true,
    });
    const current = this.stages[this.stages.length - 1];
    if (stageBefore !== stageAfter) {
      if (current) {
        // The stage being left opened at stageEnteredAt (= enteredAt): its days are the ones just counted.
        current.leftAt = occurredAt;
        current.workingDays = workingDaysInStage;
      }
      this.stageEnteredAt = occurredAt;
      this.stages.push({ stage: stageAfter, enteredAt: occurredAt, workingDays: 0, overdue: false });
    }
    const open = this.stages[this.stages.length - 1];
    if (open) {
      const due = dueOf(next);
      if (due.dueAt !== undefined) open.dueAt = due.dueAt;
      open.overdue ||= due.overdue;
    }
  }
}

/**
 * Replays a filing's stream from the log alone: the hash chain and seq continuity, every event
 * against the legal-transition table and its recorder's role and scope, and the time rules (review
 * deadlines in working days, overdue flags, the 24-hour SMS window and its five attempts). Pure.
 */
export function auditFilingHistory(
  filingId: string,
  recorded: readonly RecordedEvent[],
  options: AuditOptions,
): AuditReport {
  const findings: AuditFinding[] = [];
  const envelopes: StoredFilingEnvelope[] = [];
  for (const event of recorded) {
    const read = storedEnvelopeOf(event);
    if ('problem' in read)
      findings.push({ seq: event.revision, rule: 'unreadable_event', message: read.problem });
    else envelopes.push(read.envelope);
  }
  const chain = verifyFilingChain(filingId, envelopes, options.hasher ?? NATIVE_CHAIN_HASHER);
  findings.push(...chain.map(({ seq, rule, message }) => ({ seq, rule, message })));

  const replay = new Replay(options.calendar, new Set(chain.map((finding) => finding.seq)));
  for (const envelope of envelopes) replay.apply(envelope);
  findings.push(...replay.findings);
  findings.sort((a, b) => a.seq - b.seq);

  const { state } = replay;
  const last = replay.stages[replay.stages.length - 1];
  const lastAt = replay.timeline[replay.timeline.length - 1]?.occurredAt;
  if (last && last.leftAt === undefined && lastAt !== undefined) {
    last.workingDays = daysBetween(last.enteredAt, lastAt, options.calendar);
  }
  return {
    filingId,
    verdict: findings.length === 0 && recorded.length > 0 ? 'verified' : 'findings',
    events: recorded.length,
    ...(state.status === 'not_submitted'
      ? {}
      : { status: state.status, platformId: state.platformId, province: state.province }),
    findings,
    timeline: replay.timeline,
    stages: replay.stages,
    temporal: { checked: false, reason: 'not asked' },
  };
}

/** The report with the Temporal cross-check's outcome and findings merged in. */
export function withTemporalCrossCheck(
  report: AuditReport,
  check: TemporalCrossCheck,
  findings: readonly AuditFinding[],
): AuditReport {
  const all = [...report.findings, ...findings].sort((a, b) => a.seq - b.seq);
  return {
    ...report,
    temporal: check,
    findings: all,
    verdict: all.length === 0 && report.events > 0 ? 'verified' : 'findings',
  };
}
