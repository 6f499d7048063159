import { assertNever } from '../assert-never';
import { FILING_COMMAND_RULES } from './command-rules';
import {
  decideFlagBureauReviewOverdue,
  decideReviewAsBureau,
  decideStartBureauReview,
} from './decide/bureau-review';
import { requireRole } from './decide/guards';
import {
  decideApplyToRegistry,
  decideIssueRegistrationNumber,
  decideNotifyApplicant,
  decidePublishRegistration,
  decideRefuseRegistrationNumber,
} from './decide/issuance';
import {
  decideFlagPlatformReviewOverdue,
  decideReviewAsPlatform,
  decideStartPlatformReview,
} from './decide/platform-review';
import {
  decideRequestSmsResend,
  decideSendScheduledSmsResend,
  decideExpireSmsChallenge,
  decideRecordSmsCheck,
  decideRecordSmsSent,
} from './decide/sms-verification';
import {
  decideCorrectFiling,
  decideResubmitFiling,
  decideSubmitFiling,
  decideWithdrawFiling,
} from './decide/submission';
import type { FilingCommand } from './filing-commands';
import type { FilingEvent } from './filing-events';
import type { FilingState } from './filing-state';

/**
 * Pure: which events a command produces in a state, or a FilingDomainError saying why none. The
 * actor's role is checked against FILING_COMMAND_RULES first; each command's decider does the rest.
 */
export function decide(command: FilingCommand, state: FilingState): FilingEvent[] {
  requireRole(command.actor, FILING_COMMAND_RULES[command.type]);
  switch (command.type) {
    case 'SubmitFiling':
      return decideSubmitFiling(command, state);
    case 'StartPlatformReview':
      return decideStartPlatformReview(command, state);
    case 'FlagPlatformReviewOverdue':
      return decideFlagPlatformReviewOverdue(command, state);
    case 'ReviewAsPlatform':
      return decideReviewAsPlatform(command, state);
    case 'CorrectFiling':
      return decideCorrectFiling(command, state);
    case 'RecordSmsSent':
      return decideRecordSmsSent(command, state);
    case 'RecordSmsCheck':
      return decideRecordSmsCheck(command, state);
    case 'ExpireSmsChallenge':
      return decideExpireSmsChallenge(command, state);
    case 'RequestSmsResend':
      return decideRequestSmsResend(command, state);
    case 'SendScheduledSmsResend':
      return decideSendScheduledSmsResend(command, state);
    case 'ResubmitFiling':
      return decideResubmitFiling(command, state);
    case 'StartBureauReview':
      return decideStartBureauReview(command, state);
    case 'FlagBureauReviewOverdue':
      return decideFlagBureauReviewOverdue(command, state);
    case 'ReviewAsBureau':
      return decideReviewAsBureau(command, state);
    case 'IssueRegistrationNumber':
      return decideIssueRegistrationNumber(command, state);
    case 'RefuseRegistrationNumber':
      return decideRefuseRegistrationNumber(command, state);
    case 'ApplyToRegistry':
      return decideApplyToRegistry(command, state);
    case 'PublishRegistration':
      return decidePublishRegistration(command, state);
    case 'NotifyApplicant':
      return decideNotifyApplicant(command, state);
    case 'WithdrawFiling':
      return decideWithdrawFiling(command, state);
    default:
      return assertNever(command, 'filing command');
  }
}
