import type { IdentifierHolder, IdentifierToClaim } from './identifier-claims';

/**
 * The rules a refused identifier is reported under. Only the platform that owns the holding filing
 * learns which it is (and the number or filing id); anyone else reads `identifier_taken`.
 */
export type IdentifierRefusalRule =
  'identifier_registered' | 'identifier_in_open_filing' | 'identifier_taken';

export interface IdentifierConflict {
  readonly path: string;
  readonly rule: IdentifierRefusalRule;
  readonly message: string;
  /** Named only to the holder's own platform. */
  readonly serviceNumber?: string;
  readonly filingId?: string;
}

export interface TakenIdentifier {
  readonly identifier: IdentifierToClaim;
  readonly holder: IdentifierHolder;
}

/** What the claimant may be told of each identifier another filing holds. */
export function identifierConflicts(
  taken: readonly TakenIdentifier[],
  claimantPlatformId: string | undefined,
): IdentifierConflict[] {
  return taken.map(({ identifier, holder }) => {
    const { path } = identifier;
    const ownPlatform =
      holder.status !== 'in_flight' &&
      claimantPlatformId !== undefined &&
      holder.platformId === claimantPlatformId;
    if (!ownPlatform) {
      return {
        path,
        rule: 'identifier_taken',
        message: 'is already used by a registered service or an open filing',
      };
    }
    if (holder.status === 'registered') {
      const { serviceNumber } = holder;
      const message = `is already registered as service ${serviceNumber}`;
      return { path, rule: 'identifier_registered', message, serviceNumber };
    }
    const message = `is already in your open filing ${holder.filingId}`;
    return { path, rule: 'identifier_in_open_filing', message, filingId: holder.filingId };
  });
}
