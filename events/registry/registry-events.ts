import { SERVICE_TYPES, type ServiceType } from '../form/registration-form';
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

export type SubjectNumberSource = 'allocated' | 'existing';

export type SubjectRegisteredData = {
  subjectKeyDigest: string;
  provinceCode: string;
  subjectNumber: string;
  source: SubjectNumberSource;
};

export type ServiceNumberAllocatedData = {
  filingId: string;
  serviceType: ServiceType;
  n: number;
  number: string;
};

/** In `registry-subject-<province>-<digest>`: the subject's number, then one event per service number. */
export type SubjectEvent =
  | { type: 'SubjectRegistered'; data: SubjectRegisteredData }
  | { type: 'ServiceNumberAllocated'; data: ServiceNumberAllocatedData };

export type RegistryEvent = SubjectSequenceEvent | SubjectEvent;

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
          serviceType: data.oneOf('serviceType', SERVICE_TYPES),
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
