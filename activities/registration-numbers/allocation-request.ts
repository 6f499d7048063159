import { SERVICE_TYPES, type ServiceType } from '../../events/form/registration-form';
import { subjectNumberCheck } from '../../events/form/subject-number';
import { type ProvinceCode, isProvinceCode } from '../../events/provinces';
import { issuedSubjectNumber } from '../../events/registration-number';
import { RegistrationNumberRefusedError } from './allocation-errors';
import { subjectKeyDigestOf } from '../../events/registry/registry-streams';

export interface RegistrationNumberRequest {
  filingId: string;
  /** The bureau's province, the subject's domicile. */
  provinceCode: ProvinceCode;
  /** USCC of an organisation or resident ID of a person; only its digest is stored. */
  subjectKey: string;
  serviceType: ServiceType;
  /** The subject number the subject already holds (an existing website registrant). */
  existingSubjectNumber?: string;
  /** Year of issue of a new subject number (China time). */
  year: number;
}

export interface ValidRegistrationNumberRequest {
  readonly filingId: string;
  readonly provinceCode: ProvinceCode;
  readonly subjectKeyDigest: string;
  readonly serviceType: ServiceType;
  /** In its issued form (川, not 蜀). */
  readonly existingSubjectNumber: string | undefined;
  readonly year: number;
}

/** Activity input arrives as JSON: every field is checked, not trusted to its type. */
export function validRegistrationNumberRequest(
  request: RegistrationNumberRequest,
): ValidRegistrationNumberRequest {
  const { filingId, provinceCode, subjectKey, serviceType, existingSubjectNumber, year } = request;
  if (typeof filingId !== 'string' || filingId.trim() === '') refuse('filingId must be a non-empty string');
  if (typeof provinceCode !== 'string' || !isProvinceCode(provinceCode)) {
    refuse(`provinceCode ${JSON.stringify(provinceCode)} is not one of the 31 provinces`);
  }
  if (!SERVICE_TYPES.includes(serviceType)) refuse(`serviceType must be one of ${SERVICE_TYPES.join(', ')}`);
  if (!Number.isInteger(year) || year < 2000 || year > 9999)
    refuse(`year must be a four-digit year, got ${year}`);
  if (typeof subjectKey !== 'string') refuse('subjectKey must be a string');
  let subjectKeyDigest: string;
  try {
    subjectKeyDigest = subjectKeyDigestOf(subjectKey);
  } catch {
    refuse('subjectKey is empty');
  }
  return {
    filingId,
    provinceCode,
    subjectKeyDigest,
    serviceType,
    existingSubjectNumber:
      existingSubjectNumber === undefined
        ? undefined
        : existingInProvince(existingSubjectNumber, provinceCode),
    year,
  };
}

function existingInProvince(subjectNumber: string, provinceCode: ProvinceCode): string {
  const check = typeof subjectNumber === 'string' ? subjectNumberCheck(subjectNumber) : undefined;
  const issued = check?.ok ? issuedSubjectNumber(subjectNumber) : undefined;
  if (!check?.ok || issued === undefined) {
    refuse(`existingSubjectNumber ${JSON.stringify(subjectNumber)} is not an ICP subject number`);
  }
  if (check.province.code !== provinceCode) {
    refuse(
      `existingSubjectNumber ${subjectNumber} was issued in ${check.province.name}, not in province ${provinceCode}`,
    );
  }
  return issued;
}

function refuse(message: string): never {
  throw new RegistrationNumberRefusedError('invalid_request', message);
}
