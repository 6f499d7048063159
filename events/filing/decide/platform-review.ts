import { assertNever } from '../../assert-never';
import type { Decider } from '../command-rules';
import {
  reasonsOf,
  refuseFieldReasons,
  requireScope,
  requireStatus,
  reviewDeadline,
  reviewReasonsOf,
  submittedState,
  withReasons,
} from './guards';

export const decideStartPlatformReview: Decider<'StartPlatformReview'> = (command, state) => {
  const reviewable = requireStatus(state, ['submitted'], 'starting platform review');
  return [
    {
      type: 'PlatformReviewStarted',
      data: { ...reviewDeadline(command.deadline), round: reviewable.platformReviewRound + 1 },
    },
  ];
};

export const decideFlagPlatformReviewOverdue: Decider<'FlagPlatformReviewOverdue'> = (_command, state) => {
  const { review } = requireStatus(state, ['platform_review'], 'flagging platform review overdue');
  return review.overdue ? [] : [{ type: 'PlatformReviewOverdue', data: { dueAt: review.dueAt } }];
};

export const decideReviewAsPlatform: Decider<'ReviewAsPlatform'> = (command, state) => {
  requireScope(command.actor, submittedState(state, 'a platform review decision'));
  requireStatus(state, ['platform_review'], `a platform review decision (${command.decision})`);
  const decision = command.decision;
  switch (decision) {
    case 'approve':
      refuseFieldReasons(command);
      return [
        { type: 'PlatformReviewApproved', data: withReasons(reasonsOf(command.reasons, false, 'approve')) },
      ];
    case 'reject':
      return [{ type: 'PlatformReviewRejected', data: reviewReasonsOf(command, 'reject') }];
    case 'return':
      return [{ type: 'FilingReturnedForCorrection', data: reviewReasonsOf(command, 'return') }];
    default:
      return assertNever(decision, 'platform decision');
  }
};
