import type { RegistrationForm } from '../../form/registration-form';
import type { Decider } from '../command-rules';
import { operatorCertificateOf } from '../filing-subject';
import { FilingDomainError } from '../filing-errors';
import type { FilingTarget, RegistrationFilingKind } from '../filing-kind';
import { isFilingKind } from '../filing-kind';
import type { FilingState, FilingStatus, SubmittedFilingState } from '../filing-state';
import { stageOf } from '../transitions';
import {
  provinceOf,
  reasonsOf,
  requireScope,
  requireStatus,
  submittedState,
  validForm,
  withReasons,
} from './guards';

/** The platform's commands on the filing itself: submit, correct, resubmit, withdraw. */

export const decideSubmitFiling: Decider<'SubmitFiling'> = (command, state) => {
  const { actor } = command;
  requireStatus(state, ['not_submitted'], 'submitting');
  if (!actor.platformId) throw new FilingDomainError('forbidden_role', 'a platform actor needs a platformId');
  const acting = kindAndTarget(command.kind, command.target);
  const reasons = reasonsOf(command.reasons, false, 'submit');
  if (reasons !== undefined && acting.kind === undefined) {
    throw invalidTarget('a new registration states no reasons', 'reasons', 'absent');
  }
  const form = validForm(command.form, command.submittedOn);
  return [
    {
      type: 'FilingSubmitted',
      data: {
        filingId: command.filingId,
        platformId: actor.platformId,
        province: provinceOf(form),
        serviceType: form.serviceType,
        appName: form.app.name,
        form,
        ...acting,
        ...withReasons(reasons),
      },
    },
  ];
};

/** The registration a filing of another kind acts on is the certificate's: it stays through corrections. */
function certificateChanged(before: RegistrationForm, after: RegistrationForm): boolean {
  const was = operatorCertificateOf(before);
  const is = operatorCertificateOf(after);
  return was.type !== is.type || was.number !== is.number;
}

function invalidTarget(message: string, field: string, rule: string): FilingDomainError {
  return new FilingDomainError('invalid_command', message, { field, rule });
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/**
 * What a submission records of its kind: nothing for a new registration (as every filing before the
 * other kinds existed), else the kind and the registration it targets, exactly its known fields. A
 * target is required iff the kind is not a new registration; a change or new access names a service.
 */
function kindAndTarget(
  kind: unknown,
  target: unknown,
): { kind?: RegistrationFilingKind; target?: FilingTarget } {
  if (kind !== undefined && !isFilingKind(kind)) {
    throw invalidTarget(`kind ${JSON.stringify(kind)} is not a filing kind`, 'kind', 'one_of');
  }
  if (kind === undefined || kind === 'new_registration') {
    if (target !== undefined) throw invalidTarget('a new registration has no target', 'target', 'absent');
    return {};
  }
  return { kind, target: validTarget(kind, target) };
}

function validTarget(kind: RegistrationFilingKind, target: unknown): FilingTarget {
  if (typeof target !== 'object' || target === null) {
    throw invalidTarget(`a ${kind} filing names the registration it acts on`, 'target', 'required');
  }
  const { subjectNumber, serviceNumber, alters, baseFilingId } = target as Record<string, unknown>;
  if (!isText(subjectNumber))
    throw invalidTarget('target.subjectNumber is required', 'target.subjectNumber', 'required');
  if (serviceNumber !== undefined && !isText(serviceNumber)) {
    throw invalidTarget('target.serviceNumber must be text', 'target.serviceNumber', 'text');
  }
  if (serviceNumber === undefined && kind !== 'cancellation') {
    throw invalidTarget(`a ${kind} filing names a service`, 'target.serviceNumber', 'required');
  }
  if (baseFilingId !== undefined && !isText(baseFilingId)) {
    throw invalidTarget('target.baseFilingId must be text', 'target.baseFilingId', 'text');
  }
  return {
    subjectNumber,
    ...(serviceNumber !== undefined && { serviceNumber }),
    ...(kind === 'change' && { alters: validAlters(alters) }),
    ...(baseFilingId !== undefined && { baseFilingId }),
  };
}

/** A change says what it alters (from the difference computed at submission): something must change. */
function validAlters(alters: unknown): { subject: boolean; service: boolean } {
  const { subject, service } = (typeof alters === 'object' && alters !== null ? alters : {}) as Record<
    string,
    unknown
  >;
  if (typeof subject !== 'boolean' || typeof service !== 'boolean') {
    throw invalidTarget(
      'a change says whether it alters the subject and the service',
      'target.alters',
      'required',
    );
  }
  if (!subject && !service)
    throw invalidTarget('a change alters something', 'target.alters', 'no_difference');
  return { subject, service };
}

export const decideCorrectFiling: Decider<'CorrectFiling'> = (command, state) => {
  const submitted = submittedState(state, 'a correction');
  requireScope(command.actor, submitted);
  // Back with the platform: returned for correction, or after the SMS check failed or expired (a
  // new mobile, say). Either way the corrected filing is reviewed again, then a new SMS round.
  requireStatus(state, ['returned_for_correction', 'returned_to_platform'], 'a correction');
  const form = validForm(command.form, command.correctedOn);
  if (provinceOf(form) !== submitted.province || form.serviceType !== submitted.serviceType) {
    throw new FilingDomainError(
      'invalid_command',
      'a correction may not change the province or the service type',
      {
        field: 'form',
        rule: 'immutable_on_correction',
      },
    );
  }
  if (submitted.kind !== 'new_registration' && certificateChanged(submitted.form, form)) {
    throw new FilingDomainError(
      'invalid_command',
      'a correction of a change, cancellation or new access may not change the operator’s certificate',
      { field: 'form', rule: 'immutable_on_change' },
    );
  }
  return [{ type: 'FilingCorrected', data: { form, appName: form.app.name } }];
};

export const decideResubmitFiling: Decider<'ResubmitFiling'> = (command, state) => {
  requireScope(command.actor, submittedState(state, 'a resubmission'));
  requireStatus(state, ['returned_to_platform'], 'a resubmission');
  return [{ type: 'FilingResubmitted', data: withReasons(reasonsOf(command.reasons, false, 'resubmit')) }];
};

/**
 * Which withdrawal rule a decision follows (`WithdrawalRule`, on the command). `until_platform_approval` is the platforms' rule and the
 * one every new decision follows. `until_bureau_decision` is the rule runs recorded before it followed
 * (withdrawable until the bureau decided); a workflow replaying such a history decides its recorded
 * withdrawals by it, so they are appended again as they were (`filing-withdrawal-rule` patch).
 */
/**
 * A filing may be withdrawn while it is with the platform, not once the platform has approved it:
 * before its review ends, and whenever it is back with the platform (returned for correction by the
 * platform, the bureau or the registry, or returned after the SMS check), since it is then reviewed
 * again before it goes on. Once approved, the filing is the applicant's and the bureau's.
 */
export const WITHDRAWABLE_STATUSES: readonly FilingStatus[] = [
  'submitted',
  'platform_review',
  'returned_for_correction',
  'returned_to_platform',
];

/** The rule runs recorded before the platforms' rule followed: until the bureau decided. */
const WITHDRAWABLE_UNTIL_BUREAU_DECISION: readonly FilingStatus[] = [
  ...WITHDRAWABLE_STATUSES,
  'platform_approved',
  'sms_verification',
  'sms_verified',
  'bureau_review',
];

/** A cancellation filing, once submitted, cannot be withdrawn (as on the platforms). */
function refuseWithdrawalOfCancellation(state: SubmittedFilingState): void {
  if (state.kind !== 'cancellation') return;
  throw new FilingDomainError(
    'wrong_stage',
    `a cancellation filing cannot be withdrawn once submitted (${state.status})`,
    { status: state.status, stage: stageOf(state.status), rule: 'cancellation_not_withdrawable' },
  );
}

/** Whether `state` is one where the two withdrawal rules answer differently (see WithdrawalRule). */
export function withdrawalRulesDiffer(state: FilingState): boolean {
  if (state.status === 'not_submitted' || !WITHDRAWABLE_UNTIL_BUREAU_DECISION.includes(state.status)) {
    return false;
  }
  return state.kind === 'cancellation' || !WITHDRAWABLE_STATUSES.includes(state.status);
}

export const decideWithdrawFiling: Decider<'WithdrawFiling'> = (command, state) => {
  const submitted = submittedState(state, 'a withdrawal');
  requireScope(command.actor, submitted);
  if (command.rule === 'until_bureau_decision') {
    requireStatus(state, WITHDRAWABLE_UNTIL_BUREAU_DECISION, 'a withdrawal');
  } else {
    requireStatus(state, WITHDRAWABLE_STATUSES, 'a withdrawal');
    refuseWithdrawalOfCancellation(submitted);
  }
  return [{ type: 'FilingWithdrawn', data: withReasons(reasonsOf(command.reasons, false, 'withdraw')) }];
};
