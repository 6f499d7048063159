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

export const decideStartBureauReview: Decider<'StartBureauReview'> = (command, state) => {
  const verified = requireStatus(state, ['sms_verified'], 'starting bureau review');
  return [
    {
      type: 'BureauReviewStarted',
      data: { ...reviewDeadline(command.deadline), province: verified.province },
    },
  ];
};

export const decideFlagBureauReviewOverdue: Decider<'FlagBureauReviewOverdue'> = (_command, state) => {
  const { review } = requireStatus(state, ['bureau_review'], 'flagging bureau review overdue');
  return review.overdue ? [] : [{ type: 'BureauReviewOverdue', data: { dueAt: review.dueAt } }];
};

export const decideReviewAsBureau: Decider<'ReviewAsBureau'> = (command, state) => {
  requireScope(command.actor, submittedState(state, 'a bureau review decision'));
  requireStatus(state, ['bureau_review'], `a bureau review decision (${command.decision})`);
  const decision = command.decision;
  switch (decision) {
    case 'approve':
      refuseFieldReasons(command);
      return [
        { type: 'BureauReviewApproved', data: withReasons(reasonsOf(command.reasons, false, 'approve')) },
      ];
    case 'reject':
      return [{ type: 'BureauReviewRejected', data: reviewReasonsOf(command, 'reject') }];
    case 'return': {
      // A return names what to correct: the explanation and at least one field.
      const { reasons, fieldReasons = [] } = reviewReasonsOf(command, 'return', true);
      return [{ type: 'BureauReviewReturned', data: { reasons, fieldReasons } }];
    }
    default:
      return assertNever(decision, 'bureau decision');
  }
};
