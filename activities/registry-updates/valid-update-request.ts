import { isFilingKind, type RegistrationFilingKind } from '../../events/filing/filing-kind';
import { OPERATOR_NATURES, type OperatorNature } from '../../events/form/registration-form';
import { type ProvinceCode, isProvinceCode } from '../../events/provinces';
import { issuedSubjectNumber } from '../../events/registration-number';
import { serviceStreamId, subjectKeyDigestOf } from '../../events/registry/registry-streams';
import { chinaDateOfEpochMs } from '../../events/working-days/china-time';
import type { FiledService } from '../registration-numbers/allocation-request';
import type { RegistryUpdateRequest } from './registry-update-request';

/** The request cannot be read as it stands; retrying it unchanged gives the same answer. */
export class RegistryUpdateRequestError extends Error {
  override readonly name = 'RegistryUpdateRequestError';
  readonly nonRetryable = true;
}

type Operator = { readonly name: string; readonly nature: OperatorNature };

interface ValidCommon {
  readonly filingId: string;
  readonly provinceCode: ProvinceCode;
  readonly subjectKeyDigest: string;
  /** In its issued form (川, not 蜀). */
  readonly subjectNumber: string;
  readonly at: string;
  /** China date (YYYY-MM-DD) of `at`: the events' changedOn, addedOn, cancelledOn, flaggedOn. */
  readonly on: string;
}

/** The request, checked field by field and narrowed to what its kind needs. */
export type ValidRegistryUpdateRequest = ValidCommon &
  (
    | {
        readonly kind: 'change';
        readonly serviceNumber: string;
        readonly service: FiledService;
        /** Absent: the subject's operator as the registry holds it. */
        readonly operator: Operator | undefined;
      }
    | { readonly kind: 'new_access'; readonly serviceNumber: string; readonly ispName: string }
    | { readonly kind: 'cancellation'; readonly serviceNumber: string }
    /** A cancellation of the whole subject (the target names no service). */
    | { readonly kind: 'subject_cancellation' }
  );

/** Activity input arrives as JSON: every field is checked, not trusted to its type. */
export function validRegistryUpdateRequest(request: RegistryUpdateRequest): ValidRegistryUpdateRequest {
  if (typeof request !== 'object' || request === null) refuse('the request must be an object');
  const { filingId, kind, target, provinceCode, subjectKey, at } = request;
  if (!isText(filingId)) refuse('filingId must be a non-empty string');
  if (!isFilingKind(kind) || (kind as string) === 'new_registration') {
    refuse('kind must be change, cancellation or new_access');
  }
  if (typeof provinceCode !== 'string' || !isProvinceCode(provinceCode)) {
    refuse(`provinceCode ${JSON.stringify(provinceCode)} is not one of the 31 provinces`);
  }
  if (!isText(subjectKey) || !/^(uscc|id):\S/.test(subjectKey)) {
    refuse('subjectKey must be uscc:<USCC> or id:<resident ID>');
  }
  const atMs = typeof at === 'string' ? Date.parse(at) : Number.NaN;
  if (Number.isNaN(atMs)) refuse('at must be an ISO 8601 time');
  if (typeof target !== 'object' || target === null) refuse('target must be an object');
  if (!isText(target.subjectNumber)) refuse('target.subjectNumber must be a subject number');
  const subjectNumber = issuedSubjectNumber(target.subjectNumber) ?? target.subjectNumber;
  const common: ValidCommon = {
    filingId,
    provinceCode,
    subjectKeyDigest: subjectKeyDigestOf(subjectKey),
    subjectNumber,
    at,
    on: chinaDateOfEpochMs(atMs),
  };
  const serviceNumber = target.serviceNumber;
  if (serviceNumber === undefined || serviceNumber === null) {
    if (kind !== 'cancellation') refuse(`a ${kind} names the service it acts on (target.serviceNumber)`);
    return { ...common, kind: 'subject_cancellation' };
  }
  assertServiceNumber(serviceNumber);
  return { ...common, ...kindPart(kind, serviceNumber, request) };
}

function kindPart(kind: RegistrationFilingKind, serviceNumber: string, request: RegistryUpdateRequest) {
  switch (kind) {
    case 'change':
      return {
        kind,
        serviceNumber,
        service: validService(request.service),
        // A change's ispName is not applied: a new ISP is a new-access filing, a leaving one withdraws.
        operator: validOperator(request.operator),
      } as const;
    case 'new_access': {
      const ispName = optionalText(request.ispName, 'ispName');
      if (ispName === undefined) refuse('a new access names its ISP (ispName)');
      return { kind, serviceNumber, ispName } as const;
    }
    case 'cancellation':
      return { kind, serviceNumber } as const;
  }
}

function assertServiceNumber(serviceNumber: unknown): asserts serviceNumber is string {
  try {
    if (typeof serviceNumber === 'string') {
      serviceStreamId(serviceNumber);
      return;
    }
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
  }
  refuse('target.serviceNumber must be a service number');
}

function validService(service: FiledService | undefined): FiledService {
  if (typeof service !== 'object' || service === null) refuse('a change gives the service (service)');
  if (!isText(service.name)) refuse('service.name must be text');
  const identifiers = service.identifiers as FiledService['identifiers'] | null | undefined;
  if (
    typeof identifiers !== 'object' ||
    identifiers === null ||
    !Array.isArray(identifiers.packages) ||
    !Array.isArray(identifiers.bundles) ||
    !Array.isArray(identifiers.domains)
  ) {
    refuse('service.identifiers must hold packages, bundles and domains');
  }
  if (!Array.isArray(service.preApprovalCategories)) refuse('service.preApprovalCategories must be a list');
  const { name, preApprovalCategories } = service;
  return { name, identifiers, preApprovalCategories };
}

function validOperator(operator: RegistryUpdateRequest['operator']): Operator | undefined {
  if (operator === undefined || operator === null) return undefined;
  if (!isText(operator.name)) refuse('operator.name must be text');
  if (!OPERATOR_NATURES.includes(operator.nature)) refuse('operator.nature is not an operator nature');
  return { name: operator.name, nature: operator.nature };
}

function optionalText(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isText(value)) refuse(`${field} must be text`);
  return value;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function refuse(message: string): never {
  throw new RegistryUpdateRequestError(message);
}
