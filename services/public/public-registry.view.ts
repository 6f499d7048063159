import type {
  PublicRegistryRow,
  RegistryServiceRow,
  RegistrySubjectRow,
} from '../../events/ports/read-models.port';
import { REGISTRY_SERVICE_STATUSES } from '../../events/ports/read-models.port';
import type { ServiceIdentifiers } from '../../events/registry/registry-events';

/**
 * What anyone may see of the registry: named fields only, so nothing a row may come to hold (a
 * filing id, its subject stream, the ISPs, the shell flag, identifiers' signing fingerprints) reaches
 * a public answer unless listed here.
 */
export interface PublicSubject {
  subjectNumber: string;
  province: string;
  operatorName?: string;
  operatorNature?: string;
  status: string;
  /** Only when cancelled. */
  cancelledOn?: string;
}

/** A service's identifiers without signing fingerprints. */
export interface PublicIdentifiers {
  packages: Array<{ os: string; packageName: string }>;
  bundles: Array<{ bundleId: string }>;
  miniProgram?: { miniProgramId: string; hostApp: string };
  quickAppPackage?: string;
  domains: string[];
}

export interface PublicService {
  serviceNumber: string;
  subjectNumber: string;
  serviceName: string;
  serviceType: string;
  operatorName: string;
  operatorNature?: string;
  identifiers: PublicIdentifiers;
  preApprovalCategories: string[];
  approvedOn: string;
  version: number;
  /** When the current version is a change. */
  changedOn?: string;
  status: string;
  /** Only when cancelled. */
  cancelledOn?: string;
  /** Only when access is withdrawn: the last withdrawal. */
  accessWithdrawnOn?: string;
}

/** A public registration (the filing-based public registry). */
export interface PublicRegistration {
  registrationNumber: string;
  appName: string;
  serviceType: string;
  operatorName: string;
  province: string;
  publishedAt: string;
  status: string;
  /** Only when cancelled. */
  cancelledOn?: string;
  changedAt?: string;
}

export function publicSubjectOf(row: RegistrySubjectRow): PublicSubject {
  const { subjectNumber, province, operatorName, operatorNature, status } = row;
  return {
    subjectNumber,
    province,
    operatorName,
    operatorNature,
    status,
    ...(status === 'cancelled' && row.cancelledOn !== undefined && { cancelledOn: row.cancelledOn }),
  };
}

export function publicIdentifiersOf(identifiers: ServiceIdentifiers): PublicIdentifiers {
  return {
    packages: identifiers.packages.map(({ os, packageName }) => ({ os, packageName })),
    bundles: identifiers.bundles.map(({ bundleId }) => ({ bundleId })),
    ...(identifiers.miniProgram && {
      miniProgram: {
        miniProgramId: identifiers.miniProgram.miniProgramId,
        hostApp: identifiers.miniProgram.hostApp,
      },
    }),
    ...(identifiers.quickAppPackage !== undefined && { quickAppPackage: identifiers.quickAppPackage }),
    domains: [...identifiers.domains],
  };
}

export function publicServiceOf(row: RegistryServiceRow): PublicService {
  return {
    serviceNumber: row.serviceNumber,
    subjectNumber: row.subjectNumber,
    serviceName: row.name,
    serviceType: row.serviceType,
    operatorName: row.operatorName,
    operatorNature: row.operatorNature,
    identifiers: publicIdentifiersOf(row.identifiers),
    preApprovalCategories: row.preApprovalCategories,
    approvedOn: row.approvedOn,
    version: row.version,
    ...(row.changedOn !== undefined && { changedOn: row.changedOn }),
    status: row.status,
    ...(row.status === 'cancelled' && row.cancelledOn !== undefined && { cancelledOn: row.cancelledOn }),
    ...(row.status === 'access_withdrawn' &&
      row.accessWithdrawnOn !== undefined && { accessWithdrawnOn: row.accessWithdrawnOn }),
  };
}

export function publicRegistrationOf(row: PublicRegistryRow): PublicRegistration {
  return {
    registrationNumber: row.registrationNumber,
    appName: row.appName,
    serviceType: row.serviceType,
    operatorName: row.operatorName,
    province: row.province,
    publishedAt: row.publishedAt,
    status: row.status,
    ...(row.status === 'cancelled' && row.cancelledOn !== undefined && { cancelledOn: row.cancelledOn }),
    ...(row.changedAt !== undefined && { changedAt: row.changedAt }),
  };
}

const text = { type: 'string' } as const;
const date = { type: 'string', format: 'date' } as const;

export const publicSubjectSchema = {
  type: 'object',
  properties: {
    subjectNumber: text,
    province: text,
    operatorName: text,
    operatorNature: text,
    status: { type: 'string', enum: ['active', 'cancelled'] },
    cancelledOn: { ...date, description: 'China date of the cancellation; only when cancelled' },
  },
};

export const publicIdentifiersSchema = {
  type: 'object',
  description: 'what the service is recognised by (no signing fingerprints)',
  properties: {
    packages: {
      type: 'array',
      items: {
        type: 'object',
        properties: { os: { type: 'string', enum: ['android', 'harmony'] }, packageName: text },
      },
    },
    bundles: { type: 'array', items: { type: 'object', properties: { bundleId: text } } },
    miniProgram: { type: 'object', properties: { miniProgramId: text, hostApp: text } },
    quickAppPackage: text,
    domains: { type: 'array', items: text },
  },
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
    identifiers: publicIdentifiersSchema,
    preApprovalCategories: { type: 'array', items: text },
    approvedOn: date,
    version: { type: 'integer', minimum: 1, description: '1 as registered, + 1 per change' },
    changedOn: { ...date, description: 'China date the current version was applied (a change)' },
    status: { type: 'string', enum: [...REGISTRY_SERVICE_STATUSES] },
    cancelledOn: { ...date, description: 'China date of the cancellation; only when cancelled' },
    accessWithdrawnOn: {
      ...date,
      description: 'China date the last access was withdrawn; only when access_withdrawn',
    },
  },
};

export const publicRegistrationSchema = {
  type: 'object',
  properties: {
    registrationNumber: text,
    appName: { type: 'string', description: 'the current name (a change filing’s, once published)' },
    serviceType: text,
    operatorName: text,
    province: text,
    publishedAt: { type: 'string', format: 'date-time' },
    status: { type: 'string', enum: ['active', 'cancelled'] },
    cancelledOn: { ...date, description: 'China date the cancellation was published; only when cancelled' },
    changedAt: { type: 'string', format: 'date-time', description: 'when the last change was published' },
  },
};
