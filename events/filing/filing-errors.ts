import type { FilingStage, FilingStatus } from './filing-state';

export type FilingErrorCode =
  'wrong_stage' | 'out_of_scope' | 'forbidden_role' | 'invalid_command' | 'illegal_transition';

/** A command or event that does not fit the filing; nothing is written. */
export class FilingDomainError extends Error {
  override readonly name = 'FilingDomainError';
  constructor(
    readonly code: FilingErrorCode,
    message: string,
    readonly details: { status?: FilingStatus; stage?: FilingStage; field?: string; rule?: string } = {},
  ) {
    super(message);
  }
}

/**
 * A stored filing event this build cannot hand to the domain: written at a schemaVersion newer than
 * FILING_SCHEMA_VERSION (a newer writer's shape), or with a version or data no writer produces.
 */
export class FilingSchemaError extends Error {
  override readonly name = 'FilingSchemaError';
  constructor(
    readonly eventType: string,
    readonly schemaVersion: unknown,
    message: string,
  ) {
    super(message);
  }
}
