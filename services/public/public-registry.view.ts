import type { RegistryServiceRow, RegistrySubjectRow } from '../../events/ports/read-models.port';

/**
 * What anyone may see of the registry: named fields only, so nothing a row may come to hold (a
 * filing id, identifiers' signing fingerprints) reaches a public answer unless listed here.
 */
export interface PublicSubject {
  subjectNumber: string;
  province: string;
  operatorName?: string;
  operatorNature?: string;
  status: string;
}

export interface PublicService {
  serviceNumber: string;
  subjectNumber: string;
  serviceName: string;
  serviceType: string;
  operatorName: string;
  operatorNature?: string;
  preApprovalCategories: string[];
  approvedOn: string;
  status: string;
}

export function publicSubjectOf(row: RegistrySubjectRow): PublicSubject {
  const { subjectNumber, province, operatorName, operatorNature, status } = row;
  return { subjectNumber, province, operatorName, operatorNature, status };
}

export function publicServiceOf(row: RegistryServiceRow): PublicService {
  return {
    serviceNumber: row.serviceNumber,
    subjectNumber: row.subjectNumber,
    serviceName: row.name,
    serviceType: row.serviceType,
    operatorName: row.operatorName,
    operatorNature: row.operatorNature,
    preApprovalCategories: row.preApprovalCategories,
    approvedOn: row.approvedOn,
    status: row.status,
  };
}

const text = { type: 'string' } as const;

export const publicSubjectSchema = {
  type: 'object',
  properties: { subjectNumber: text, province: text, operatorName: text, operatorNature: text, status: text },
};

export const publicServiceSchema = {
  type: 'object',
  properties: {
    serviceNumber: text,
    subjectNumber: text,
    serviceName: text,
    serviceType: { type: 'string', enum: ['website', 'app', 'mini_program', 'quick_app'] },
    operatorName: text,
    operatorNature: text,
    preApprovalCategories: { type: 'array', items: text },
    approvedOn: { type: 'string', format: 'date' },
    status: { type: 'string', enum: ['active', 'cancelled', 'access_withdrawn'] },
  },
};
