import {
  OPERATOR_NATURES,
  type OperatorNature,
  REGULATED_CATEGORIES,
  type RegulatedCategory,
} from '../form/registration-form';
import { type RegisteredServiceType, SERVICE_SUFFIXES } from '../registration-number';
import type { EventToAppend, Json, RecordedEvent } from '../ports/event-log.port';

/** Events of the registry streams (see registry-streams.ts). Names are a contract: past tense, never renamed. */

/** The metadata version of registry events written before sealing (see registry-envelope.ts). */
export const REGISTRY_SCHEMA_VERSION = 1;

export type SubjectNumberClaim = {
  subjectKeyDigest: string;
  sequence: number;
  number: string;
};

/** In `registry-subjects-<province>-<year>`: which subject holds which sequence. */
export type SubjectSequenceEvent =
  | { type: 'SubjectNumberAllocated'; data: SubjectNumberClaim }
  /** A subject brought a number of this counter's form that it already held; the counter skips it. */
  | { type: 'ExistingSubjectNumberRecorded'; data: SubjectNumberClaim };

export type SubjectNumberSource = 'allocated' | 'existing' | 'imported';

/** The kind of certificate a subject is keyed by (its number is never stored, only the key's digest). */
export type CertificateType = 'uscc' | 'resident_id';

export type SubjectRegisteredData = {
  subjectKeyDigest: string;
  provinceCode: string;
  subjectNumber: string;
  source: SubjectNumberSource;
  /** Absent only in events written before the registry kept them (schema version 1). */
  operatorName?: string;
  operatorNature?: OperatorNature;
  certificateType?: CertificateType;
};

/** A service number issued to a filing: the subject's next n, whatever the service type. */
export type ServiceNumberAllocatedData = {
  filingId: string;
  serviceType: RegisteredServiceType;
  n: number;
  number: string;
};

/** A service the subject held before this system (an imported website): its n is taken. */
export type ExistingServiceRecordedData = {
  serviceType: RegisteredServiceType;
  n: number;
  number: string;
  /** The import line that brought it (see `importLineId`). */
  importLineId: string;
};

/** In `registry-subject-<province>-<digest>`: the subject's number, then one event per service number. */
export type SubjectEvent =
  | { type: 'SubjectRegistered'; data: SubjectRegisteredData }
  | { type: 'ServiceNumberAllocated'; data: ServiceNumberAllocatedData }
  | { type: 'ExistingServiceRecorded'; data: ExistingServiceRecordedData }
  | SubjectLifeEvent;

/** An Android or HarmonyOS package, with the MD5 of its signing certificate (32 lower-case hex). */
export type PackageIdentifier = { os: 'android' | 'harmony'; packageName: string; signatureMd5: string };
/** An iOS bundle, with the SHA-1 of its signing certificate (40 lower-case hex). */
export type BundleIdentifier = { bundleId: string; signatureSha1: string };

/** What third parties recognise a service by. Every list may be empty; absent parts do not apply. */
export type ServiceIdentifiers = {
  packages: PackageIdentifier[];
  bundles: BundleIdentifier[];
  miniProgram?: { miniProgramId: string; hostApp: string };
  quickAppPackage?: string;
  /** Bare domain names, lower case (punycode for non-ASCII names). */
  domains: string[];
};

/** Public facts only: no certificate number, no person, no phone or e-mail. */
export type ServiceRegisteredData = {
  serviceNumber: string;
  subjectNumber: string;
  serviceType: RegisteredServiceType;
  name: string;
  identifiers: ServiceIdentifiers;
  preApprovalCategories: RegulatedCategory[];
  /** China date (YYYY-MM-DD) the registration was approved (for an import: as the file states it). */
  approvedOn: string;
  operatorName: string;
  operatorNature: OperatorNature;
  /** The filing that created the service; absent for an imported one. */
  filingId?: string;
  source: 'filing' | 'imported';
  /** The ISPs serving it when registered; absent in events written before accesses were kept. */
  accesses?: ServiceAccess[];
};

/** An ISP giving the service network access; `filingId` absent when the registration predates it. */
export type ServiceAccess = { ispName: string; filingId?: string };

/** A change filing applied: the service's next version, in full (public facts only). */
export type ServiceChangedData = {
  filingId: string;
  /** 2 for the first change (ServiceRegistered is version 1). */
  version: number;
  /** China date (YYYY-MM-DD) the change was applied. */
  changedOn: string;
  name: string;
  identifiers: ServiceIdentifiers;
  preApprovalCategories: RegulatedCategory[];
  operatorName: string;
  operatorNature: OperatorNature;
};

/** A new-access filing applied: another ISP serves the service. */
export type ServiceAccessAddedData = { filingId: string; ispName: string; addedOn: string };

/** An ISP stopped serving the service (取消接入), recorded by that ISP. */
export type ServiceAccessWithdrawnData = {
  /** The ISP's request id (from its Idempotency-Key): one withdrawal per request. */
  withdrawalId: string;
  ispName: string;
  reason: string;
  withdrawnOn: string;
};

/** A cancellation filing applied, of this service or of its whole subject. Final. */
export type ServiceCancelledData = { filingId: string; cancelledOn: string; scope: 'service' | 'subject' };

/** In `registry-service-<service number>`: the service's life. */
export type ServiceLifeEvent =
  | { type: 'ServiceChanged'; data: ServiceChangedData }
  | { type: 'ServiceAccessAdded'; data: ServiceAccessAddedData }
  | { type: 'ServiceAccessWithdrawn'; data: ServiceAccessWithdrawnData }
  | { type: 'ServiceCancelled'; data: ServiceCancelledData };

export type SubjectChangedData = {
  filingId: string;
  operatorName: string;
  operatorNature: OperatorNature;
  changedOn: string;
};
export type SubjectCancelledData = { filingId: string; cancelledOn: string; serviceNumbers: string[] };
export type SubjectLeftWithoutServicesData = {
  filingId: string;
  lastServiceNumber: string;
  flaggedOn: string;
};

/** In the subject stream, after its services: changes of the subject itself and its end. */
export type SubjectLifeEvent =
  | { type: 'SubjectChanged'; data: SubjectChangedData }
  | { type: 'SubjectCancelled'; data: SubjectCancelledData }
  /** Its last service was cancelled: a shell subject (空壳主体), flagged for the bureau. */
  | { type: 'SubjectLeftWithoutServices'; data: SubjectLeftWithoutServicesData };

/** In an identifier stream: the service holding it was cancelled, or a change dropped it. */
export type IdentifierReleasedEvent = {
  type: 'ServiceIdentifierReleased';
  data: { serviceNumber: string; filingId: string };
};

/** In `registry-service-<service number>`: the service's registration, then its life. */
export type ServiceEvent = { type: 'ServiceRegistered'; data: ServiceRegisteredData } | ServiceLifeEvent;

/** In `registry-identifier-<digest>`: the filings that claimed an identifier at submission, and its releases. */
export type IdentifierEvent =
  { type: 'ServiceIdentifierClaimed'; data: { filingId: string } } | IdentifierReleasedEvent;

export type RegistryEvent = SubjectSequenceEvent | SubjectEvent | ServiceEvent | IdentifierEvent;

/** An event ready to append but for its id, which depends on the revision it is appended at. */
export type UnplacedEvent = Omit<EventToAppend, 'id'>;

/**
 * An event in the unsealed version-1 form registry streams began with (metadata `{schemaVersion: 1,
 * causedByFilingId}`). Nothing writes it any more (see `sealRegistryEvent`); auditors' fixtures do, to
 * check how such events are reported.
 */
export function unplaced(event: RegistryEvent, causedByFilingId: string): UnplacedEvent {
  return {
    type: event.type,
    data: event.data,
    metadata: { schemaVersion: REGISTRY_SCHEMA_VERSION, causedByFilingId },
  };
}

/** What the decoders read: a recorded event, or one handed on without its revision (a projection's). */
export type DecodableEvent = Pick<RecordedEvent, 'streamId' | 'type' | 'data'> & {
  readonly revision?: number;
};

export class CorruptRegistryStreamError extends Error {
  override readonly name = 'CorruptRegistryStreamError';
  constructor(
    recorded: DecodableEvent,
    /** What does not fit, without the stream and revision (`data.n is not a positive integer`). */
    readonly problem: string,
  ) {
    const at = recorded.revision === undefined ? '' : ` at revision ${recorded.revision}`;
    super(`registry stream ${recorded.streamId}${at} (${recorded.type}): ${problem}`);
  }
}

export function decodeSubjectSequenceEvent(recorded: DecodableEvent): SubjectSequenceEvent {
  switch (recorded.type) {
    case 'SubjectNumberAllocated':
    case 'ExistingSubjectNumberRecorded': {
      const data = new DataReader(recorded);
      const claim = {
        subjectKeyDigest: data.string('subjectKeyDigest'),
        sequence: data.positiveInteger('sequence'),
        number: data.string('number'),
      };
      return { type: recorded.type, data: claim };
    }
    default:
      throw new CorruptRegistryStreamError(recorded, 'not an event of a subject-sequence stream');
  }
}

const REGISTERED_SERVICE_TYPES = Object.keys(SERVICE_SUFFIXES) as RegisteredServiceType[];
const SUBJECT_NUMBER_SOURCES: readonly SubjectNumberSource[] = ['allocated', 'existing', 'imported'];
const CERTIFICATE_TYPES: readonly CertificateType[] = ['uscc', 'resident_id'];

export function decodeSubjectEvent(recorded: DecodableEvent): SubjectEvent {
  const data = new DataReader(recorded);
  switch (recorded.type) {
    case 'SubjectRegistered':
      return { type: recorded.type, data: subjectRegisteredData(data) };
    case 'ServiceNumberAllocated':
      return {
        type: recorded.type,
        data: {
          filingId: data.string('filingId'),
          serviceType: data.oneOf('serviceType', REGISTERED_SERVICE_TYPES),
          n: data.positiveInteger('n'),
          number: data.string('number'),
        },
      };
    case 'ExistingServiceRecorded':
      return {
        type: recorded.type,
        data: {
          serviceType: data.oneOf('serviceType', REGISTERED_SERVICE_TYPES),
          n: data.positiveInteger('n'),
          number: data.string('number'),
          importLineId: data.string('importLineId'),
        },
      };
    case 'SubjectChanged':
      return {
        type: recorded.type,
        data: {
          filingId: data.string('filingId'),
          operatorName: data.string('operatorName'),
          operatorNature: data.oneOf('operatorNature', OPERATOR_NATURES),
          changedOn: data.date('changedOn'),
        },
      };
    case 'SubjectCancelled':
      return {
        type: recorded.type,
        data: {
          filingId: data.string('filingId'),
          cancelledOn: data.date('cancelledOn'),
          serviceNumbers: data.list('serviceNumbers', (value, at) => at.text(value)),
        },
      };
    case 'SubjectLeftWithoutServices':
      return {
        type: recorded.type,
        data: {
          filingId: data.string('filingId'),
          lastServiceNumber: data.string('lastServiceNumber'),
          flaggedOn: data.date('flaggedOn'),
        },
      };
    default:
      throw new CorruptRegistryStreamError(recorded, 'not an event of a subject stream');
  }
}

/** Version-1 events lack the operator's name, nature and certificate type: they stay absent. */
function subjectRegisteredData(data: DataReader): SubjectRegisteredData {
  const registered: SubjectRegisteredData = {
    subjectKeyDigest: data.string('subjectKeyDigest'),
    provinceCode: data.string('provinceCode'),
    subjectNumber: data.string('subjectNumber'),
    source: data.oneOf('source', SUBJECT_NUMBER_SOURCES),
  };
  if (data.has('operatorName')) registered.operatorName = data.string('operatorName');
  if (data.has('operatorNature')) registered.operatorNature = data.oneOf('operatorNature', OPERATOR_NATURES);
  if (data.has('certificateType'))
    registered.certificateType = data.oneOf('certificateType', CERTIFICATE_TYPES);
  return registered;
}

export function decodeServiceEvent(recorded: DecodableEvent): ServiceEvent {
  const data = new DataReader(recorded);
  switch (recorded.type) {
    case 'ServiceRegistered':
      return { type: recorded.type, data: serviceRegisteredData(data) };
    case 'ServiceChanged':
      return {
        type: recorded.type,
        data: {
          filingId: data.string('filingId'),
          version: data.positiveInteger('version'),
          changedOn: data.date('changedOn'),
          ...serviceFacts(data),
        },
      };
    case 'ServiceAccessAdded':
      return {
        type: recorded.type,
        data: {
          filingId: data.string('filingId'),
          ispName: data.string('ispName'),
          addedOn: data.date('addedOn'),
        },
      };
    case 'ServiceAccessWithdrawn':
      return {
        type: recorded.type,
        data: {
          withdrawalId: data.string('withdrawalId'),
          ispName: data.string('ispName'),
          reason: data.string('reason'),
          withdrawnOn: data.date('withdrawnOn'),
        },
      };
    case 'ServiceCancelled':
      return {
        type: recorded.type,
        data: {
          filingId: data.string('filingId'),
          cancelledOn: data.date('cancelledOn'),
          scope: data.oneOf('scope', ['service', 'subject'] as const),
        },
      };
    default:
      throw new CorruptRegistryStreamError(recorded, 'not an event of a service stream');
  }
}

function serviceRegisteredData(data: DataReader): ServiceRegisteredData {
  const registered: ServiceRegisteredData = {
    serviceNumber: data.string('serviceNumber'),
    subjectNumber: data.string('subjectNumber'),
    serviceType: data.oneOf('serviceType', REGISTERED_SERVICE_TYPES),
    name: data.string('name'),
    identifiers: serviceIdentifiers(data.object('identifiers')),
    preApprovalCategories: preApprovalCategories(data),
    approvedOn: data.date('approvedOn'),
    operatorName: data.string('operatorName'),
    operatorNature: data.oneOf('operatorNature', OPERATOR_NATURES),
    source: data.oneOf('source', ['filing', 'imported'] as const),
  };
  if (data.has('filingId')) registered.filingId = data.string('filingId');
  if (data.has('accesses')) registered.accesses = data.list('accesses', serviceAccess);
  return registered;
}

/** Absent `filingId`: an access that predates the filing kept with it. */
function serviceAccess(value: Json, at: DataReader): ServiceAccess {
  const item = at.nested(value);
  const access: ServiceAccess = { ispName: item.string('ispName') };
  if (item.has('filingId')) access.filingId = item.string('filingId');
  return access;
}

/** What a version of a service states, in the order ServiceChanged gives it. */
function serviceFacts(data: DataReader) {
  return {
    name: data.string('name'),
    identifiers: serviceIdentifiers(data.object('identifiers')),
    preApprovalCategories: preApprovalCategories(data),
    operatorName: data.string('operatorName'),
    operatorNature: data.oneOf('operatorNature', OPERATOR_NATURES),
  };
}

function preApprovalCategories(data: DataReader): RegulatedCategory[] {
  return data.list('preApprovalCategories', (value, at) => at.choice(value, REGULATED_CATEGORIES));
}

/** Keys in the order the writer (service-identifiers.ts) gives them, as read models store them. */
function serviceIdentifiers(data: DataReader): ServiceIdentifiers {
  const packages = data.list('packages', (value, at) => {
    const item = at.nested(value);
    return {
      os: item.oneOf('os', ['android', 'harmony'] as const),
      packageName: item.string('packageName'),
      signatureMd5: item.string('signatureMd5'),
    };
  });
  const bundles = data.list('bundles', (value, at) => {
    const item = at.nested(value);
    return { bundleId: item.string('bundleId'), signatureSha1: item.string('signatureSha1') };
  });
  const miniProgram = data.has('miniProgram') ? data.object('miniProgram') : undefined;
  return {
    packages,
    bundles,
    ...(miniProgram && {
      miniProgram: {
        miniProgramId: miniProgram.string('miniProgramId'),
        hostApp: miniProgram.string('hostApp'),
      },
    }),
    ...(data.has('quickAppPackage') && { quickAppPackage: data.string('quickAppPackage') }),
    domains: data.list('domains', (value, at) => at.text(value)),
  };
}

export function decodeIdentifierEvent(recorded: DecodableEvent): IdentifierEvent {
  const data = new DataReader(recorded);
  switch (recorded.type) {
    case 'ServiceIdentifierClaimed':
      return { type: recorded.type, data: { filingId: data.string('filingId') } };
    case 'ServiceIdentifierReleased':
      return {
        type: recorded.type,
        data: { serviceNumber: data.string('serviceNumber'), filingId: data.string('filingId') },
      };
    default:
      throw new CorruptRegistryStreamError(recorded, 'not an event of an identifier-claim stream');
  }
}

const CHINA_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the fields of one JSON object of an event's data; any mismatch is a corrupt stream. */
class DataReader {
  private readonly data: { readonly [key: string]: Json };

  constructor(
    private readonly recorded: DecodableEvent,
    value: Json = recorded.data,
    private readonly at = 'data',
  ) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new CorruptRegistryStreamError(recorded, `${at} is not an object`);
    }
    this.data = value;
  }

  has(key: string): boolean {
    return Object.hasOwn(this.data, key) && this.data[key] !== undefined && this.data[key] !== null;
  }

  string(key: string): string {
    return this.text(this.data[key], key);
  }

  text(value: Json | undefined, key = 'item'): string {
    if (typeof value !== 'string' || value === '') this.fail(key, 'a non-empty string');
    return value;
  }

  date(key: string): string {
    const value = this.string(key);
    if (!CHINA_DATE.test(value)) this.fail(key, 'a YYYY-MM-DD date');
    return value;
  }

  positiveInteger(key: string): number {
    const value = this.data[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
      this.fail(key, 'a positive integer');
    return value;
  }

  oneOf<const T extends string>(key: string, allowed: readonly T[]): T {
    return this.choice(this.data[key], allowed, key);
  }

  choice<const T extends string>(value: Json | undefined, allowed: readonly T[], key = 'item'): T {
    const match = allowed.find((candidate) => candidate === value);
    if (match === undefined) this.fail(key, `one of ${allowed.join(', ')}`);
    return match;
  }

  object(key: string): DataReader {
    return new DataReader(this.recorded, this.data[key] ?? null, `${this.at}.${key}`);
  }

  nested(value: Json): DataReader {
    return new DataReader(this.recorded, value, `${this.at} item`);
  }

  list<T>(key: string, item: (value: Json, reader: DataReader) => T): T[] {
    const value = this.data[key];
    if (!Array.isArray(value)) this.fail(key, 'a list');
    return value.map((element) => item(element, this));
  }

  private fail(key: string, expected: string): never {
    throw new CorruptRegistryStreamError(this.recorded, `${this.at}.${key} is not ${expected}`);
  }
}
