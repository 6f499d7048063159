import type { RegistryIdentifierKey, RegistryVerifiedService } from '../ports/read-models.port';

/**
 * What a third party (an ISP, a store, a device maker) asks the registry: is the service it is about
 * to serve, list or pre-install registered? Exactly one identifier, and for a package or a bundle
 * optionally the fingerprint of the signing certificate, for a mini program its host app.
 */
export type VerificationRequest =
  | { kind: 'package'; value: string; signatureMd5?: string }
  | { kind: 'bundle'; value: string; signatureSha1?: string }
  | { kind: 'mini_program'; value: string; hostApp?: string }
  | { kind: 'quick_app'; value: string }
  | { kind: 'domain'; value: string };

export const VERIFICATION_STATUSES = [
  'registered',
  'not_registered',
  'identifier_mismatch',
  'cancelled',
  'access_withdrawn',
] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

/**
 * The answer: public facts only (the number, the service's and operator's names), never a person.
 * With `identifier_mismatch`, the service the identifier is registered to (under another signing
 * key or host app): the app asked about is not that one.
 */
export interface VerificationAnswer {
  status: VerificationStatus;
  serviceNumber?: string;
  serviceName?: string;
  operatorName?: string;
  /** When the registry was asked (ISO 8601). */
  checkedAt: string;
}

/** The key the registry's identifier index is searched by: domains are case-folded. */
export function identifierKeyOf(request: VerificationRequest): RegistryIdentifierKey {
  return {
    kind: request.kind,
    value: request.kind === 'domain' ? request.value.toLowerCase() : request.value,
  };
}

/** Whether the service carries exactly what was asked: the identifier and, when given, its key or host. */
function matchesExactly(request: VerificationRequest, row: RegistryVerifiedService): boolean {
  const { identifiers } = row;
  switch (request.kind) {
    case 'package':
      return identifiers.packages.some(
        (item) =>
          item.packageName === request.value &&
          (request.signatureMd5 === undefined || item.signatureMd5 === request.signatureMd5.toLowerCase()),
      );
    case 'bundle':
      return identifiers.bundles.some(
        (item) =>
          item.bundleId === request.value &&
          (request.signatureSha1 === undefined || item.signatureSha1 === request.signatureSha1.toLowerCase()),
      );
    case 'mini_program':
      return (
        identifiers.miniProgram?.miniProgramId === request.value &&
        (request.hostApp === undefined || identifiers.miniProgram.hostApp === request.hostApp)
      );
    case 'quick_app':
      return identifiers.quickAppPackage === request.value;
    case 'domain':
      return identifiers.domains.includes(request.value.toLowerCase());
  }
}

/** An active service first, then one whose accesses were withdrawn, then a cancelled one; then by number. */
const STATUS_ORDER = { active: 0, access_withdrawn: 1, cancelled: 2 } as const;

function preferred(rows: readonly RegistryVerifiedService[]): RegistryVerifiedService | undefined {
  return [...rows].sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      (a.serviceNumber < b.serviceNumber ? -1 : a.serviceNumber > b.serviceNumber ? 1 : 0),
  )[0];
}

const STATUS_OF_SERVICE = {
  active: 'registered',
  access_withdrawn: 'access_withdrawn',
  cancelled: 'cancelled',
} as const satisfies Record<RegistryVerifiedService['status'], VerificationStatus>;

/**
 * The answer to `request`, given the registry's services carrying its identifier (`rows`, any order;
 * rows carrying other identifiers are ignored). A package registered under another signing key (a
 * repackaged or counterfeit app) is `identifier_mismatch`, never `registered`.
 */
export function verify(
  request: VerificationRequest,
  rows: readonly RegistryVerifiedService[],
  checkedAt: string,
): VerificationAnswer {
  const carrying = rows.filter((row) => matchesExactly(withoutQualifier(request), row));
  const exact = preferred(carrying.filter((row) => matchesExactly(request, row)));
  if (exact) return answerOf(STATUS_OF_SERVICE[exact.status], exact, checkedAt);
  const other = preferred(carrying);
  if (other) return answerOf('identifier_mismatch', other, checkedAt);
  return { status: 'not_registered', checkedAt };
}

/** The request without its signing key or host app: which services carry the identifier at all. */
function withoutQualifier(request: VerificationRequest): VerificationRequest {
  return { kind: request.kind, value: request.value } as VerificationRequest;
}

function answerOf(
  status: VerificationStatus,
  row: RegistryVerifiedService,
  checkedAt: string,
): VerificationAnswer {
  return {
    status,
    serviceNumber: row.serviceNumber,
    serviceName: row.name,
    operatorName: row.operatorName,
    checkedAt,
  };
}
