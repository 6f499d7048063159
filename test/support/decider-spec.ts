import { expect } from '@jest/globals';
import { decide } from '../../events/filing/decide';
import { evolve, type TimedFilingEvent } from '../../events/filing/evolve';
import type { FilingCommand } from '../../events/filing/filing-commands';
import { FilingDomainError, type FilingErrorCode } from '../../events/filing/filing-errors';
import type { FilingEvent } from '../../events/filing/filing-events';
import { type FilingState, initialFilingState } from '../../events/filing/filing-state';
import { BUREAU_REVIEW_WORKING_DAYS, PLATFORM_REVIEW_WORKING_DAYS } from '../../events/working-days/sla';

/**
 * Given/when/then for the filing decider (Emmett style), for tests only:
 *
 *   given(...history).when(command).then(...expectedEvents)
 *   given(...history).when(command).thenThrows('wrong_stage')
 *
 * `given` is folded with `evolve`; event n happens at `occurredAtOf(n)`, one minute after event n - 1.
 * `expect` comes from `@jest/globals` so this file also type-checks in the production build.
 */

/** When the first `given` event happens. */
export const GIVEN_EPOCH = '2026-11-30T02:00:00.000Z';

/** The fixed, increasing time of the `index`-th event of a history. */
export function occurredAtOf(index: number): string {
  return new Date(Date.parse(GIVEN_EPOCH) + index * 60_000).toISOString();
}

/** The events with the metadata the fold reads: event n at `occurredAtOf(from + n)`. */
export function timed(events: readonly FilingEvent[], from = 0): TimedFilingEvent[] {
  return events.map((event, index) => ({ ...event, metadata: { occurredAt: occurredAtOf(from + index) } }));
}

/** The state after a history, folded from `not_submitted`. */
export function stateAfter(...events: FilingEvent[]): FilingState {
  return timed(events).reduce(evolve, initialFilingState);
}

export interface DeciderWhen {
  /** `decide` produces exactly these events (none, when called without arguments), and `evolve` accepts them. */
  then(...expected: FilingEvent[]): void;
  /** `decide` refuses with a FilingDomainError of this code (and, if given, these details). */
  thenThrows(code: FilingErrorCode, details?: FilingDomainError['details']): void;
}

export interface DeciderGiven {
  when(command: FilingCommand): DeciderWhen;
}

export function given(...history: FilingEvent[]): DeciderGiven {
  return {
    when(command) {
      const state = stateAfter(...history);
      return {
        then(...expected) {
          const produced = decide(command, state);
          expect(produced).toEqual(expected);
          // What decide produces must be a history the fold accepts.
          expect(() => timed(produced, history.length).reduce(evolve, state)).not.toThrow();
        },
        thenThrows(code, details) {
          let thrown: unknown;
          let produced: FilingEvent[] | undefined;
          try {
            produced = decide(command, state);
          } catch (error) {
            thrown = error;
          }
          expect(produced).toBeUndefined();
          expect(thrown).toBeInstanceOf(FilingDomainError);
          const error = thrown as FilingDomainError;
          expect({ code: error.code, message: error.message }).toEqual({ code, message: expect.any(String) });
          if (details) expect(error.details).toMatchObject(details);
        },
      };
    },
  };
}

/* Sample histories: one way into every status, for the filing a `FilingSubmitted` event describes. */

/** Review deadlines as the workflow passes them (and the events record them): with their allowance. */
export const PLATFORM_REVIEW_DUE = {
  dueAt: '2026-12-02T16:00:00.000Z',
  provisional: false,
  workingDays: PLATFORM_REVIEW_WORKING_DAYS,
} as const;
export const BUREAU_REVIEW_DUE = {
  dueAt: '2026-12-28T16:00:00.000Z',
  provisional: false,
  workingDays: BUREAU_REVIEW_WORKING_DAYS,
} as const;
export const FIRST_CHALLENGE = 'sms-challenge-1';
export const SMS_EXPIRES_AT = '2026-12-02T03:00:00.000Z';
export const SUBJECT_NUMBER = '粤ICP备2026000123号';
export const SERVICE_NUMBER = '粤ICP备2026000123号-1A';

/** For every status, a history that ends in it (the happy path where there is one). */
export function historiesByStatus(
  submitted: Extract<FilingEvent, { type: 'FilingSubmitted' }>,
): Record<FilingState['status'], FilingEvent[]> {
  const { data } = submitted;
  const platformReview: FilingEvent[] = [
    submitted,
    { type: 'PlatformReviewStarted', data: { ...PLATFORM_REVIEW_DUE, round: 1 } },
  ];
  const platformApproved: FilingEvent[] = [...platformReview, { type: 'PlatformReviewApproved', data: {} }];
  const smsVerification: FilingEvent[] = [
    ...platformApproved,
    {
      type: 'SmsVerificationSent',
      data: { challengeId: FIRST_CHALLENGE, round: 1, expiresAt: SMS_EXPIRES_AT },
    },
  ];
  const smsVerified: FilingEvent[] = [
    ...smsVerification,
    { type: 'SmsVerified', data: { challengeId: FIRST_CHALLENGE } },
  ];
  const bureauReview: FilingEvent[] = [
    ...smsVerified,
    { type: 'BureauReviewStarted', data: { ...BUREAU_REVIEW_DUE, province: data.province } },
  ];
  const bureauApproved: FilingEvent[] = [...bureauReview, { type: 'BureauReviewApproved', data: {} }];
  const registered: FilingEvent[] = [
    ...bureauApproved,
    {
      type: 'RegistrationNumberIssued',
      data: { subjectNumber: SUBJECT_NUMBER, serviceNumber: SERVICE_NUMBER },
    },
  ];
  const published: FilingEvent[] = [
    ...registered,
    {
      type: 'RegistrationPublished',
      data: {
        registrationNumber: SERVICE_NUMBER,
        appName: data.appName,
        serviceType: data.serviceType,
        operatorName: data.form.operator?.name ?? SUBJECT_NUMBER,
        province: data.province,
      },
    },
  ];
  return {
    not_submitted: [],
    submitted: [submitted],
    platform_review: platformReview,
    returned_for_correction: [
      ...platformReview,
      { type: 'FilingReturnedForCorrection', data: { reasons: '应用服务内容与截图不符' } },
    ],
    platform_approved: platformApproved,
    sms_verification: smsVerification,
    returned_to_platform: [
      ...smsVerification,
      { type: 'SmsVerificationExpired', data: { challengeId: FIRST_CHALLENGE, expiresAt: SMS_EXPIRES_AT } },
      { type: 'FilingReturnedToPlatform', data: { reason: 'sms_expired' } },
    ],
    sms_verified: smsVerified,
    bureau_review: bureauReview,
    bureau_approved: bureauApproved,
    registered,
    published,
    completed: [...published, { type: 'ApplicantNotified', data: { channels: ['sms', 'email'] } }],
    rejected: [
      ...bureauReview,
      { type: 'BureauReviewRejected', data: { reasons: '主办单位信息与证件不一致' } },
    ],
    withdrawn: [...platformReview, { type: 'FilingWithdrawn', data: {} }],
  };
}
