import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  currentUpdateInfo,
  patched,
  workflowInfo,
} from '@temporalio/workflow';
import { type Actor, SYSTEM_ACTOR } from '../../events/filing/actor';
import { idLast6Of, smsRecipientOf } from '../../events/filing/sms-recipient';
import { resentChallengeId, type SmsResendTrigger } from '../../events/filing/sms-resend';
import { decide } from '../../events/filing/decide';
import { withdrawalRulesDiffer } from '../../events/filing/decide/submission';
import { EMPTY_STREAM, sealFilingEventsAt, type StreamHead } from '../../events/filing/envelope';
import { evolve } from '../../events/filing/evolve';
import type { FilingCommand, FilingCommandOf } from '../../events/filing/filing-commands';
import { FilingDomainError } from '../../events/filing/filing-errors';
import type { FILING_SCHEMA_VERSION } from '../../events/filing/filing-events';
import { type FilingState, initialFilingState, isTerminal } from '../../events/filing/filing-state';
import { filingStatusView, type FilingStatusView } from '../../events/filing/filing-view';
import { filingStreamId } from '../../events/filing/stream-ids';
import { stageOf } from '../../events/filing/transitions';
import { chinaDateOfEpochMs } from '../../events/working-days/china-time';
import { AppendLock } from './append-lock';
import { appendActivity, processActivities } from './filing.activities';
import { OutcomeNotices } from './outcome-notices';
import type { FilingOutcome, FilingWorkflowInput, SmsVerificationResult } from './filing.definitions';

type SmsResendCommand = FilingCommandOf<'RequestSmsResend' | 'SendScheduledSmsResend'>;

export const nowIso = (): string => new Date(Date.now()).toISOString();

/**
 * The schemaVersion this run seals events with. Replaying a history recorded before schemaVersion 2,
 * the workflow re-decides its events and must seal them exactly as they were stored (v1 data, v1 in
 * the metadata), or the hash chain it then continues would not be the stored one: the patch is absent
 * from such a history, so `patched` says false until the run goes live, and every event appended from
 * then on is sealed at 2. Raising FILING_SCHEMA_VERSION needs the next patch here (tsc fails until then).
 */
const SCHEMA_V2_PATCH = 'filing-schema-v2';
const SCHEMA_V2: typeof FILING_SCHEMA_VERSION = 2;
const sealingSchemaVersion = (): number => (patched(SCHEMA_V2_PATCH) ? SCHEMA_V2 : 1);

/**
 * Runs recorded before this patch ended as soon as no append was pending, even with an SMS check
 * still out (its caller got no answer); replaying them must end the same way.
 */
const ALL_HANDLERS_FINISHED_PATCH = 'filing-all-handlers-finished';

/**
 * Withdrawal follows the platforms' rule (until the platform has approved the filing; a cancellation
 * filing not at all). Runs recorded before followed the earlier rule (until the bureau decided), and a
 * withdrawal they accepted after approval, or of a cancellation, must be appended again on replay:
 * where the two rules differ, the patch decides. Validators run the platforms' rule (they do not run
 * on replay), so a running filing is held to it from the moment a worker with this code picks it up.
 */
const WITHDRAWAL_RULE_PATCH = 'filing-withdrawal-rule';

/** The command as this run decides it now: a withdrawal by the rule its history was recorded under. */
function underRecordedRule(command: FilingCommand, state: FilingState): FilingCommand {
  if (command.type !== 'WithdrawFiling' || !withdrawalRulesDiffer(state)) return command;
  return patched(WITHDRAWAL_RULE_PATCH) ? command : { ...command, rule: 'until_bureau_decision' };
}

/** The domain's refusal, as a failure the caller receives (`type` = the domain error code). */
function toFailure(error: unknown): unknown {
  if (!(error instanceof FilingDomainError)) return error;
  return ApplicationFailure.create({
    type: error.code,
    message: error.message,
    nonRetryable: true,
    details: [error.details],
  });
}

type AsyncFunctions = Record<string, (...args: never[]) => Promise<unknown>>;

/**
 * The same functions, each calling `settle` when its promise resolves. The caller awaits the very
 * promise the activity returned, so no turn is added to the order in which commands are scheduled.
 */
function settlingOnReturn<T extends AsyncFunctions>(functions: T, settle: () => void): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(functions)) {
    wrapped[name] = (...args: never[]) => {
      const result = fn(...args);
      void result.then(settle, () => undefined);
      return result;
    };
  }
  return wrapped as T;
}

/**
 * One filing's run: its state and stream head, folded from what it appended, and the bookkeeping
 * every decision's validator needs. Every transition is decided by the pure domain, appended by an
 * activity, and folded with the same `evolve` auditors use.
 */
export class FilingRun {
  private current: FilingState = initialFilingState;
  private head: StreamHead = EMPTY_STREAM;
  private readonly appending = new AppendLock();
  /** The workflow task (by history length) in which something this run awaited last came back. */
  private lastSettled = -1;
  /** Every activity the process awaits; its return counts as settling (see `refuseWhileSettling`). */
  readonly activities = settlingOnReturn(processActivities, () => this.settle());
  private readonly log = settlingOnReturn(appendActivity, () => this.settle());
  private readonly notices: OutcomeNotices;

  readonly filingId: string;

  constructor(private readonly input: FilingWorkflowInput) {
    this.filingId = input.filingId;
    this.notices = new OutcomeNotices(input.filingId, () => this.settle());
  }

  get state(): FilingState {
    return this.current;
  }

  get closed(): boolean {
    return isTerminal(this.current);
  }

  view(): FilingStatusView {
    return filingStatusView(this.filingId, this.current, this.head);
  }

  outcome(): FilingOutcome {
    return {
      status: this.current.status,
      registrationNumber: this.view().registrationNumber,
      revision: this.head.revision,
    };
  }

  /** Whether the state has moved on from `from` (a condition to wait on). */
  movedFrom(from: FilingState): () => boolean {
    return () => this.current !== from;
  }

  /**
   * Waits until the state moves on from `from` or the moment `at` comes; resolves true if the state
   * moved. A moment reached counts as settling. A moment already past answers `false` synchronously:
   * no timer, and not one microtask later than recorded histories scheduled what follows.
   */
  movedBefore(from: FilingState, at: string): false | Promise<boolean> {
    const remaining = Date.parse(at) - Date.now();
    if (!(remaining > 0)) {
      this.settle();
      return false;
    }
    const moved = condition(this.movedFrom(from), remaining);
    void moved.then(
      (changed) => {
        if (!changed) this.settle();
      },
      () => undefined,
    );
    return moved;
  }

  /** Records FilingSubmitted; a refused submission fails the run. */
  async submit(): Promise<void> {
    const { input } = this;
    try {
      await this.commit(
        {
          type: 'SubmitFiling',
          actor: input.actor,
          filingId: this.filingId,
          form: input.form,
          submittedOn: chinaDateOfEpochMs(Date.now()),
          ...(input.kind !== undefined && { kind: input.kind }),
          ...(input.target !== undefined && { target: input.target }),
          ...(input.reasons !== undefined && { reasons: input.reasons }),
        },
        input.actionId,
      );
    } catch (error) {
      throw toFailure(error);
    }
  }

  /** The state once FilingSubmitted is recorded. */
  async submitted(): Promise<FilingStatusView> {
    await condition(() => this.current.status !== 'not_submitted');
    return this.view();
  }

  /** A caller's decision, with the update's id as its causation. */
  async apply(command: FilingCommand): Promise<FilingStatusView> {
    try {
      await this.commit(command, currentUpdateInfo()?.id ?? 'update');
      return this.view();
    } catch (error) {
      throw toFailure(error);
    }
  }

  /** A system step whose moment may have passed (a human decided first): skip it, the loop re-evaluates. */
  async commitSystem(command: FilingCommand): Promise<void> {
    try {
      await this.commit(command, `${workflowInfo().workflowId}:${command.type}:${this.head.revision + 1}`);
    } catch (error) {
      if (error instanceof FilingDomainError && error.code === 'wrong_stage') return;
      throw error;
    }
  }

  /** The applicant's answer to the SMS challenge, checked by an activity and counted by the domain. */
  async checkSmsAnswer(actor: Actor, sealedAnswer: string): Promise<SmsVerificationResult> {
    try {
      // The check may run concurrently; counting happens in decide under the append lock, so five
      // concurrent wrong guesses count as five attempts and a sixth finds the filing returned.
      const challengeId = this.challengeId();
      const outcome = await this.activities.checkSmsAnswer({ challengeId, sealedAnswer, at: nowIso() });
      await this.commit(
        { type: 'RecordSmsCheck', actor, challengeId, outcome },
        currentUpdateInfo()?.id ?? 'sms',
      );
    } catch (error) {
      throw toFailure(error);
    }
    const current = this.view();
    return {
      verified: this.current.status === 'sms_verified',
      attemptsLeft: current.smsAttemptsLeft ?? 0,
      status: current,
    };
  }

  /**
   * The resend `trigger` would record now: the round's next challenge
   * (`<filingId>:sms:<round>:<resend>`), at workflow time.
   */
  smsResend(actor: Actor, trigger: SmsResendTrigger): SmsResendCommand {
    const s = this.current;
    const round = s.status === 'sms_verification' ? s.smsRound : 0;
    const resends = s.status === 'sms_verification' ? (s.resends?.length ?? 0) : 0;
    const challengeId = resentChallengeId(this.filingId, round, resends + 1);
    const type = trigger === 'requested' ? 'RequestSmsResend' : 'SendScheduledSmsResend';
    return { type, actor, challengeId, at: nowIso() };
  }

  /** The platform's request: a new code is sent (idempotent by challenge), then recorded. */
  async requestSmsResend(actor: Actor): Promise<FilingStatusView> {
    try {
      await this.resendSms(actor, 'requested', currentUpdateInfo()?.id ?? 'sms-resend');
      return this.view();
    } catch (error) {
      throw toFailure(error);
    }
  }

  /** The noon resend; skipped when the filing moved on meanwhile (answered, withdrawn, expired). */
  async sendScheduledSmsResend(): Promise<void> {
    try {
      const causation = `${workflowInfo().workflowId}:SendScheduledSmsResend:${this.head.revision + 1}`;
      await this.resendSms(SYSTEM_ACTOR, 'scheduled', causation);
    } catch (error) {
      if (error instanceof FilingDomainError && error.code === 'wrong_stage') return;
      throw error;
    }
  }

  /**
   * Decides first (nothing is sent for a resend the domain refuses), sends, then appends under the
   * lock, where `decide` runs again. If the other trigger's resend was recorded while this code was
   * being sent, the challenge it was sent under is taken: the next one is sent instead.
   */
  private async resendSms(actor: Actor, trigger: SmsResendTrigger, causationId: string): Promise<void> {
    let planned = this.smsResend(actor, trigger);
    for (;;) {
      decide(planned, this.current);
      const s = this.current;
      if (s.status !== 'sms_verification') return;
      const recipient = smsRecipientOf(s);
      await this.activities.sendSmsChallenge({
        challengeId: planned.challengeId,
        mobile: recipient.mobile,
        idLast6: idLast6Of(recipient),
        appName: s.appName,
        ttlMs: Date.parse(s.expiresAt) - Date.now(),
        at: nowIso(),
        resend: true,
      });
      const now = this.smsResend(actor, trigger);
      if (now.challengeId === planned.challengeId) return this.commit(now, causationId);
      planned = now;
    }
  }

  /** The check a validator decides on before an SMS answer is checked. */
  smsCheck(actor: Actor): FilingCommand {
    return { type: 'RecordSmsCheck', actor, challengeId: this.challengeId(), outcome: 'mismatch' };
  }

  /** Every decision's validator: refused while settling, or when the domain would refuse it now. */
  validate(command: FilingCommand): void {
    this.refuseWhileSettling();
    try {
      decide(command, this.current);
    } catch (error) {
      throw toFailure(error);
    }
  }

  /**
   * A decision that reaches the run in the workflow task in which an activity or timer of the run
   * just came back is sent back for a moment. A worker that takes a run over (after a crash or
   * restart) can process that task's results in an activation of their own, before the one carrying
   * the decision, so the decision is accepted after the commands those results produced; a replay of
   * the recorded task delivers both in one activation, decision first, and fails with a
   * nondeterminism error ("Update machine does not handle this event: TimerStarted") that leaves the
   * filing stuck and unreadable (seen with @temporalio 1.24 in test/faults). That earlier activation
   * counts the history short of the task's start, while a later task starts at least 3 events on.
   * The refusal says `settling`, and the API sends the same decision again.
   */
  refuseWhileSettling(): void {
    if (workflowInfo().historyLength - this.lastSettled >= 3) return;
    const { status } = this.current;
    throw ApplicationFailure.create({
      type: 'wrong_stage',
      message: `the filing is moving on from ${status}; send the decision again`,
      nonRetryable: true,
      details: [{ status, stage: stageOf(status), settling: true }],
    });
  }

  /** Lets the outcome notices go and in-flight update handlers reply before the run completes. */
  async handlersFinished(): Promise<void> {
    await this.notices.sent();
    if (patched(ALL_HANDLERS_FINISHED_PATCH)) await condition(allHandlersFinished);
    else await condition(() => this.appending.idle);
  }

  /** Decides against the state at the moment of appending (under the lock), then appends and folds. */
  private commit(command: FilingCommand, causationId: string): Promise<void> {
    return this.appending.run(async () => {
      const events = decide(underRecordedRule(command, this.current), this.current);
      if (events.length === 0) return;
      const occurredAt = nowIso();
      const sealed = sealFilingEventsAt(sealingSchemaVersion(), this.head, events, {
        filingId: this.filingId,
        occurredAt,
        actor: command.actor,
        correlationId: this.input.correlationId,
        causationId,
      });
      const appended = await this.log.appendFilingEvents({
        streamId: filingStreamId(this.filingId),
        expectedRevision: this.head.revision < 0 ? 'no_stream' : this.head.revision,
        events: sealed.envelopes,
      });
      // The log holds the truth. A replay may re-seal these events with another workflow time than
      // the execution that appended them (Temporal compares no activity input), so the fold and the
      // chain go on from what was stored, as the recorded result says; older results lack it.
      const at = appended.occurredAt ?? occurredAt;
      for (const [i, event] of events.entries()) {
        this.current = evolve(this.current, { ...event, metadata: { occurredAt: at } });
        this.notices.announce(event, this.current, this.head.revision + 1 + i);
      }
      this.head = { revision: sealed.head.revision, lastHash: appended.lastHash ?? sealed.head.lastHash };
    });
  }

  private challengeId(): string {
    return this.current.status === 'sms_verification' ? this.current.challengeId : '';
  }

  private settle(): void {
    this.lastSettled = workflowInfo().historyLength;
  }
}
