import { createEventLogActivities } from '../../activities/filing/event-log.activities';
import { type Actor, SYSTEM_ACTOR } from '../../events/filing/actor';
import { decide } from '../../events/filing/decide';
import { withdrawalRulesDiffer } from '../../events/filing/decide/submission';
import { EMPTY_STREAM, sealFilingEvents, type StreamHead } from '../../events/filing/envelope';
import { evolve } from '../../events/filing/evolve';
import type { BureauDecision, FilingCommand, PlatformDecision } from '../../events/filing/filing-commands';
import type { FilingEnvelope, ReviewDeadline } from '../../events/filing/filing-events';
import {
  type FilingState,
  type FilingStateOf,
  type FilingStatus,
  initialFilingState,
  MAX_SMS_FAILED_ATTEMPTS,
  type ReviewClock,
} from '../../events/filing/filing-state';
import { filingStreamId } from '../../events/filing/stream-ids';
import type { ServiceType } from '../../events/form/registration-form';
import { uuidv5 } from '../../events/ids';
import type { ProvinceCode } from '../../events/provinces';
import { formatServiceNumber, formatSubjectNumber } from '../../events/registration-number';
import { addWorkingDays } from '../../events/working-days/add-working-days';
import { chinaDateOfEpochMs, epochMsOfInstant, formatEpochMsUtc } from '../../events/working-days/china-time';
import {
  BUREAU_REVIEW_WORKING_DAYS,
  PLATFORM_REVIEW_WORKING_DAYS,
  SMS_VERIFICATION_WINDOW_MS,
} from '../../events/working-days/sla';
import type { WorkingDayCalendar } from '../../events/working-days/working-day-calendar';
import { loadChineseCalendar } from '../../infra/calendar/chinese-holidays';
import type { EventLog } from '../../events/ports/event-log.port';
import {
  correctedForm,
  generateSubmission,
  type GeneratedSubmission,
  type JsonForm,
} from './generated-forms';
import { SeededRandom } from './seeded-random';

/**
 * Realistic filing histories for tests and benchmarks, deterministic for a seed. Every history is made
 * by the real domain: `decide` with the actor the workflow or the API would use, `evolve`, then
 * `sealFilingEvents`, with times as the workflow records them (working-day deadlines, the 24-hour SMS
 * window, timers firing just after a deadline).
 */

/** The ways through the process a generated filing takes. */
export const FILING_PATHS = [
  'completed',
  'corrected_then_completed',
  'platform_overdue_then_completed',
  'sms_expired_then_resubmitted',
  'bureau_overdue_then_completed',
  'every_detour_then_completed',
  'platform_rejected',
  'bureau_rejected',
  'withdrawn_after_return',
  'withdrawn_in_bureau_review',
  'sms_attempts_exhausted',
  'waiting_in_platform_review',
  'waiting_for_correction',
  'waiting_for_sms',
  'waiting_in_bureau_review',
  'bureau_overdue_waiting',
] as const;
export type FilingPath = (typeof FILING_PATHS)[number];

/**
 * Where each path ends; the `waiting…` paths (and an exhausted SMS) leave the filing open. Each history
 * is consistent on its own, but there is no common "now": an open review's deadline may lie before
 * other filings' later events without an overdue flag (only `bureau_overdue_waiting` shows one).
 */
export const FINAL_STATUS_OF_PATH: Readonly<Record<FilingPath, FilingStatus>> = {
  completed: 'completed',
  corrected_then_completed: 'completed',
  platform_overdue_then_completed: 'completed',
  sms_expired_then_resubmitted: 'completed',
  bureau_overdue_then_completed: 'completed',
  every_detour_then_completed: 'completed',
  platform_rejected: 'rejected',
  bureau_rejected: 'rejected',
  withdrawn_after_return: 'withdrawn',
  withdrawn_in_bureau_review: 'withdrawn',
  sms_attempts_exhausted: 'returned_to_platform',
  waiting_in_platform_review: 'platform_review',
  waiting_for_correction: 'returned_for_correction',
  waiting_for_sms: 'sms_verification',
  waiting_in_bureau_review: 'bureau_review',
  bureau_overdue_waiting: 'bureau_review',
};

/** Relative frequency of each path in the default mix (out of 40). */
const DEFAULT_PATH_WEIGHTS: Readonly<Record<FilingPath, number>> = {
  completed: 13,
  corrected_then_completed: 3,
  platform_overdue_then_completed: 2,
  sms_expired_then_resubmitted: 2,
  bureau_overdue_then_completed: 1,
  every_detour_then_completed: 1,
  platform_rejected: 3,
  bureau_rejected: 2,
  withdrawn_after_return: 1,
  withdrawn_in_bureau_review: 1,
  sms_attempts_exhausted: 1,
  waiting_in_platform_review: 2,
  waiting_for_correction: 1,
  waiting_for_sms: 2,
  waiting_in_bureau_review: 4,
  bureau_overdue_waiting: 1,
};

/** The default mix, spread evenly (smooth weighted round-robin): any 40 consecutive filings take every path. */
export const DEFAULT_PATH_MIX: readonly FilingPath[] = spreadByWeight(DEFAULT_PATH_WEIGHTS);

export const DEFAULT_START_AT = '2026-09-14T01:00:00.000Z';
export const DEFAULT_SUBMISSION_INTERVAL_MS = 10 * 60_000;

export interface FilingHistoryOptions {
  count: number;
  /** Default 1. The same options always give the same filings, ids and envelopes. */
  seed?: number;
  /** ISO instant of the first submission (default a Monday in September 2026, before two holiday weeks). */
  startAt?: string;
  /** Cycled through by index (filing i takes `paths[i % paths.length]`); repeat a path to weight it. */
  paths?: readonly FilingPath[];
  /** Filing i is submitted in [startAt + i·interval, startAt + (i + 1)·interval). Default 10 minutes. */
  submissionIntervalMs?: number;
  /** Default: the production calendar (the installed `chinese-days` data), as the worker uses. */
  calendar?: WorkingDayCalendar;
}

export interface GeneratedFiling {
  readonly index: number;
  readonly filingId: string;
  readonly streamId: string;
  readonly path: FilingPath;
  readonly province: ProvinceCode;
  readonly platformId: string;
  readonly serviceType: ServiceType;
  readonly appName: string;
  readonly submittedAt: string;
  /** The status the envelopes fold to (always `FINAL_STATUS_OF_PATH[path]`). */
  readonly finalStatus: FilingStatus;
  /** The numbers issued, for filings that got that far. */
  readonly registration?: { readonly subjectNumber: string; readonly serviceNumber: string };
  /** The whole stream in order, seq 0 onwards. */
  readonly envelopes: readonly FilingEnvelope[];
  /** Number of events each transition (one `decide`) produced: the workflow appends each on its own. */
  readonly transitionSizes: readonly number[];
}

/** The platform staff, bureau officers and applicant who act on generated filings. */
export function platformReviewers(platformId: string): Actor[] {
  return [1, 2, 3].map((n) => ({ role: 'platform', id: `${platformId}-reviewer-${n}`, platformId }));
}

export function platformSubmitter(platformId: string): Actor {
  return { role: 'platform', id: `${platformId}-ops`, platformId };
}

export function bureauOfficers(province: ProvinceCode): Actor[] {
  return [1, 2].map((n) => ({ role: 'bureau', id: `officer-${province}-${n}`, province }));
}

/** The applicant answering the 12381 SMS, as the public endpoint records it. */
export const APPLICANT: Actor = { role: 'applicant', id: 'public' };

/** Generates lazily, one filing at a time: memory stays flat for benchmark-sized runs. */
export function* filingHistories(options: FilingHistoryOptions): Generator<GeneratedFiling, void, undefined> {
  const settings = resolveOptions(options);
  const numbers = new RegistrationNumbers();
  for (let index = 0; index < settings.count; index += 1) yield generateFiling(index, settings, numbers);
}

export function generateFilingHistories(options: FilingHistoryOptions): GeneratedFiling[] {
  return [...filingHistories(options)];
}

export function countEvents(filings: Iterable<GeneratedFiling>): number {
  let events = 0;
  for (const filing of filings) events += filing.envelopes.length;
  return events;
}

/* Generation */

interface Settings {
  readonly count: number;
  readonly seed: number;
  readonly startMs: number;
  readonly paths: readonly FilingPath[];
  readonly intervalMs: number;
  readonly calendar: WorkingDayCalendar;
}

function resolveOptions(options: FilingHistoryOptions): Settings {
  const { count, seed = 1, paths = DEFAULT_PATH_MIX } = options;
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`count must be ≥ 0, got ${count}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (paths.length === 0) throw new RangeError('paths must name at least one path');
  const intervalMs = options.submissionIntervalMs ?? DEFAULT_SUBMISSION_INTERVAL_MS;
  if (!(intervalMs >= 1)) throw new RangeError(`submissionIntervalMs must be ≥ 1, got ${intervalMs}`);
  return {
    count,
    seed,
    startMs: epochMsOfInstant(options.startAt ?? DEFAULT_START_AT),
    paths,
    intervalMs,
    calendar: options.calendar ?? loadChineseCalendar(),
  };
}

function generateFiling(index: number, settings: Settings, numbers: RegistrationNumbers): GeneratedFiling {
  const random = new SeededRandom(settings.seed, index);
  const filingId = uuidv5(`generated-filing:${settings.seed}:${index}`);
  const path = settings.paths[index % settings.paths.length] as FilingPath;
  const submittedAtMs = Math.floor(settings.startMs + (index + random.next()) * settings.intervalMs);
  const submission = generateSubmission({
    index,
    seed: settings.seed,
    filingId,
    random,
    existingSubjectNumber: (province) => numbers.existingSubjectNumber(province, submittedAtMs, random),
  });
  const builder = new FilingHistoryBuilder(filingId, submission, submittedAtMs, {
    random,
    calendar: settings.calendar,
    numbers,
  });
  PATH_SCRIPTS[path](builder);
  return builder.result(index, path);
}

/** How the workflow and the people around it take a filing along each path. */
const PATH_SCRIPTS: Readonly<Record<FilingPath, (filing: FilingHistoryBuilder) => void>> = {
  completed: (f) => f.submit().passPlatformReview().passSms().passBureauReview().issue(),
  corrected_then_completed: (f) =>
    f
      .submit()
      .startPlatformReview()
      .platformDecides('return')
      .correct()
      .passPlatformReview()
      .passSms()
      .passBureauReview()
      .issue(),
  platform_overdue_then_completed: (f) =>
    f
      .submit()
      .startPlatformReview()
      .flagPlatformReviewOverdue()
      .platformDecides('approve')
      .passSms()
      .passBureauReview()
      .issue(),
  sms_expired_then_resubmitted: (f) =>
    f
      .submit()
      .passPlatformReview()
      .sendSms()
      .letSmsExpire()
      .resubmit()
      .passPlatformReview()
      .passSms()
      .passBureauReview()
      .issue(),
  bureau_overdue_then_completed: (f) =>
    f
      .submit()
      .passPlatformReview()
      .passSms()
      .startBureauReview()
      .flagBureauReviewOverdue()
      .bureauDecides('approve')
      .issue(),
  every_detour_then_completed: (f) =>
    f
      .submit()
      .startPlatformReview()
      .platformDecides('return')
      .correct()
      .startPlatformReview()
      .flagPlatformReviewOverdue()
      .platformDecides('approve')
      .sendSms()
      .letSmsExpire()
      .resubmit()
      .passPlatformReview()
      .sendSms()
      .answerSms(2)
      .startBureauReview()
      .flagBureauReviewOverdue()
      .bureauDecides('approve')
      .issue(),
  platform_rejected: (f) => f.submit().startPlatformReview().platformDecides('reject'),
  bureau_rejected: (f) =>
    f.submit().passPlatformReview().passSms().startBureauReview().bureauDecides('reject'),
  withdrawn_after_return: (f) => f.submit().startPlatformReview().platformDecides('return').withdraw(),
  withdrawn_in_bureau_review: (f) => f.submit().passPlatformReview().passSms().startBureauReview().withdraw(),
  sms_attempts_exhausted: (f) =>
    f.submit().passPlatformReview().sendSms().answerSms(MAX_SMS_FAILED_ATTEMPTS, false),
  waiting_in_platform_review: (f) => f.submit().startPlatformReview(),
  waiting_for_correction: (f) => f.submit().startPlatformReview().platformDecides('return'),
  waiting_for_sms: (f) => f.submit().passPlatformReview().sendSms(),
  waiting_in_bureau_review: (f) => f.submit().passPlatformReview().passSms().startBureauReview(),
  bureau_overdue_waiting: (f) =>
    f.submit().passPlatformReview().passSms().startBureauReview().flagBureauReviewOverdue(),
};

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const RETURN_REASONS = [
  '应用服务内容描述与实际功能不符，请补充说明',
  '应用截图缺失，请补充主要功能页面截图',
  '接入信息中的 IP 地址与域名解析结果不一致',
  '负责人证件有效期填写有误',
] as const;
const PLATFORM_REJECT_REASONS = [
  '应用涉及互联网新闻信息服务，未取得前置审批',
  '应用名称含有违反广告法的用语',
  '同一主体已提交相同应用的备案申请',
] as const;
const BUREAU_REJECT_REASONS = [
  '主办单位信息与证件不一致',
  '负责人身份核验未通过',
  '应用服务内容涉及需前置审批的项目，未提供审批文件',
] as const;
const WITHDRAW_REASONS = ['主办单位决定暂缓上线该应用', '应用名称变更，将重新提交备案', undefined] as const;
const RESUBMIT_REASONS = ['申请人已更新手机号码，请重新发送核验短信', undefined] as const;

interface BuilderDeps {
  readonly random: SeededRandom;
  readonly calendar: WorkingDayCalendar;
  readonly numbers: RegistrationNumbers;
}

/**
 * One filing's history, step by step. Each step computes when it happens and asks `decide`; a step
 * that does not fit the state throws, so a script can only describe a history the domain allows.
 */
class FilingHistoryBuilder {
  private state: FilingState = initialFilingState;
  private head: StreamHead = EMPTY_STREAM;
  /** Time of the last event (ms since the epoch). */
  private clock: number;
  private form: JsonForm;
  private readonly envelopes: FilingEnvelope[] = [];
  private readonly transitionSizes: number[] = [];
  private readonly random: SeededRandom;
  private readonly streamId: string;

  constructor(
    private readonly filingId: string,
    private readonly submission: GeneratedSubmission,
    private readonly submittedAtMs: number,
    private readonly deps: BuilderDeps,
  ) {
    this.random = deps.random;
    this.streamId = filingStreamId(filingId);
    this.clock = submittedAtMs;
    this.form = submission.form;
  }

  submit(): this {
    const actor = platformSubmitter(this.submission.platformId);
    const at = this.submittedAtMs;
    return this.record(
      {
        type: 'SubmitFiling',
        actor,
        filingId: this.filingId,
        form: this.form,
        submittedOn: chinaDateOfEpochMs(at),
      },
      at,
      this.actionId(),
    );
  }

  startPlatformReview(): this {
    const from = this.clock + this.random.int(5, 400);
    const deadline = this.reviewDeadline(from, PLATFORM_REVIEW_WORKING_DAYS);
    return this.recordSystem(
      { type: 'StartPlatformReview', actor: SYSTEM_ACTOR, deadline },
      from + this.random.int(5, 200),
    );
  }

  /** Within the review window; after an overdue flag, within a day or so of it. */
  platformDecides(decision: PlatformDecision): this {
    const { review } = this.inStatus('platform_review');
    const at = this.humanTimeIn(review, 10 * MINUTE_MS, 30 * HOUR_MS);
    const reasons = {
      approve: undefined,
      reject: this.random.pick(PLATFORM_REJECT_REASONS),
      return: this.random.pick(RETURN_REASONS),
    }[decision];
    const actor = this.random.pick(platformReviewers(this.submission.platformId));
    return this.record({ type: 'ReviewAsPlatform', actor, decision, reasons }, at, this.actionId());
  }

  flagPlatformReviewOverdue(): this {
    const { review } = this.inStatus('platform_review');
    return this.recordTimer({ type: 'FlagPlatformReviewOverdue', actor: SYSTEM_ACTOR }, review.dueAt);
  }

  passPlatformReview(): this {
    return this.startPlatformReview().platformDecides('approve');
  }

  correct(): this {
    this.inStatus('returned_for_correction');
    const at = this.clock + this.random.between(HOUR_MS, 3 * DAY_MS);
    this.form = correctedForm(this.form);
    const actor = this.random.pick(platformReviewers(this.submission.platformId));
    return this.record(
      { type: 'CorrectFiling', actor, form: this.form, correctedOn: chinaDateOfEpochMs(at) },
      at,
      this.actionId(),
    );
  }

  /** The workflow asks the SMS activity first; the window runs from that moment. */
  sendSms(): this {
    const { smsRound } = this.inStatus('platform_approved');
    const sentAt = this.clock + this.random.int(5, 400);
    const command: FilingCommand = {
      type: 'RecordSmsSent',
      actor: SYSTEM_ACTOR,
      challengeId: `${this.filingId}:sms:${smsRound + 1}`,
      expiresAt: formatEpochMsUtc(sentAt + SMS_VERIFICATION_WINDOW_MS),
    };
    return this.recordSystem(command, sentAt + this.random.int(100, 1_500));
  }

  /** `wrong` mismatching answers, then (unless `thenRight` is false) the right one, all in the window. */
  answerSms(wrong: number, thenRight = true): this {
    const { expiresAt } = this.inStatus('sms_verification');
    let at = this.clock + this.random.between(MINUTE_MS, 18 * HOUR_MS);
    const outcomes = [...Array<'mismatch'>(wrong).fill('mismatch'), ...(thenRight ? ['match' as const] : [])];
    for (const outcome of outcomes) {
      const { challengeId } = this.inStatus('sms_verification');
      this.record({ type: 'RecordSmsCheck', actor: APPLICANT, challengeId, outcome }, at, this.actionId());
      at = this.clock + this.random.between(20_000, 10 * MINUTE_MS);
    }
    if (this.clock >= Date.parse(expiresAt)) throw new Error('generated an SMS answer after the window');
    return this;
  }

  /** Mostly 1–2 wrong answers first. */
  passSms(): this {
    return this.sendSms().answerSms(
      this.random.weighted([
        [0, 8],
        [1, 1.5],
        [2, 0.5],
      ] as const),
    );
  }

  /** The applicant never gets it right (perhaps tries once), and the workflow's timer expires the code. */
  letSmsExpire(): this {
    if (this.random.chance(0.3)) this.answerSms(1, false);
    const { challengeId, expiresAt } = this.inStatus('sms_verification');
    return this.recordTimer({ type: 'ExpireSmsChallenge', actor: SYSTEM_ACTOR, challengeId }, expiresAt);
  }

  resubmit(): this {
    this.inStatus('returned_to_platform');
    const at = this.clock + this.random.between(20 * MINUTE_MS, 2 * DAY_MS);
    const actor = this.random.pick(platformReviewers(this.submission.platformId));
    const reasons = this.random.pick(RESUBMIT_REASONS);
    return this.record({ type: 'ResubmitFiling', actor, reasons }, at, this.actionId());
  }

  startBureauReview(): this {
    const from = this.clock + this.random.int(5, 400);
    const deadline = this.reviewDeadline(from, BUREAU_REVIEW_WORKING_DAYS);
    return this.recordSystem(
      { type: 'StartBureauReview', actor: SYSTEM_ACTOR, deadline },
      from + this.random.int(5, 200),
    );
  }

  bureauDecides(decision: BureauDecision): this {
    const { review } = this.inStatus('bureau_review');
    const at = this.humanTimeIn(review, 2 * HOUR_MS, 5 * DAY_MS);
    const reasons = decision === 'reject' ? this.random.pick(BUREAU_REJECT_REASONS) : undefined;
    const actor = this.random.pick(bureauOfficers(this.submission.province));
    return this.record({ type: 'ReviewAsBureau', actor, decision, reasons }, at, this.actionId());
  }

  flagBureauReviewOverdue(): this {
    const { review } = this.inStatus('bureau_review');
    return this.recordTimer({ type: 'FlagBureauReviewOverdue', actor: SYSTEM_ACTOR }, review.dueAt);
  }

  passBureauReview(): this {
    return this.startBureauReview().bureauDecides('approve');
  }

  /** While a review runs, before its deadline; otherwise within a few days. */
  withdraw(): this {
    const state = this.state;
    const at =
      state.status === 'bureau_review' || state.status === 'platform_review'
        ? this.humanTimeIn(state.review, HOUR_MS, DAY_MS)
        : this.clock + this.random.between(2 * HOUR_MS, 5 * DAY_MS);
    const actor = this.random.pick(platformReviewers(this.submission.platformId));
    const reasons = this.random.pick(WITHDRAW_REASONS);
    // Past the platform's approval only a run recorded under the earlier rule withdrew: logs hold those.
    const rule = withdrawalRulesDiffer(state) ? 'until_bureau_decision' : undefined;
    return this.record(
      { type: 'WithdrawFiling', actor, reasons, ...(rule && { rule }) },
      at,
      this.actionId(),
    );
  }

  /** Number allocation, publication and the applicant's notification, as the workflow runs them back to back. */
  issue(): this {
    const { province, serviceType } = this.inStatus('bureau_approved');
    const allocatedAt = this.clock + this.random.int(5, 300);
    const year = Number(chinaDateOfEpochMs(allocatedAt).slice(0, 4));
    const existing = this.form.existingSubjectNumber;
    const subjectNumber =
      typeof existing === 'string' ? existing : this.deps.numbers.allocateSubjectNumber(province, year);
    // Every generated operator is a subject of its own, so its first service number is n = 1.
    const serviceNumber = formatServiceNumber(subjectNumber, 1, serviceType);
    this.recordSystem(
      { type: 'IssueRegistrationNumber', actor: SYSTEM_ACTOR, subjectNumber, serviceNumber },
      allocatedAt + this.random.int(10, 300),
    );
    this.recordSystem(
      { type: 'PublishRegistration', actor: SYSTEM_ACTOR },
      this.clock + this.random.int(2, 50),
    );
    return this.recordSystem(
      { type: 'NotifyApplicant', actor: SYSTEM_ACTOR, channels: ['sms', 'email'] },
      this.clock + this.random.int(50, 2_000),
    );
  }

  result(index: number, path: FilingPath): GeneratedFiling {
    const finalStatus = this.state.status;
    if (finalStatus !== FINAL_STATUS_OF_PATH[path]) {
      throw new Error(`path ${path} ended in ${finalStatus}, not ${FINAL_STATUS_OF_PATH[path]}`);
    }
    const issued =
      'serviceNumber' in this.state
        ? { subjectNumber: this.state.subjectNumber, serviceNumber: this.state.serviceNumber }
        : undefined;
    return {
      index,
      filingId: this.filingId,
      streamId: this.streamId,
      path,
      province: this.submission.province,
      platformId: this.submission.platformId,
      serviceType: this.submission.serviceType,
      appName: this.submission.appName,
      submittedAt: formatEpochMsUtc(this.submittedAtMs),
      finalStatus,
      ...(issued ? { registration: issued } : {}),
      envelopes: this.envelopes,
      transitionSizes: this.transitionSizes,
    };
  }

  /** A person's decision: somewhere in the review window, or soon after the deadline once flagged overdue. */
  private humanTimeIn(review: ReviewClock, minMs: number, lateMs: number): number {
    const dueMs = Date.parse(review.dueAt);
    if (review.overdue || this.clock >= dueMs)
      return this.clock + this.random.between(30 * MINUTE_MS, lateMs);
    const earliest = this.clock + minMs;
    const latest = Math.max(earliest, dueMs - minMs);
    return this.random.between(earliest, latest);
  }

  /** As the workflow's deadline activity counts it, from the moment it asks, with the allowance used. */
  private reviewDeadline(fromMs: number, workingDays: number): ReviewDeadline {
    return { ...addWorkingDays(formatEpochMsUtc(fromMs), workingDays, this.deps.calendar), workingDays };
  }

  private inStatus<S extends FilingStatus>(status: S): FilingStateOf<S> {
    if (this.state.status !== status) {
      throw new Error(`generator script expected ${status}, the filing is ${this.state.status}`);
    }
    return this.state as FilingStateOf<S>;
  }

  /** A workflow timer: it fires just after the instant (a deadline or the SMS expiry). */
  private recordTimer(command: FilingCommand, dueAt: string): this {
    return this.recordSystem(command, Date.parse(dueAt) + this.random.int(1, 1_500));
  }

  /** System steps carry the workflow's causation: `<workflowId>:<command>:<next seq>`. */
  private recordSystem(command: FilingCommand, at: number): this {
    return this.record(command, at, `${this.streamId}:${command.type}:${this.head.revision + 1}`);
  }

  /** An API action's id (the Idempotency-Key or update id), deterministic here. */
  private actionId(): string {
    return uuidv5(`${this.filingId}:action:${this.head.revision + 1}`);
  }

  private record(command: FilingCommand, atMs: number, causationId: string): this {
    const occurredAtMs = Math.max(Math.floor(atMs), this.clock);
    const events = decide(command, this.state);
    if (events.length === 0)
      throw new Error(`${command.type} changed nothing in status ${this.state.status}`);
    const sealed = sealFilingEvents(this.head, events, {
      filingId: this.filingId,
      occurredAt: formatEpochMsUtc(occurredAtMs),
      actor: command.actor,
      correlationId: this.filingId,
      causationId,
    });
    for (const envelope of sealed.envelopes) {
      this.state = evolve(this.state, envelope);
      this.envelopes.push(envelope);
    }
    this.transitionSizes.push(sealed.envelopes.length);
    this.head = sealed.head;
    this.clock = occurredAtMs;
    return this;
  }
}

/**
 * Subject numbers as the allocator hands them out: the next free sequence per province and year. Numbers
 * operators already hold come from the same counters, so no two subjects ever share one.
 */
class RegistrationNumbers {
  private readonly lastSequence = new Map<string, number>();

  allocateSubjectNumber(provinceCode: ProvinceCode, year: number): string {
    const key = `${provinceCode}:${year}`;
    const sequence = (this.lastSequence.get(key) ?? 0) + 1;
    this.lastSequence.set(key, sequence);
    return formatSubjectNumber({ provinceCode, year, sequence });
  }

  /** A number issued one to five years before the filing. */
  existingSubjectNumber(provinceCode: ProvinceCode, submittedAtMs: number, random: SeededRandom): string {
    const year = Math.max(2000, Number(chinaDateOfEpochMs(submittedAtMs).slice(0, 4)) - random.int(1, 5));
    return this.allocateSubjectNumber(provinceCode, year);
  }
}

function spreadByWeight<T extends string>(weights: Readonly<Record<T, number>>): T[] {
  const entries = Object.entries(weights) as [T, number][];
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  const current = new Map<T, number>(entries.map(([key]) => [key, 0]));
  const order: T[] = [];
  for (let i = 0; i < total; i += 1) {
    let best: T | undefined;
    for (const [key, weight] of entries) {
      const value = (current.get(key) ?? 0) + weight;
      current.set(key, value);
      if (best === undefined || value > (current.get(best) ?? 0)) best = key;
    }
    if (best === undefined) break;
    current.set(best, (current.get(best) ?? 0) - total);
    order.push(best);
  }
  return order;
}

/* Appending */

export interface AppendFilingHistoriesOptions {
  /** Round-robin over several filings at once, so `$all` looks like concurrent traffic. Default true. */
  interleave?: boolean;
  /** How many filings are in flight at once while interleaving. Default 100. */
  concurrentFilings?: number;
  /**
   * Transitions of one filing merged into one append. Default 1, as the workflow appends; a larger
   * number (or Infinity: a whole stream per append) means far fewer commits when seeding a benchmark.
   */
  transitionsPerAppend?: number;
}

export interface AppendedHistories {
  filings: number;
  events: number;
  appends: number;
}

/**
 * Appends each filing's stream with the exact expected revision, through the same activity the
 * workflow appends with. Takes an array or a lazy `filingHistories(…)`; only the filings in flight
 * are held at once.
 */
export async function appendFilingHistories(
  log: EventLog,
  filings: Iterable<GeneratedFiling>,
  options: AppendFilingHistoriesOptions = {},
): Promise<AppendedHistories> {
  const inFlight = options.interleave === false ? 1 : (options.concurrentFilings ?? 100);
  const perAppend = options.transitionsPerAppend ?? 1;
  if (!(inFlight >= 1)) throw new RangeError(`concurrentFilings must be ≥ 1, got ${inFlight}`);
  if (!(perAppend >= 1)) throw new RangeError(`transitionsPerAppend must be ≥ 1, got ${perAppend}`);
  const { appendFilingEvents } = createEventLogActivities({ eventLog: log });
  const totals: AppendedHistories = { filings: 0, events: 0, appends: 0 };
  const source = filings[Symbol.iterator]();
  const nextCursor = (): StreamCursor | undefined => {
    const next = source.next();
    if (next.done) return undefined;
    totals.filings += 1;
    return new StreamCursor(next.value);
  };

  const active: StreamCursor[] = [];
  for (let cursor = nextCursor(); cursor; cursor = active.length < inFlight ? nextCursor() : undefined) {
    active.push(cursor);
  }
  while (active.length > 0) {
    for (let slot = 0; slot < active.length; slot += 1) {
      const cursor = active[slot] as StreamCursor;
      const append = cursor.take(perAppend);
      await appendFilingEvents(append);
      totals.events += append.events.length;
      totals.appends += 1;
      if (cursor.done) {
        const replacement = nextCursor();
        if (replacement) active[slot] = replacement;
        else active.splice(slot--, 1);
      }
    }
  }
  return totals;
}

/** Where appending a filing's stream has got to. */
class StreamCursor {
  private transition = 0;
  private nextSeq = 0;

  constructor(private readonly filing: GeneratedFiling) {}

  get done(): boolean {
    return this.transition >= this.filing.transitionSizes.length;
  }

  take(transitions: number): {
    streamId: string;
    expectedRevision: number | 'no_stream';
    events: FilingEnvelope[];
  } {
    const from = this.nextSeq;
    const last = Math.min(this.transition + transitions, this.filing.transitionSizes.length);
    for (; this.transition < last; this.transition += 1) {
      this.nextSeq += this.filing.transitionSizes[this.transition] ?? 0;
    }
    return {
      streamId: this.filing.streamId,
      expectedRevision: from === 0 ? 'no_stream' : from - 1,
      events: this.filing.envelopes.slice(from, this.nextSeq),
    };
  }
}
