import { type OperatorNature, type RegulatedCategory } from '../form/registration-form';
import { type RegisteredServiceType, SERVICE_SUFFIXES } from '../registration-number';
import type { EventToAppend, Json, RecordedEvent } from '../ports/event-log.port';

/** Events of the registry streams (see registry-streams.ts). Names are a contract: past tense, never renamed. */

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
  | { type: 'ExistingServiceRecorded'; data: ExistingServiceRecordedData };

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
};

/** In `registry-service-<service number>`: the service's life. */
export type ServiceEvent = { type: 'ServiceRegistered'; data: ServiceRegisteredData };

/** In `registry-identifier-<digest>`: the filing that claimed an identifier at submission. */
export type IdentifierEvent = { type: 'ServiceIdentifierClaimed'; data: { filingId: string } };

export type RegistryEvent = SubjectSequenceEvent | SubjectEvent | ServiceEvent | IdentifierEvent;

/** An event ready to append but for its id, which depends on the revision it is appended at. */
export type UnplacedEvent = Omit<EventToAppend, 'id'>;

/** The filing that caused the event is kept for auditors; it is not part of what the event states. */
export function unplaced(event: RegistryEvent, causedByFilingId: string): UnplacedEvent {
  return {
    type: event.type,
    data: event.data,
    metadata: { schemaVersion: REGISTRY_SCHEMA_VERSION, causedByFilingId },
  };
}

export class CorruptRegistryStreamError extends Error {
  override readonly name = 'CorruptRegistryStreamError';
  constructor(recorded: Pick<RecordedEvent, 'streamId' | 'revision' | 'type'>, problem: string) {
    super(
      `registry stream ${recorded.streamId} at revision ${recorded.revision} (${recorded.type}): ${problem}`,
    );
  }
}

export function decodeSubjectSequenceEvent(recorded: RecordedEvent): SubjectSequenceEvent {
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

export function decodeSubjectEvent(recorded: RecordedEvent): SubjectEvent {
  const data = new DataReader(recorded);
  switch (recorded.type) {
    case 'SubjectRegistered':
      return {
        type: recorded.type,
        data: {
          subjectKeyDigest: data.string('subjectKeyDigest'),
          provinceCode: data.string('provinceCode'),
          subjectNumber: data.string('subjectNumber'),
          source: data.oneOf('source', ['allocated', 'existing'] as const),
        },
      };
    case 'ServiceNumberAllocated':
      return {
        type: recorded.type,
        data: {
          filingId: data.string('filingId'),
          serviceType: data.oneOf('serviceType', Object.keys(SERVICE_SUFFIXES) as RegisteredServiceType[]),
          n: data.positiveInteger('n'),
          number: data.string('number'),
        },
      };
    default:
      throw new CorruptRegistryStreamError(recorded, 'not an event of a subject stream');
  }
}

class DataReader {
  private readonly data: { readonly [key: string]: Json };

  constructor(private readonly recorded: RecordedEvent) {
    const data = recorded.data;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new CorruptRegistryStreamError(recorded, 'data is not an object');
    }
    this.data = data;
  }

  string(key: string): string {
    const value = this.data[key];
    if (typeof value !== 'string' || value === '') this.fail(key, 'a non-empty string');
    return value;
  }

  positiveInteger(key: string): number {
    const value = this.data[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
      this.fail(key, 'a positive integer');
    return value;
  }

  oneOf<const T extends string>(key: string, allowed: readonly T[]): T {
    const value = this.data[key];
    const match = allowed.find((candidate) => candidate === value);
    if (match === undefined) this.fail(key, `one of ${allowed.join(', ')}`);
    return match;
  }

  private fail(key: string, expected: string): never {
    throw new CorruptRegistryStreamError(this.recorded, `data.${key} is not ${expected}`);
  }
}
