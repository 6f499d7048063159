import {
  OPERATOR_NATURES,
  type OperatorNature,
  type RegulatedCategory,
  SERVICE_TYPES,
  type ServiceType,
} from '../../events/form/registration-form';
import { subjectNumberCheck } from '../../events/form/subject-number';
import { type ProvinceCode, isProvinceCode } from '../../events/provinces';
import { issuedSubjectNumber } from '../../events/registration-number';
import type { CertificateType, ServiceIdentifiers } from '../../events/registry/registry-events';
import { subjectKeyDigestOf } from '../../events/registry/registry-streams';
import { chinaDateOfEpochMs } from '../../events/working-days/china-time';
import { RegistrationNumberRefusedError } from './allocation-errors';

/** The public facts of the filed service, as the registry keeps them (see service-identifiers.ts). */
export interface FiledService {
  name: string;
  identifiers: ServiceIdentifiers;
  preApprovalCategories: RegulatedCategory[];
  /** The ISP serving it, as the form's `access.ispName` gives it (the registry keeps it as an access). */
  ispName?: string;
}

export interface RegistrationNumberRequest {
  filingId: string;
  /** The bureau's province, the subject's domicile. */
  provinceCode: ProvinceCode;
  /** `uscc:<USCC>` or `id:<resident ID>` (`subjectKeyOf`); only its digest is stored. */
  subjectKey: string;
  serviceType: ServiceType;
  /** The subject number the subject already holds: it must be in the registry under subjectKey. */
  existingSubjectNumber?: string;
  /** Year of issue of a new subject number (China time). */
  year: number;
  /** When the number is issued (workflow time): the registry events' time and the approval date. */
  at: string;
  service: FiledService;
  /** The form's operator section; absent, the registry subject's name and nature are used. */
  operator?: { name: string; nature: OperatorNature };
}

export interface ValidRegistrationNumberRequest {
  readonly filingId: string;
  readonly provinceCode: ProvinceCode;
  readonly subjectKeyDigest: string;
  readonly certificateType: CertificateType;
  readonly serviceType: ServiceType;
  /** In its issued form (川, not 蜀). */
  readonly existingSubjectNumber: string | undefined;
  readonly year: number;
  readonly at: string;
  /** China date (YYYY-MM-DD) of `at`. */
  readonly approvedOn: string;
  readonly service: FiledService;
  readonly operator: { readonly name: string; readonly nature: OperatorNature } | undefined;
}

/** Activity input arrives as JSON: every field is checked, not trusted to its type. */
export function validRegistrationNumberRequest(
  request: RegistrationNumberRequest,
): ValidRegistrationNumberRequest {
  const { filingId, provinceCode, serviceType, existingSubjectNumber, year, at } = request;
  if (typeof filingId !== 'string' || filingId.trim() === '') refuse('filingId must be a non-empty string');
  if (typeof provinceCode !== 'string' || !isProvinceCode(provinceCode)) {
    refuse(`provinceCode ${JSON.stringify(provinceCode)} is not one of the 31 provinces`);
  }
  if (!SERVICE_TYPES.includes(serviceType)) refuse(`serviceType must be one of ${SERVICE_TYPES.join(', ')}`);
  if (!Number.isInteger(year) || year < 2000 || year > 9999)
    refuse(`year must be a four-digit year, got ${year}`);
  const atMs = typeof at === 'string' ? Date.parse(at) : Number.NaN;
  if (Number.isNaN(atMs)) refuse('at must be an ISO 8601 time');
  return {
    filingId,
    provinceCode,
    ...subjectKeyParts(request.subjectKey),
    serviceType,
    existingSubjectNumber:
      existingSubjectNumber === undefined
        ? undefined
        : existingInProvince(existingSubjectNumber, provinceCode),
    year,
    at,
    approvedOn: chinaDateOfEpochMs(atMs),
    service: validService(request.service),
    operator: validOperator(request.operator),
  };
}

const CERTIFICATE_PREFIXES: ReadonlyArray<readonly [string, CertificateType]> = [
  ['uscc:', 'uscc'],
  ['id:', 'resident_id'],
];

function subjectKeyParts(subjectKey: unknown): {
  subjectKeyDigest: string;
  certificateType: CertificateType;
} {
  if (typeof subjectKey !== 'string') refuse('subjectKey must be a string');
  const prefix = CERTIFICATE_PREFIXES.find(([start]) => subjectKey.startsWith(start));
  if (!prefix || subjectKey.slice(prefix[0].length).trim() === '') {
    refuse('subjectKey must be uscc:<USCC> or id:<resident ID>');
  }
  return { subjectKeyDigest: subjectKeyDigestOf(subjectKey), certificateType: prefix[1] };
}

function validService(service: FiledService | undefined): FiledService {
  if (typeof service !== 'object' || service === null) refuse('service must be an object');
  if (typeof service.name !== 'string' || service.name.trim() === '') refuse('service.name must be text');
  if (typeof service.identifiers !== 'object' || service.identifiers === null) {
    refuse('service.identifiers must be an object');
  }
  if (!Array.isArray(service.preApprovalCategories)) refuse('service.preApprovalCategories must be a list');
  // The registry's facts only: `ispName` becomes an access once the registry keeps accesses (the
  // registry's own change); spread into ServiceRegistered as is, a retried allocation would find
  // other facts than the ones it wrote.
  const { name, identifiers, preApprovalCategories } = service;
  return { name, identifiers, preApprovalCategories };
}

function validOperator(
  operator: RegistrationNumberRequest['operator'],
): ValidRegistrationNumberRequest['operator'] {
  if (operator === undefined || operator === null) return undefined;
  if (typeof operator.name !== 'string' || operator.name.trim() === '') refuse('operator.name must be text');
  if (!OPERATOR_NATURES.includes(operator.nature)) refuse('operator.nature is not an operator nature');
  return { name: operator.name, nature: operator.nature };
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
