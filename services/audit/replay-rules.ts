import type { FilingEvent, RecordedActorScope } from '../../events/filing/filing-events';
import { EVENT_RECORDER_ROLES } from '../../events/filing/event-actors';
import type { FilingState } from '../../events/filing/filing-state';
import { MAX_SMS_FAILED_ATTEMPTS } from '../../events/filing/filing-state';
import { type WorkingDayCalendar, addWorkingDays } from '../../events/working-days';
import {
  BUREAU_REVIEW_WORKING_DAYS,
  PLATFORM_REVIEW_WORKING_DAYS,
  SMS_VERIFICATION_WINDOW_MS,
} from '../../events/working-days/sla';
import type { AuditRule } from './audit-report';

/** A rule broken by one event; the caller adds the seq. */
export interface Breach {
  rule: AuditRule;
  message: string;
}

/** What the rules look at besides the event: the state before it and the moments around it. */
export interface RuleContext {
  state: FilingState;
  event: FilingEvent;
  actor: RecordedActorScope;
  schemaVersion: number;
  occurredAt: string;
  /** occurredAt of the event before (the filing's own previous transition). */
  previousAt?: string;
  /** When the SMS now being answered was sent. */
  smsSentAt?: string;
  calendar: WorkingDayCalendar;
}

const ms = (iso: string): number => Date.parse(iso);

export function actorBreaches(context: RuleContext): Breach[] {
  const { event, actor, state, schemaVersion } = context;
  const allowed = EVENT_RECORDER_ROLES[event.type];
  if (!allowed.includes(actor.role)) {
    return [
      {
        rule: 'actor_role',
        message: `${event.type} recorded by role ${actor.role}; only ${allowed.join(' or ')} may`,
      },
    ];
  }
  const platformId =
    event.type === 'FilingSubmitted'
      ? event.data.platformId
      : state.status === 'not_submitted'
        ? undefined
        : state.platformId;
  const province = state.status === 'not_submitted' ? undefined : state.province;
  if (actor.role === 'platform') {
    if (actor.platformId === undefined) {
      return schemaVersion >= 2
        ? [{ rule: 'actor_scope', message: 'platform actor recorded without its platform' }]
        : [];
    }
    if (actor.platformId !== platformId) {
      return [
        {
          rule: 'actor_scope',
          message: `recorded by platform ${actor.platformId}; the filing is ${platformId}’s`,
        },
      ];
    }
  }
  if (actor.role === 'bureau') {
    if (actor.province === undefined) {
      return schemaVersion >= 2
        ? [{ rule: 'actor_scope', message: 'bureau actor recorded without its province' }]
        : [];
    }
    if (actor.province !== province) {
      return [
        {
          rule: 'actor_scope',
          message: `recorded by the bureau of ${actor.province}; the filing is ${province}’s`,
        },
      ];
    }
  }
  return [];
}

function reviewStartBreaches(
  context: RuleContext,
  deadline: { dueAt: string; provisional: boolean; workingDays: number },
  rule: number,
  what: string,
): Breach[] {
  if (deadline.workingDays !== rule) {
    return [
      {
        rule: 'deadline_mismatch',
        message: `${what} allowed ${deadline.workingDays} working days; the rule is ${rule}`,
      },
    ];
  }
  // A deadline for a year whose holidays were not announced yet may differ from today's calendar.
  if (deadline.provisional) return [];
  const from = context.previousAt ?? context.occurredAt;
  const earliest = addWorkingDays(from, rule, context.calendar).dueAt;
  const latest =
    from === context.occurredAt ? earliest : addWorkingDays(context.occurredAt, rule, context.calendar).dueAt;
  if (ms(deadline.dueAt) < ms(earliest) || ms(deadline.dueAt) > ms(latest)) {
    return [
      {
        rule: 'deadline_mismatch',
        message: `${what} due ${deadline.dueAt}; ${rule} working days from its start end at ${latest}`,
      },
    ];
  }
  return [];
}

function overdueBreaches(context: RuleContext, dueAt: string): Breach[] {
  const { state } = context;
  if (state.status !== 'platform_review' && state.status !== 'bureau_review') return [];
  const breaches: Breach[] = [];
  if (dueAt !== state.review.dueAt) {
    breaches.push({
      rule: 'overdue_due_mismatch',
      message: `flagged overdue against ${dueAt}; the review was due ${state.review.dueAt}`,
    });
  }
  if (ms(context.occurredAt) < ms(state.review.dueAt)) {
    breaches.push({
      rule: 'overdue_early',
      message: `flagged overdue at ${context.occurredAt}, before the review was due (${state.review.dueAt})`,
    });
  }
  return breaches;
}

/** A review left (or decided) after its due time must have been flagged overdue first. */
function missingOverdue(context: RuleContext): Breach[] {
  const { state, event } = context;
  if (state.status !== 'platform_review' && state.status !== 'bureau_review') return [];
  if (event.type === 'PlatformReviewOverdue' || event.type === 'BureauReviewOverdue') return [];
  if (state.review.overdue || ms(context.occurredAt) <= ms(state.review.dueAt)) return [];
  return [
    {
      rule: 'overdue_missing',
      message: `${event.type} at ${context.occurredAt}, after the review was due (${state.review.dueAt}), with no overdue flag`,
    },
  ];
}

function smsBreaches(context: RuleContext): Breach[] {
  const { state, event, occurredAt } = context;
  switch (event.type) {
    case 'SmsVerificationSent': {
      const latest = ms(occurredAt) + SMS_VERIFICATION_WINDOW_MS;
      const earliest = ms(context.previousAt ?? occurredAt) + SMS_VERIFICATION_WINDOW_MS;
      const expires = ms(event.data.expiresAt);
      return expires > latest || expires < earliest
        ? [
            {
              rule: 'sms_window',
              message: `SMS sent at ${occurredAt} expires ${event.data.expiresAt}, not 24 h later`,
            },
          ]
        : [];
    }
    case 'SmsVerified':
    case 'SmsVerificationFailed': {
      if (state.status !== 'sms_verification') return [];
      const sentAt = context.smsSentAt;
      const closes = Math.min(
        ms(state.expiresAt),
        sentAt ? ms(sentAt) + SMS_VERIFICATION_WINDOW_MS : Infinity,
      );
      const breaches: Breach[] =
        ms(occurredAt) > closes
          ? [
              {
                rule: 'sms_window',
                message: `${event.type} at ${occurredAt}, after the 24-hour window closed (${new Date(closes).toISOString()})`,
              },
            ]
          : [];
      if (event.type === 'SmsVerificationFailed') {
        const expected = state.failedAttempts + 1;
        const { failedAttempts, attemptsLeft } = event.data;
        if (
          failedAttempts !== expected ||
          expected > MAX_SMS_FAILED_ATTEMPTS ||
          attemptsLeft !== MAX_SMS_FAILED_ATTEMPTS - expected
        ) {
          breaches.push({
            rule: 'sms_attempts',
            message: `failed attempt recorded as ${failedAttempts} (${attemptsLeft} left); it is attempt ${expected} of at most ${MAX_SMS_FAILED_ATTEMPTS}`,
          });
        }
      }
      return breaches;
    }
    case 'SmsVerificationResent':
      return resendBreaches(context, event.data);
    case 'SmsVerificationExpired':
      if (state.status !== 'sms_verification') return [];
      return ms(occurredAt) < ms(state.expiresAt)
        ? [{ rule: 'sms_expired_early', message: `expired at ${occurredAt}, before ${state.expiresAt}` }]
        : [];
    default:
      return [];
  }
}

/**
 * A resent code keeps the round's window, is sent while it is open, and by the role its trigger
 * names: the platform asks (`requested`), the process sends at noon (`scheduled`).
 */
function resendBreaches(
  context: RuleContext,
  data: { trigger: 'requested' | 'scheduled'; expiresAt: string },
): Breach[] {
  const { state, occurredAt, actor } = context;
  const breaches: Breach[] = [];
  const role = data.trigger === 'requested' ? 'platform' : 'system';
  if (actor.role !== role) {
    breaches.push({
      rule: 'actor_role',
      message: `a ${data.trigger} SMS resend recorded by role ${actor.role}; only ${role} may`,
    });
  }
  if (state.status !== 'sms_verification') return breaches;
  if (data.expiresAt !== state.expiresAt) {
    breaches.push({
      rule: 'sms_window',
      message: `a resent code expires ${data.expiresAt}; the round's window closes ${state.expiresAt}`,
    });
  }
  if (ms(occurredAt) >= ms(state.expiresAt)) {
    breaches.push({
      rule: 'sms_window',
      message: `SMS resent at ${occurredAt}, after the window closed (${state.expiresAt})`,
    });
  }
  return breaches;
}

/** Every time rule the event breaks, given the state before it. */
export function timeBreaches(context: RuleContext): Breach[] {
  const { event } = context;
  const breaches = [...missingOverdue(context), ...smsBreaches(context)];
  if (event.type === 'PlatformReviewStarted') {
    breaches.push(
      ...reviewStartBreaches(context, event.data, PLATFORM_REVIEW_WORKING_DAYS, 'platform review'),
    );
  } else if (event.type === 'BureauReviewStarted') {
    breaches.push(...reviewStartBreaches(context, event.data, BUREAU_REVIEW_WORKING_DAYS, 'bureau review'));
  } else if (event.type === 'PlatformReviewOverdue' || event.type === 'BureauReviewOverdue') {
    breaches.push(...overdueBreaches(context, event.data.dueAt));
  }
  return breaches;
}
