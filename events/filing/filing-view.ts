import type { ServiceType } from '../form/registration-form';
import type { ProvinceCode } from '../provinces';
import type { StreamHead } from './envelope';
import type { FilingStage, FilingState, FilingStatus } from './filing-state';
import { MAX_SMS_FAILED_ATTEMPTS } from './filing-state';
import { stageOf } from './transitions';

/** What `statusQuery` and the API show of a filing: no personal data. */
export interface FilingStatusView {
  filingId: string;
  status: FilingStatus;
  stage: FilingStage;
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
  revision: number;
}

export function filingStatusView(filingId: string, state: FilingState, head: StreamHead): FilingStatusView {
  const base = {
    filingId,
    status: state.status,
    stage: stageOf(state.status),
    overdue: false,
    revision: head.revision,
  };
  if (state.status === 'not_submitted') return base;
  const view: FilingStatusView = {
    ...base,
    serviceType: state.serviceType,
    province: state.province,
    appName: state.appName,
    platformId: state.platformId,
  };
  switch (state.status) {
    case 'platform_review':
    case 'bureau_review':
      return {
        ...view,
        dueBy: state.review.dueAt,
        provisional: state.review.provisional,
        overdue: state.review.overdue,
      };
    case 'sms_verification':
      return {
        ...view,
        dueBy: state.expiresAt,
        smsAttemptsLeft: Math.max(0, MAX_SMS_FAILED_ATTEMPTS - state.failedAttempts),
      };
    case 'returned_for_correction':
    case 'rejected':
      return { ...view, reasons: state.reasons };
    case 'registered':
    case 'published':
    case 'completed':
      return { ...view, registrationNumber: state.serviceNumber };
    case 'submitted':
    case 'platform_approved':
    case 'returned_to_platform':
    case 'sms_verified':
    case 'bureau_approved':
    case 'withdrawn':
      return view;
    default: {
      const unreachable: never = state;
      return unreachable;
    }
  }
}
