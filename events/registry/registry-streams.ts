import { sha256Hex } from '../ids';
import { isProvinceCode } from '../provinces';
import { parseRegistrationNumber } from '../registration-number';

/**
 * The streams that make registration numbers unique. Stream ids carry a digest of the subject key,
 * never the USCC or resident ID itself: stream ids are listed, logged and shown to auditors.
 */

export const SUBJECT_SEQUENCE_STREAM_PREFIX = 'registry-subjects-';
export const SUBJECT_STREAM_PREFIX = 'registry-subject-';
export const SERVICE_STREAM_PREFIX = 'registry-service-';

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
