export const INSPECTION_ERROR_CODES = [
  'inspection_not_found',
  'finding_not_found',
  /** Answered already (another answer); answers are given once. */
  'finding_already_answered',
  /** Past its due date: the bureau decides it now. */
  'finding_escalated',
  /** Neither escalated nor disputed: nothing for the bureau to decide. */
  'finding_not_decidable',
  'finding_already_decided',
  'not_yet_due',
  /** The stream holds another inspection's opening. */
  'inspection_id_reused',
] as const;
export type InspectionErrorCode = (typeof INSPECTION_ERROR_CODES)[number];

export function isInspectionErrorCode(value: unknown): value is InspectionErrorCode {
  return typeof value === 'string' && (INSPECTION_ERROR_CODES as readonly string[]).includes(value);
}

/** A command the inspection's state refuses; nothing is appended. */
export class InspectionDomainError extends Error {
  override readonly name = 'InspectionDomainError';
  constructor(
    readonly code: InspectionErrorCode,
    message: string,
  ) {
    super(message);
  }
}
