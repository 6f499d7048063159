import { sha256Hex } from '../ids';
import { isProvinceCode } from '../provinces';
import { parseRegistrationNumber } from '../registration-number';

/**
 * The streams that make registration numbers unique. Stream ids carry a digest of the subject key,
 * never the USCC or resident ID itself: stream ids are listed, logged and shown to auditors.
 */

/** What every registry stream id starts with, and each kind's own prefix. */
export const REGISTRY_STREAM_PREFIX = 'registry-';
export const SUBJECT_SEQUENCE_STREAM_PREFIX = 'registry-subjects-';
export const SUBJECT_STREAM_PREFIX = 'registry-subject-';
export const SERVICE_STREAM_PREFIX = 'registry-service-';
export const IDENTIFIER_STREAM_PREFIX = 'registry-identifier-';

const SUBJECT_KEY_DIGEST = /^[0-9a-f]{64}$/;

/** One province's subject-number counter for one year of issue. */
export function subjectSequenceStreamId(provinceCode: string, year: number): string {
  assertProvinceCode(provinceCode);
  if (!Number.isInteger(year) || year < 1000 || year > 9999)
    throw new RangeError(`not a four-digit year: ${year}`);
  return `${SUBJECT_SEQUENCE_STREAM_PREFIX}${provinceCode}-${year}`;
}

/** One subject in one province: its subject number and every service number it holds. */
export function subjectStreamId(provinceCode: string, subjectKeyDigest: string): string {
  assertProvinceCode(provinceCode);
  if (!SUBJECT_KEY_DIGEST.test(subjectKeyDigest)) {
    throw new RangeError('subjectKeyDigest must be 64 lower-case hex characters (see subjectKeyDigestOf)');
  }
  return `${SUBJECT_STREAM_PREFIX}${provinceCode}-${subjectKeyDigest}`;
}

/**
 * One service number: what the service is and its life. Named by the number as issued
 * (`registry-service-川ICP备2026000001号-1A`, whichever abbreviation variant was given).
 */
export function serviceStreamId(serviceNumber: string): string {
  const parsed = parseRegistrationNumber(serviceNumber);
  if (!parsed.ok || parsed.number.service === undefined) {
    throw new RangeError(`not a service number: ${JSON.stringify(serviceNumber)}`);
  }
  return `${SERVICE_STREAM_PREFIX}${parsed.number.service.serviceNumber}`;
}

/**
 * The form a USCC or resident ID is compared in: full-width characters folded (NFKC), whitespace
 * removed, letters upper-cased (a resident ID's check character x is X).
 */
export function normalizeSubjectKey(subjectKey: string): string {
  return subjectKey.normalize('NFKC').replace(/\s+/gu, '').toUpperCase();
}

/** Hex SHA-256 of `icp-subject:` + the normalized key. */
export function subjectKeyDigestOf(subjectKey: string): string {
  const normalized = normalizeSubjectKey(subjectKey);
  if (normalized === '') throw new RangeError('subject key is empty');
  return sha256Hex(`icp-subject:${normalized}`);
}

function assertProvinceCode(provinceCode: string): void {
  if (!isProvinceCode(provinceCode))
    throw new RangeError(`unknown province code ${JSON.stringify(provinceCode)}`);
}

/** What third parties recognise a service by, one kind per namespace of names. */
export type ServiceIdentifierKey =
  /** An Android or HarmonyOS package name: one namespace, since app stores treat them as one. */
  | { readonly kind: 'package'; readonly packageName: string }
  | { readonly kind: 'bundle'; readonly bundleId: string }
  /** A mini-program id is unique within its host app only. */
  | { readonly kind: 'mini_program'; readonly hostApp: string; readonly miniProgramId: string }
  | { readonly kind: 'quick_app'; readonly quickAppPackage: string };

export type ServiceIdentifierKind = ServiceIdentifierKey['kind'];

/** Full-width characters folded (NFKC), whitespace removed, lower case. */
function normalizeIdentifierPart(part: string): string {
  return part.normalize('NFKC').replace(/\s+/gu, '').toLowerCase();
}

function identifierParts(key: ServiceIdentifierKey): string[] {
  switch (key.kind) {
    case 'package':
      return [key.packageName];
    case 'bundle':
      return [key.bundleId];
    case 'mini_program':
      return [key.hostApp, key.miniProgramId];
    case 'quick_app':
      return [key.quickAppPackage];
  }
}

/**
 * The form identifiers are compared in: each part normalized (stores do not let `com.Example.app` and
 * `com.example.app` coexist); a mini program's is `<host app>:<id>`.
 */
export function normalizedIdentifierValue(key: ServiceIdentifierKey): string {
  const parts = identifierParts(key).map(normalizeIdentifierPart);
  if (parts.some((part) => part === '')) throw new RangeError(`${key.kind} identifier has an empty part`);
  return parts.join(':');
}

/** The claim stream of one identifier: `registry-identifier-<sha256 hex of '<kind>:<normalized value>'>`. */
export function identifierStreamId(key: ServiceIdentifierKey): string {
  return `${IDENTIFIER_STREAM_PREFIX}${sha256Hex(`${key.kind}:${normalizedIdentifierValue(key)}`)}`;
}
