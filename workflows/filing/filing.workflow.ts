import {
  ApplicationFailure,
  condition,
  currentUpdateInfo,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { type Actor, SYSTEM_ACTOR } from '../../events/filing/actor';
import { decide } from '../../events/filing/decide';
import { EMPTY_STREAM, sealFilingEventsAt, type StreamHead } from '../../events/filing/envelope';
import { evolve } from '../../events/filing/evolve';
import type { FilingCommand } from '../../events/filing/filing-commands';
import { FilingDomainError } from '../../events/filing/filing-errors';
import type { FILING_SCHEMA_VERSION } from '../../events/filing/filing-events';
import { type FilingState, initialFilingState, isTerminal } from '../../events/filing/filing-state';
import { appPrincipalIdLast6, subjectKeyOf } from '../../events/filing/filing-subject';
import { filingStatusView, type FilingStatusView } from '../../events/filing/filing-view';
import { filingStreamId } from '../../events/filing/stream-ids';
import { stageOf } from '../../events/filing/transitions';
import { chinaDateOfEpochMs } from '../../events/working-days/china-time';
import {
  BUREAU_REVIEW_WORKING_DAYS,
  PLATFORM_REVIEW_WORKING_DAYS,
  SMS_VERIFICATION_WINDOW_MS,
} from '../../events/working-days/sla';
import {
  bureauReviewUpdate,
  correctionUpdate,
  type FilingOutcome,
  type FilingWorkflowInput,
  platformReviewUpdate,
  resubmissionUpdate,
  smsVerificationUpdate,
  statusQuery,
  withdrawalUpdate,
} from './filing.definitions';
import { Mutex } from './mutex';

// A worker that dies mid-activity is only noticed when the attempt's start-to-close timeout expires,
// so these are kept near the longest a healthy attempt takes: an append waits at most 5 s for the
// SQLite lock; the others are a calendar lookup, an SQLite row, a gateway call or an allocation that
// backs off under contention for at most a few seconds. Retries back off to 10 s at most, so a filing
// resumes soon after its worker is back. (Activity options are not part of replay.)
const { appendFilingEvents } = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});
const { computeDeadline, sendSmsChallenge, checkSmsAnswer, allocateRegistrationNumber, notifyApplicant } =
  proxyActivities<Activities>({
    startToCloseTimeout: '20 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' },
  });

const nowIso = (): string => new Date(Date.now()).toISOString();

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

/**
 * One filing from submission to an issued number. Every transition is decided by the pure domain,
 * appended by an activity, and folded with the same `evolve` auditors use.
 */
export async function filingWorkflow(input: FilingWorkflowInput): Promise<FilingOutcome> {
  const { filingId } = input;
  const streamId = filingStreamId(filingId);
  let state: FilingState = initialFilingState;
  let head: StreamHead = EMPTY_STREAM;
  const appending = new Mutex();

  const view = (): FilingStatusView => filingStatusView(filingId, state, head);
  /** The workflow task (by history length) in which something this run awaited last came back. */
  let lastSettled = -1;
  const settled = (): void => {
    lastSettled = workflowInfo().historyLength;
  };

  /** Decides against the state at the moment of appending (under the lock), then appends and folds. */
  const commit = (command: FilingCommand, causationId: string): Promise<void> =>
    appending.runExclusive(async () => {
      const events = decide(command, state);
      if (events.length === 0) return;
      const occurredAt = nowIso();
      const sealed = sealFilingEventsAt(sealingSchemaVersion(), head, events, {
        filingId,
        occurredAt,
        actor: command.actor,
        correlationId: input.correlationId,
        causationId,
      });
      const appended = await appendFilingEvents({
        streamId,
        expectedRevision: head.revision < 0 ? 'no_stream' : head.revision,
        events: sealed.envelopes,
      });
      // The log holds the truth. A replay may re-seal these events with another workflow time than
      // the execution that appended them (Temporal compares no activity input), so the fold and the
      // chain go on from what was stored, as the recorded result says; older results lack it.
      settled();
      const at = appended.occurredAt ?? occurredAt;
      for (const event of events) state = evolve(state, { ...event, metadata: { occurredAt: at } });
      head = { revision: sealed.head.revision, lastHash: appended.lastHash ?? sealed.head.lastHash };
    });

  /** A system step whose moment may have passed (a human decided first): skip it, the loop re-evaluates. */
  const commitSystem = async (command: FilingCommand): Promise<void> => {
    try {
      await commit(command, `${workflowInfo().workflowId}:${command.type}:${head.revision + 1}`);
    } catch (error) {
      if (error instanceof FilingDomainError && error.code === 'wrong_stage') return;
      throw error;
    }
  };

  /**
   * Every decision's validator. A decision that reaches the run in the workflow task in which an
   * activity or timer of the run just came back is sent back for a moment. A worker that takes a run
   * over (after a crash or restart) can process that task's results in an activation of their own,
   * before the one carrying the decision, so the decision is accepted after the commands those results
   * produced; a replay of the recorded task delivers both in one activation, decision first, and fails
   * with a nondeterminism error ("Update machine does not handle this event: TimerStarted") that leaves
   * the filing stuck and unreadable (seen with @temporalio 1.24 in test/faults). That earlier activation
   * counts the history short of the task's start, while a later task starts at least 3 events on. The
   * refusal says `settling`, and the API sends the same decision again.
   */
  const validate = (command: FilingCommand): void => {
    if (workflowInfo().historyLength - lastSettled < 3) {
      throw ApplicationFailure.create({
        type: 'wrong_stage',
        message: `the filing is moving on from ${state.status}; send the decision again`,
        nonRetryable: true,
        details: [{ status: state.status, stage: stageOf(state.status), settling: true }],
      });
    }
    try {
      decide(command, state);
    } catch (error) {
      throw toFailure(error);
    }
  };
  const handle = async (command: FilingCommand): Promise<FilingStatusView> => {
    try {
      await commit(command, currentUpdateInfo()?.id ?? 'update');
      return view();
    } catch (error) {
      throw toFailure(error);
    }
  };

  const humanCommand = {
    platformReview: (a: {
      actor: Actor;
      decision: 'approve' | 'reject' | 'return';
      reasons?: string;
    }): FilingCommand => ({
      type: 'ReviewAsPlatform',
      actor: a.actor,
      decision: a.decision,
      reasons: a.reasons,
    }),
    correction: (a: { actor: Actor; form: unknown }): FilingCommand => ({
      type: 'CorrectFiling',
      actor: a.actor,
      form: a.form,
      correctedOn: chinaDateOfEpochMs(Date.now()),
    }),
    resubmission: (a: { actor: Actor; reasons?: string }): FilingCommand => ({
      type: 'ResubmitFiling',
      ...a,
    }),
    withdrawal: (a: { actor: Actor; reasons?: string }): FilingCommand => ({ type: 'WithdrawFiling', ...a }),
    bureauReview: (a: { actor: Actor; decision: 'approve' | 'reject'; reasons?: string }): FilingCommand => ({
      type: 'ReviewAsBureau',
      actor: a.actor,
      decision: a.decision,
      reasons: a.reasons,
    }),
  };

  setHandler(statusQuery, view);
  setHandler(platformReviewUpdate, (a) => handle(humanCommand.platformReview(a)), {
    validator: (a) => validate(humanCommand.platformReview(a)),
  });
  setHandler(correctionUpdate, (a) => handle(humanCommand.correction(a)), {
    validator: (a) => validate(humanCommand.correction(a)),
  });
  setHandler(resubmissionUpdate, (a) => handle(humanCommand.resubmission(a)), {
    validator: (a) => validate(humanCommand.resubmission(a)),
  });
  setHandler(withdrawalUpdate, (a) => handle(humanCommand.withdrawal(a)), {
    validator: (a) => validate(humanCommand.withdrawal(a)),
  });
  setHandler(bureauReviewUpdate, (a) => handle(humanCommand.bureauReview(a)), {
    validator: (a) => validate(humanCommand.bureauReview(a)),
  });
  setHandler(
    smsVerificationUpdate,
    async ({ actor, sealedAnswer }) => {
      try {
        // The check may run concurrently; counting happens in decide under the append lock, so five
        // concurrent wrong guesses count as five attempts and a sixth finds the filing returned.
        const challengeId = state.status === 'sms_verification' ? state.challengeId : '';
        const outcome = await checkSmsAnswer({ challengeId, sealedAnswer, at: nowIso() });
        settled();
        await commit(
          { type: 'RecordSmsCheck', actor, challengeId, outcome },
          currentUpdateInfo()?.id ?? 'sms',
        );
      } catch (error) {
        throw toFailure(error);
      }
      const current = view();
      return {
        verified: state.status === 'sms_verified',
        attemptsLeft: current.smsAttemptsLeft ?? 0,
        status: current,
      };
    },
    {
      validator: ({ actor }) => {
        const challengeId = state.status === 'sms_verification' ? state.challengeId : '';
        validate({ type: 'RecordSmsCheck', actor, challengeId, outcome: 'mismatch' });
      },
    },
  );

  try {
    await commit(
      {
        type: 'SubmitFiling',
        actor: input.actor,
        filingId,
        form: input.form,
        submittedOn: chinaDateOfEpochMs(Date.now()),
      },
      input.actionId,
    );
  } catch (error) {
    throw toFailure(error);
  }

  while (!isTerminal(state)) await advance();
  // Let in-flight update handlers finish and reply before the run completes.
  await condition(() => appending.idle);
  return { status: state.status, registrationNumber: view().registrationNumber, revision: head.revision };

  async function advance(): Promise<void> {
    const s = state;
    const changed = (): boolean => state !== s;
    switch (s.status) {
      case 'submitted': {
        // The allowance the deadline is computed with is the one the event records.
        const workingDays = PLATFORM_REVIEW_WORKING_DAYS;
        const due = await computeDeadline({ from: nowIso(), workingDays });
        settled();
        return commitSystem({
          type: 'StartPlatformReview',
          actor: SYSTEM_ACTOR,
          deadline: { dueAt: due.dueAt, provisional: due.provisional, workingDays },
        });
      }
      case 'platform_review':
      case 'bureau_review': {
        if (s.review.overdue) return void (await condition(changed));
        const remaining = Date.parse(s.review.dueAt) - Date.now();
        if (remaining > 0 && (await condition(changed, remaining))) return;
        settled();
        const type = s.status === 'platform_review' ? 'FlagPlatformReviewOverdue' : 'FlagBureauReviewOverdue';
        return commitSystem({ type, actor: SYSTEM_ACTOR });
      }
      case 'returned_for_correction':
      case 'returned_to_platform':
        return void (await condition(changed));
      case 'platform_approved': {
        const challengeId = `${filingId}:sms:${s.smsRound + 1}`;
        const sent = await sendSmsChallenge({
          challengeId,
          mobile: s.form.appPrincipal.mobile,
          idLast6: appPrincipalIdLast6(s.form),
          appName: s.appName,
          ttlMs: SMS_VERIFICATION_WINDOW_MS,
          at: nowIso(),
        });
        settled();
        return commitSystem({
          type: 'RecordSmsSent',
          actor: SYSTEM_ACTOR,
          challengeId,
          expiresAt: sent.expiresAt,
        });
      }
      case 'sms_verification': {
        const remaining = Date.parse(s.expiresAt) - Date.now();
        if (remaining > 0 && (await condition(changed, remaining))) return;
        settled();
        return commitSystem({ type: 'ExpireSmsChallenge', actor: SYSTEM_ACTOR, challengeId: s.challengeId });
      }
      case 'sms_verified': {
        const workingDays = BUREAU_REVIEW_WORKING_DAYS;
        const due = await computeDeadline({ from: nowIso(), workingDays });
        settled();
        return commitSystem({
          type: 'StartBureauReview',
          actor: SYSTEM_ACTOR,
          deadline: { dueAt: due.dueAt, provisional: due.provisional, workingDays },
        });
      }
      case 'bureau_approved': {
        const numbers = await allocateRegistrationNumber({
          filingId,
          provinceCode: s.province,
          subjectKey: subjectKeyOf(s.form),
          serviceType: s.serviceType,
          existingSubjectNumber: s.form.existingSubjectNumber,
          year: Number(chinaDateOfEpochMs(Date.now()).slice(0, 4)),
        });
        settled();
        return commitSystem({ type: 'IssueRegistrationNumber', actor: SYSTEM_ACTOR, ...numbers });
      }
      case 'registered':
        return commitSystem({ type: 'PublishRegistration', actor: SYSTEM_ACTOR });
      case 'published': {
        const notified = await notifyApplicant({
          filingId,
          mobile: s.form.appPrincipal.mobile,
          email: s.form.appPrincipal.email,
          appName: s.appName,
          registrationNumber: s.serviceNumber,
        });
        settled();
        return commitSystem({ type: 'NotifyApplicant', actor: SYSTEM_ACTOR, channels: notified.channels });
      }
      case 'not_submitted':
      case 'completed':
      case 'rejected':
      case 'withdrawn':
        return;
      default: {
        const unreachable: never = s;
        throw new Error(`unhandled status ${JSON.stringify(unreachable)}`);
      }
    }
  }
}
