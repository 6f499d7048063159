import { isCalendarDate } from '../../events/calendar-date';
import { OPERATOR_NATURES, REGULATED_CATEGORIES } from '../../events/form/registration-form';
import type { Json, RecordedEvent } from '../../events/ports/event-log.port';
import { type RegisteredServiceType, SERVICE_SUFFIXES } from '../../events/registration-number';
import type {
  ExistingServiceRecordedData,
  RegistryEvent,
  ServiceIdentifiers,
  ServiceRegisteredData,
  SubjectNumberClaim,
  SubjectRegisteredData,
} from '../../events/registry/registry-events';

/**
 * Reads a stored registry event's data against the shapes of registry-events.ts, the whole event,
 * optional fields included: an auditor reports what does not fit (`unreadable_event`) rather than
 * folding a guess.
 */

type Fields = { readonly [key: string]: Json };

class Unreadable extends Error {}

const SERVICE_TYPES = Object.keys(SERVICE_SUFFIXES) as RegisteredServiceType[];
const HEX = (length: number) => new RegExp(`^[0-9a-f]{${length}}$`);

/** Typed access to one JSON object; `path` names it in the problem (`data.identifiers.packages[0]`). */
class FieldReader {
  readonly fields: Fields;

  constructor(
    value: Json | undefined,
    private readonly path: string,
  ) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new Unreadable(`${path} is not an object`);
    }
    this.fields = value;
  }

  private fail(key: string, expected: string): never {
    throw new Unreadable(`${this.path}.${key} is not ${expected}`);
  }

  has(key: string): boolean {
    return Object.hasOwn(this.fields, key) && this.fields[key] !== undefined;
  }

  string(key: string, pattern?: RegExp): string {
    const value = this.fields[key];
    if (typeof value !== 'string' || value === '') this.fail(key, 'a non-empty string');
    if (pattern && !pattern.test(value)) this.fail(key, `of the form ${pattern.source}`);
    return value;
  }

  positiveInteger(key: string): number {
    const value = this.fields[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      this.fail(key, 'a positive integer');
    }
    return value;
  }

  oneOf<const T extends string>(key: string, allowed: readonly T[]): T {
    const match = allowed.find((candidate) => candidate === this.fields[key]);
    if (match === undefined) this.fail(key, `one of ${allowed.join(', ')}`);
    return match;
  }

  date(key: string): string {
    const value = this.string(key);
    if (!isCalendarDate(value)) this.fail(key, 'a date written YYYY-MM-DD');
    return value;
  }

  object(key: string): FieldReader {
    return new FieldReader(this.fields[key], `${this.path}.${key}`);
  }

  list<T>(key: string, item: (value: Json, path: string) => T): T[] {
    const value = this.fields[key];
    if (!Array.isArray(value)) this.fail(key, 'a list');
    return value.map((entry, index) => item(entry, `${this.path}.${key}[${index}]`));
  }
}

function claimOf(data: FieldReader): SubjectNumberClaim {
  return {
    subjectKeyDigest: data.string('subjectKeyDigest', HEX(64)),
    sequence: data.positiveInteger('sequence'),
    number: data.string('number'),
  };
}

function subjectRegisteredOf(data: FieldReader): SubjectRegisteredData {
  return {
    subjectKeyDigest: data.string('subjectKeyDigest', HEX(64)),
    provinceCode: data.string('provinceCode'),
    subjectNumber: data.string('subjectNumber'),
    source: data.oneOf('source', ['allocated', 'existing', 'imported'] as const),
    ...(data.has('operatorName') ? { operatorName: data.string('operatorName') } : {}),
    ...(data.has('operatorNature') ? { operatorNature: data.oneOf('operatorNature', OPERATOR_NATURES) } : {}),
    ...(data.has('certificateType')
      ? { certificateType: data.oneOf('certificateType', ['uscc', 'resident_id'] as const) }
      : {}),
  };
}

function existingServiceOf(data: FieldReader): ExistingServiceRecordedData {
  return {
    serviceType: data.oneOf('serviceType', SERVICE_TYPES),
    n: data.positiveInteger('n'),
    number: data.string('number'),
    importLineId: data.string('importLineId'),
  };
}

function identifiersOf(data: FieldReader): ServiceIdentifiers {
  const packages = data.list('packages', (value, path) => {
    const entry = new FieldReader(value, path);
    return {
      os: entry.oneOf('os', ['android', 'harmony'] as const),
      packageName: entry.string('packageName'),
      signatureMd5: entry.string('signatureMd5', HEX(32)),
    };
  });
  const bundles = data.list('bundles', (value, path) => {
    const entry = new FieldReader(value, path);
    return { bundleId: entry.string('bundleId'), signatureSha1: entry.string('signatureSha1', HEX(40)) };
  });
  const domains = data.list('domains', (value, path) => {
    if (typeof value !== 'string' || value === '') throw new Unreadable(`${path} is not a domain name`);
    return value;
  });
  const miniProgram = data.has('miniProgram') ? data.object('miniProgram') : undefined;
  return {
    packages,
    bundles,
    ...(miniProgram
      ? {
          miniProgram: {
            miniProgramId: miniProgram.string('miniProgramId'),
            hostApp: miniProgram.string('hostApp'),
          },
        }
      : {}),
    ...(data.has('quickAppPackage') ? { quickAppPackage: data.string('quickAppPackage') } : {}),
    domains,
  };
}

function serviceRegisteredOf(data: FieldReader): ServiceRegisteredData {
  const categories = data.list('preApprovalCategories', (value, path) => {
    const category = REGULATED_CATEGORIES.find((candidate) => candidate === value);
    if (category === undefined) throw new Unreadable(`${path} is not a regulated category`);
    return category;
  });
  return {
    serviceNumber: data.string('serviceNumber'),
    subjectNumber: data.string('subjectNumber'),
    serviceType: data.oneOf('serviceType', SERVICE_TYPES),
    name: data.string('name'),
    identifiers: identifiersOf(data.object('identifiers')),
    preApprovalCategories: categories,
    approvedOn: data.date('approvedOn'),
    operatorName: data.string('operatorName'),
    operatorNature: data.oneOf('operatorNature', OPERATOR_NATURES),
    ...(data.has('filingId') ? { filingId: data.string('filingId') } : {}),
    source: data.oneOf('source', ['filing', 'imported'] as const),
  };
}

function eventOf(type: string, data: FieldReader): RegistryEvent {
  switch (type) {
    case 'SubjectNumberAllocated':
    case 'ExistingSubjectNumberRecorded':
      return { type, data: claimOf(data) };
    case 'SubjectRegistered':
      return { type, data: subjectRegisteredOf(data) };
    case 'ServiceNumberAllocated':
      return {
        type,
        data: {
          filingId: data.string('filingId'),
          serviceType: data.oneOf('serviceType', SERVICE_TYPES),
          n: data.positiveInteger('n'),
          number: data.string('number'),
        },
      };
    case 'ExistingServiceRecorded':
      return { type, data: existingServiceOf(data) };
    case 'ServiceRegistered':
      return { type, data: serviceRegisteredOf(data) };
    case 'ServiceIdentifierClaimed':
      return { type, data: { filingId: data.string('filingId') } };
    default:
      throw new Unreadable(`${type} is not a registry event`);
  }
}

/** The event as its type declares it, or the first thing about it that does not fit. */
export function readRegistryEvent(
  recorded: Pick<RecordedEvent, 'type' | 'data'>,
): { event: RegistryEvent } | { problem: string } {
  try {
    return { event: eventOf(recorded.type, new FieldReader(recorded.data, 'data')) };
  } catch (error) {
    if (error instanceof Unreadable) return { problem: error.message };
    throw error;
  }
}
