import { condition, patched } from '@temporalio/workflow';
import { SYSTEM_ACTOR } from '../../events/filing/actor';
import type { FilingStateOf, FilingStatus } from '../../events/filing/filing-state';
import { subjectKeyOf } from '../../events/filing/filing-subject';
import { idLast6Of, smsRecipientOf } from '../../events/filing/sms-recipient';
import type { RegistrationForm } from '../../events/form/registration-form';
import type { FiledService } from '../../activities/registration-numbers/allocation-request';
import type { RegistryUpdateRequest } from '../../activities/registry-updates/registry-update-request';
import { scheduledSmsResendAt } from '../../events/filing/sms-resend';
import { preApprovalCategoriesOf, serviceIdentifiersOf } from '../../events/registry/service-identifiers';
import { chinaDateOfEpochMs } from '../../events/working-days/china-time';
import {
  BUREAU_REVIEW_WORKING_DAYS,
  PLATFORM_REVIEW_WORKING_DAYS,
  SMS_VERIFICATION_WINDOW_MS,
} from '../../events/working-days/sla';
import { type FilingRun, nowIso } from './filing-run';

/**
 * What the run does while a filing is in one status: an activity whose result it records, or a wait
 * for a decision (or for a deadline, which it records as overdue or expired). Each step runs once per
 * status it finds; the loop calls the next when the state has moved.
 */
type Step<S extends FilingStatus> = (run: FilingRun, s: FilingStateOf<S>) => Promise<void>;

export async function startPlatformReview(run: FilingRun): Promise<void> {
  // The allowance the deadline is computed with is the one the event records.
  const workingDays = PLATFORM_REVIEW_WORKING_DAYS;
  const due = await run.activities.computeDeadline({ from: nowIso(), workingDays });
  return run.commitSystem({
    type: 'StartPlatformReview',
    actor: SYSTEM_ACTOR,
    deadline: { dueAt: due.dueAt, provisional: due.provisional, workingDays },
  });
}

/** A review waits for its decision; at its working-day deadline it is flagged overdue, once. */
export async function awaitReview(
  run: FilingRun,
  s: FilingStateOf<'platform_review' | 'bureau_review'>,
): Promise<void> {
  if (s.review.overdue) return void (await condition(run.movedFrom(s)));
  const waiting = run.movedBefore(s, s.review.dueAt);
  if (waiting !== false && (await waiting)) return;
  const type = s.status === 'platform_review' ? 'FlagPlatformReviewOverdue' : 'FlagBureauReviewOverdue';
  return run.commitSystem({ type, actor: SYSTEM_ACTOR });
}

/** Returned to the platform (for correction, or after the SMS check failed): its move. */
export async function awaitPlatform(
  run: FilingRun,
  s: FilingStateOf<'returned_for_correction' | 'returned_to_platform'>,
): Promise<void> {
  return void (await condition(run.movedFrom(s)));
}

export async function sendSmsChallenge(run: FilingRun, s: FilingStateOf<'platform_approved'>): Promise<void> {
  const challengeId = `${run.filingId}:sms:${s.smsRound + 1}`;
  // The subject's principal for a filing acting on the subject, else the app's: code and ID suffix alike.
  const recipient = smsRecipientOf(s);
  const sent = await run.activities.sendSmsChallenge({
    challengeId,
    mobile: recipient.mobile,
    idLast6: idLast6Of(recipient),
    appName: s.appName,
    ttlMs: SMS_VERIFICATION_WINDOW_MS,
    at: nowIso(),
  });
  return run.commitSystem({
    type: 'RecordSmsSent',
    actor: SYSTEM_ACTOR,
    challengeId,
    expiresAt: sent.expiresAt,
  });
}

/**
 * Runs recorded before the noon resend waited for the answer or the expiry only; replaying them must
 * start the same one timer. From this patch on, a round whose window is still open at noon China time
 * the next day first waits for that noon and sends the code again (`SendScheduledSmsResend`).
 */
const SMS_AUTO_RESEND_PATCH = 'filing-sms-auto-resend';

/**
 * The noon resend still to come in this round: not sent yet, and noon not passed (a run that finds
 * noon passed on entering this status, e.g. one recorded before the patch answering a wrong code in
 * the afternoon, sends none rather than a surprise code right after the applicant's answer).
 */
function scheduledResendDue(s: FilingStateOf<'sms_verification'>): string | undefined {
  if (s.resends?.includes('scheduled')) return undefined;
  const noon = scheduledSmsResendAt(s.expiresAt);
  return noon !== undefined && Date.now() < Date.parse(noon) ? noon : undefined;
}

/**
 * The applicant answers (an update) within the window, or the challenge expires; at noon China time
 * the day after the code was sent, while the window is open, the code is sent again once.
 */
export async function awaitSmsAnswer(run: FilingRun, s: FilingStateOf<'sms_verification'>): Promise<void> {
  const noon = scheduledResendDue(s);
  if (noon !== undefined && patched(SMS_AUTO_RESEND_PATCH)) {
    const untilNoon = run.movedBefore(s, noon);
    if (untilNoon !== false && (await untilNoon)) return;
    return run.sendScheduledSmsResend();
  }
  const waiting = run.movedBefore(s, s.expiresAt);
  if (waiting !== false && (await waiting)) return;
  return run.commitSystem({ type: 'ExpireSmsChallenge', actor: SYSTEM_ACTOR, challengeId: s.challengeId });
}

export async function startBureauReview(run: FilingRun): Promise<void> {
  const workingDays = BUREAU_REVIEW_WORKING_DAYS;
  const due = await run.activities.computeDeadline({ from: nowIso(), workingDays });
  return run.commitSystem({
    type: 'StartBureauReview',
    actor: SYSTEM_ACTOR,
    deadline: { dueAt: due.dueAt, provisional: due.provisional, workingDays },
  });
}

/** The service's public facts as the form gives them, with the ISP serving it. */
function filedServiceOf(form: RegistrationForm): FiledService {
  return {
    name: form.app.name,
    identifiers: serviceIdentifiersOf(form),
    preApprovalCategories: preApprovalCategoriesOf(form),
    ispName: form.access.ispName,
  };
}

/**
 * Approved by the bureau: a new registration gets its numbers; a change, cancellation or new access
 * is applied to the registration it targets. (Runs recorded before filings had kinds are all new
 * registrations: they take the first branch, as they did.)
 */
export function settleApproval(run: FilingRun, s: FilingStateOf<'bureau_approved'>): Promise<void> {
  // Not async: no turn is added between the approval and the commands recorded histories scheduled.
  return s.kind === 'new_registration' ? issueRegistrationNumber(run, s) : applyToRegistry(run, s);
}

export async function issueRegistrationNumber(
  run: FilingRun,
  s: FilingStateOf<'bureau_approved'>,
): Promise<void> {
  const { form } = s;
  const outcome = await run.activities.allocateRegistrationNumber({
    filingId: run.filingId,
    provinceCode: s.province,
    subjectKey: subjectKeyOf(form),
    serviceType: s.serviceType,
    existingSubjectNumber: form.existingSubjectNumber,
    year: Number(chinaDateOfEpochMs(Date.now()).slice(0, 4)),
    at: nowIso(),
    service: filedServiceOf(form),
    operator: form.operator && { name: form.operator.name, nature: form.operator.nature },
  });
  // Histories recorded before refusals were answered hold no `refused` outcome: they replay as before.
  if ('refused' in outcome) {
    return run.commitSystem({ type: 'RefuseRegistrationNumber', actor: SYSTEM_ACTOR, ...outcome.refused });
  }
  return run.commitSystem({ type: 'IssueRegistrationNumber', actor: SYSTEM_ACTOR, ...outcome });
}

/** What the registry needs of each kind: a change its next version, a new access the ISP, a cancellation none. */
function registryUpdateOf(s: FilingStateOf<'bureau_approved'>): RegistryUpdateRequest {
  const { form, kind, target } = s;
  if (kind === 'new_registration' || target === undefined) {
    throw new Error(`filing ${s.filingId}: a ${kind} filing is not applied to the registry`);
  }
  return {
    filingId: s.filingId,
    kind,
    target,
    provinceCode: s.province,
    subjectKey: subjectKeyOf(form),
    at: nowIso(),
    ...(kind === 'change' && {
      service: filedServiceOf(form),
      ...(form.operator && { operator: { name: form.operator.name, nature: form.operator.nature } }),
    }),
    ...(kind !== 'cancellation' && { ispName: form.access.ispName }),
  };
}

/** The registry applies the filing (idempotently), or refuses it because it no longer fits. */
export async function applyToRegistry(run: FilingRun, s: FilingStateOf<'bureau_approved'>): Promise<void> {
  const outcome = await run.activities.applyFilingToRegistry(registryUpdateOf(s));
  if ('refused' in outcome) {
    return run.commitSystem({ type: 'RefuseRegistrationNumber', actor: SYSTEM_ACTOR, ...outcome.refused });
  }
  const { subjectNumber, serviceNumbers } = outcome;
  return run.commitSystem({ type: 'ApplyToRegistry', actor: SYSTEM_ACTOR, subjectNumber, serviceNumbers });
}

export async function publishRegistration(run: FilingRun): Promise<void> {
  return run.commitSystem({ type: 'PublishRegistration', actor: SYSTEM_ACTOR });
}

export async function notifyApplicant(run: FilingRun, s: FilingStateOf<'published'>): Promise<void> {
  const recipient = smsRecipientOf(s);
  const notified = await run.activities.notifyApplicant({
    filingId: run.filingId,
    mobile: recipient.mobile,
    email: recipient.email,
    appName: s.appName,
    registrationNumber: s.serviceNumber,
    kind: s.kind,
    serviceType: s.serviceType,
  });
  return run.commitSystem({ type: 'NotifyApplicant', actor: SYSTEM_ACTOR, channels: notified.channels });
}

/** Not submitted yet, or closed: nothing to do (the loop does not run then). */
export async function nothing(): Promise<void> {}

export type Steps = { readonly [S in FilingStatus]: Step<S> };
