export type RegistrationNumberRefusal =
  | 'invalid_request'
  /** The request names an existing subject number other than the one the subject holds. */
  | 'subject_number_mismatch'
  /** The existing subject number given is held by another subject. */
  | 'subject_number_taken'
  /** The filing already has a service number of the other service type. */
  | 'service_type_mismatch'
  /** The province's counter for the year has no six-digit sequence left. */
  | 'subject_sequence_exhausted';

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
}
