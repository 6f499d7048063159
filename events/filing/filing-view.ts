import { assertNever } from '../assert-never';
import type { ServiceType } from '../form/registration-form';
import type { ProvinceCode } from '../provinces';
import type { StreamHead } from './envelope';
import type { FilingKind, FilingTarget } from './filing-kind';
import type { FieldReason } from './filing-events';
import type { FilingStage, FilingState, FilingStatus, ReturnedBy } from './filing-state';
import { MAX_SMS_FAILED_ATTEMPTS } from './filing-state';
import { stageOf } from './transitions';

/** What `statusQuery` and the API show of a filing: no personal data. */
export interface FilingStatusView {
  filingId: string;
  status: FilingStatus;
  stage: FilingStage;
  /** What the filing asks for (once submitted). */
  kind?: FilingKind;
  /** The registration a change, cancellation or new access acts on (registry numbers: public). */
  target?: FilingTarget;
  serviceType?: ServiceType;
  province?: ProvinceCode;
  appName?: string;
  platformId?: string;
  registrationNumber?: string;
  /** The current review's or SMS window's due time. */
  dueBy?: string;
  /** true when a due time was computed for a year whose holidays are not announced yet. */
  provisional?: boolean;
  overdue: boolean;
  smsAttemptsLeft?: number;
  reasons?: string;
  /** Per-field reasons of the return or rejection, when the reviewer gave any. */
  fieldReasons?: readonly FieldReason[];
  /** Who returned the filing for correction: its platform, the bureau, or the registry at issuance. */
  returnedBy?: ReturnedBy;
  revision: number;
}

/** The view's fields that follow the filing's status: where it stands, whatever it is about. */
export type FilingStanding = Pick<
  FilingStatusView,
  | 'status'
  | 'stage'
  | 'dueBy'
  | 'provisional'
  | 'overdue'
  | 'smsAttemptsLeft'
  | 'reasons'
  | 'fieldReasons'
  | 'returnedBy'
  | 'registrationNumber'
>;

export function filingStandingOf(state: FilingState): FilingStanding {
  const { status } = state;
  const stage = stageOf(status);
  switch (state.status) {
    case 'platform_review':
    case 'bureau_review': {
      const { dueAt, provisional, overdue } = state.review;
      return { status, stage, overdue, dueBy: dueAt, provisional };
    }
    case 'sms_verification': {
      const smsAttemptsLeft = Math.max(0, MAX_SMS_FAILED_ATTEMPTS - state.failedAttempts);
      return { status, stage, overdue: false, dueBy: state.expiresAt, smsAttemptsLeft };
    }
    case 'returned_for_correction':
      return {
        status,
        stage,
        overdue: false,
        reasons: state.reasons,
        ...(state.fieldReasons && { fieldReasons: state.fieldReasons }),
        ...(state.returnedBy && { returnedBy: state.returnedBy }),
      };
    case 'rejected':
      return {
        status,
        stage,
        overdue: false,
        reasons: state.reasons,
        ...(state.fieldReasons && { fieldReasons: state.fieldReasons }),
      };
    case 'registered':
    case 'published':
    case 'completed':
      return { status, stage, overdue: false, registrationNumber: state.serviceNumber };
    case 'not_submitted':
    case 'submitted':
    case 'platform_approved':
    case 'returned_to_platform':
    case 'sms_verified':
    case 'bureau_approved':
    case 'withdrawn':
      return { status, stage, overdue: false };
    default:
      return assertNever(state, 'filing state');
  }
}

export function filingStatusView(filingId: string, state: FilingState, head: StreamHead): FilingStatusView {
  const { status, stage, overdue, ...details } = filingStandingOf(state);
  const { revision } = head;
  if (state.status === 'not_submitted') return { filingId, status, stage, overdue, revision };
  const { kind, target, serviceType, province, appName, platformId } = state;
  return {
    filingId,
    status,
    stage,
    overdue,
    revision,
    kind,
    ...(target && { target }),
    serviceType,
    province,
    appName,
    platformId,
    ...details,
  };
}
