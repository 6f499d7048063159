export type RegistryErrorCode =
  /** An event the stream's state does not allow (a fold of stored events: a corrupt stream). */
  | 'illegal_transition'
  /** The subject already holds another subject number. */
  | 'subject_already_registered'
  /** A service number under a subject the registry does not hold. */
  | 'subject_not_registered'
  /** The filing already holds a service number of another service type. */
  | 'service_type_mismatch'
  /** The n is already taken by another of the subject's services. */
  | 'service_number_taken'
  /** The service number already names a service with other facts. */
  | 'service_already_registered'
  /** No service is registered under the number. */
  | 'service_not_registered'
  /** The service was cancelled: final, nothing may follow. */
  | 'service_cancelled'
  /** The subject was cancelled: final, nothing may follow. */
  | 'subject_cancelled'
  /** The ISP withdrawing access gives the service none. */
  | 'no_such_access'
  /** The ISP of a new access already gives the service access. */
  | 'access_exists'
  /** A withdrawal id already names another ISP's withdrawal. */
  | 'withdrawal_conflict'
  /** The filing was already applied, with other facts. */
  | 'filing_already_applied'
  /** The service number is not one of the subject's. */
  | 'service_not_of_subject';

/** A registry command refused: retrying it unchanged gives the same answer. */
export class RegistryDomainError extends Error {
  override readonly name = 'RegistryDomainError';

  constructor(
    readonly code: RegistryErrorCode,
    message: string,
  ) {
    super(message);
  }
}
