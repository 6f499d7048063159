import { assertNever } from '../../events/assert-never';
import { evolve, type TimedFilingEvent } from '../../events/filing/evolve';
import { FilingDomainError } from '../../events/filing/filing-errors';
import { type FilingKind, targetOfColumns } from '../../events/filing/filing-kind';
import {
  type FilingFacts,
  type FilingState,
  inStatus,
  MAX_SMS_FAILED_ATTEMPTS,
  type SubmittedFilingState,
} from '../../events/filing/filing-state';
import type { FilingStanding } from '../../events/filing/filing-view';
import type { FilingKindColumns } from '../../events/ports/read-models.port';
import type { RegistrationForm, ServiceType } from '../../events/form/registration-form';
import type { ProvinceCode } from '../../events/provinces';
import { type FilingEventInStream, ProjectionError } from './projectable-event';

/** What a read-model row keeps of a filing: some facts, where it stands, never the form. */
export interface KeptFiling extends Pick<
  FilingStanding,
  | 'status'
  | 'dueBy'
  | 'overdue'
  | 'registrationNumber'
  | 'provisional'
  | 'smsAttemptsLeft'
  | 'reasons'
  | 'fieldReasons'
  | 'returnedBy'
> {
  readonly filingId: string;
  readonly platformId: string;
  readonly province: ProvinceCode;
  readonly serviceType?: ServiceType;
  readonly appName?: string;
  readonly submittedAt?: string;
  /** Absent in rows kept before filings had kinds: a new registration. */
  readonly kind?: FilingKind;
  readonly targetSubjectNumber?: string;
  readonly targetServiceNumber?: string;
  /** Kept by filing_summary only (the whole target its view shows). */
  readonly targetAlters?: { readonly subject: boolean; readonly service: boolean };
  readonly targetBaseFilingId?: string;
}

/** The kind columns of a row for the facts of a filing (the target's numbers only: a row keeps no more). */
export function kindColumnsOf(facts: Pick<FilingFacts, 'kind' | 'target'>): FilingKindColumns {
  const { kind, target } = facts;
  return {
    kind,
    ...(target && { targetSubjectNumber: target.subjectNumber }),
    ...(target?.serviceNumber !== undefined && { targetServiceNumber: target.serviceNumber }),
  };
}

/**
 * The facts of a filing as far as a row keeps them; blank what no row shows (the form above all):
 * `evolve` only carries those along.
 */
function factsOfRow(row: KeptFiling): FilingFacts {
  const target = targetOfColumns(row);
  return {
    filingId: row.filingId,
    kind: row.kind ?? 'new_registration',
    ...(target && { target }),
    platformId: row.platformId,
    province: row.province,
    serviceType: row.serviceType ?? 'app',
    appName: row.appName ?? '',
    form: {} as RegistrationForm,
    submittedAt: row.submittedAt ?? '',
    platformReviewRound: 0,
    smsRound: 0,
  };
}

/**
 * The filing's state as far as a row knows it, to fold the next event onto: exact in what the row
 * keeps (facts, status, due time, overdue, registration number; on filing_summary also provisional,
 * SMS attempts, reasons and who returned it), blank in what no row shows (the form, rounds, challenge,
 * who rejected it) and what `filingStandingOf` therefore never reads back.
 */
export function filingStateOfRow(row: KeptFiling): SubmittedFilingState {
  const facts = factsOfRow(row);
  const { status, dueBy = '', overdue, registrationNumber = '', reasons = '' } = row;
  switch (status) {
    case 'not_submitted':
      throw new ProjectionError(`filing ${row.filingId}: a row of a filing never submitted`);
    case 'platform_review':
    case 'bureau_review': {
      const provisional = row.provisional ?? false;
      return inStatus(facts, { status, review: { startedAt: '', dueAt: dueBy, provisional, overdue } });
    }
    case 'sms_verification': {
      const failedAttempts = MAX_SMS_FAILED_ATTEMPTS - (row.smsAttemptsLeft ?? MAX_SMS_FAILED_ATTEMPTS);
      return inStatus(facts, { status, challengeId: '', expiresAt: dueBy, failedAttempts });
    }
    case 'registered':
    case 'published':
    case 'completed':
      return inStatus(facts, { status, subjectNumber: '', serviceNumber: registrationNumber });
    case 'returned_for_correction':
      return inStatus(facts, { status, reasons, ...reviewDetailsOfRow(row) });
    case 'rejected':
      return inStatus(facts, {
        status,
        rejectedBy: 'platform',
        reasons,
        ...(row.fieldReasons && { fieldReasons: row.fieldReasons }),
      });
    case 'returned_to_platform':
      return inStatus(facts, { status, reason: 'sms_expired' });
    case 'submitted':
    case 'platform_approved':
    case 'sms_verified':
    case 'bureau_approved':
    case 'withdrawn':
      return inStatus(facts, { status });
    default:
      return assertNever(status, 'filing status');
  }
}

/** The per-field reasons of a return and who returned the filing, where the row keeps them. */
function reviewDetailsOfRow(row: KeptFiling): Pick<KeptFiling, 'fieldReasons' | 'returnedBy'> {
  return {
    ...(row.fieldReasons && { fieldReasons: row.fieldReasons }),
    ...(row.returnedBy && { returnedBy: row.returnedBy }),
  };
}

/**
 * Pure: `evolve` of the filing by the event read. An event that cannot follow throws ProjectionError:
 * the log would be inconsistent, and a stopped projector is better than a wrong row.
 */
export function evolveFiling(state: FilingState, read: FilingEventInStream): SubmittedFilingState {
  const { event, occurredAt } = read;
  let next: FilingState;
  try {
    // Field by field rather than `{ ...event, metadata }` (see `inStatus`); TypeScript cannot
    // pair a union's type and data again, hence the cast.
    next = evolve(state, {
      type: event.type,
      data: event.data,
      metadata: { occurredAt },
    } as TimedFilingEvent);
  } catch (error) {
    if (error instanceof FilingDomainError) throw cannotFollow(state, read);
    throw error;
  }
  // Every event `evolve` accepts leaves a submitted filing: this only tells the compiler.
  if (next.status === 'not_submitted') throw cannotFollow(state, read);
  return next;
}

function cannotFollow(state: FilingState, { filingId, event, seq }: FilingEventInStream): ProjectionError {
  return new ProjectionError(
    `filing ${filingId}: ${event.type} (seq ${seq}) cannot follow status ${state.status}`,
  );
}
