import type { IssuanceRefusal } from '../../events/filing/filing-events';

export type RegistrationNumberRefusal =
  | 'invalid_request'
  /** The filing already has a service number of the other service type. */
  | 'service_type_mismatch'
  /** The province's counter for the year has no six-digit sequence left. */
  | 'subject_sequence_exhausted'
  /** The subject was cancelled: its stream takes no new service (its numbers are never reissued). */
  | 'subject_cancelled'
  | IssuanceRefusal;

const FILING_RETURNING: ReadonlySet<RegistrationNumberRefusal> = new Set<IssuanceRefusal>([
  'subject_not_registered',
  'subject_number_mismatch',
  'operator_unknown',
]);

/** The request cannot be met as it stands; retrying it unchanged gives the same answer. */
export class RegistrationNumberRefusedError extends Error {
  override readonly name = 'RegistrationNumberRefusedError';
  readonly nonRetryable = true;

  constructor(
    readonly refusal: RegistrationNumberRefusal,
    message: string,
  ) {
    super(message);
  }

  /**
   * A refusal about the filing's subject, which its platform can correct: the filing is returned to
   * it. The others are faults of the request or the registry, not of the filing.
   */
  issuanceRefusal(): IssuanceRefusal | undefined {
    return FILING_RETURNING.has(this.refusal) ? (this.refusal as IssuanceRefusal) : undefined;
  }
}
