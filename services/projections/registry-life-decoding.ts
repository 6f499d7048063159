import type { Json } from '../../events/ports/event-log.port';
import { OPERATOR_NATURES, REGULATED_CATEGORIES } from '../../events/form/registration-form';
import type {
  ServiceAccess,
  ServiceIdentifiers,
  ServiceLifeEvent,
  SubjectLifeEvent,
} from '../../events/registry/registry-events';
import { type ProjectableEvent, ProjectionError } from './projectable-event';

/*
 * FOR THE LEAD TO SWITCH: a stop-gap reading of the registry's life events (and of
 * `ServiceRegistered.accesses`) until the shared decoders in events/registry/registry-events.ts
 * (`decodeServiceEvent`, `decodeSubjectEvent`, written by helper b1) return `ServiceLifeEvent`,
 * `SubjectLifeEvent` and `accesses`. Once they do, registry.projection.ts should call them instead
 * and this file goes. It checks only what the projection reads.
 */

type Data = { readonly [key: string]: Json };

const SERVICE_LIFE_TYPES = [
  'ServiceChanged',
  'ServiceAccessAdded',
  'ServiceAccessWithdrawn',
  'ServiceCancelled',
] as const;
const SUBJECT_LIFE_TYPES = ['SubjectChanged', 'SubjectCancelled', 'SubjectLeftWithoutServices'] as const;

export function isServiceLifeType(type: string): type is ServiceLifeEvent['type'] {
  return (SERVICE_LIFE_TYPES as readonly string[]).includes(type);
}

export function isSubjectLifeType(type: string): type is SubjectLifeEvent['type'] {
  return (SUBJECT_LIFE_TYPES as readonly string[]).includes(type);
}

/** A service stream's life event (not ServiceRegistered). */
export function decodeServiceLifeEvent(recorded: ProjectableEvent): ServiceLifeEvent {
  const data = new Fields(recorded);
  switch (recorded.type) {
    case 'ServiceChanged':
      return {
        type: recorded.type,
        data: {
          filingId: data.text('filingId'),
          version: data.positiveInteger('version'),
          changedOn: data.date('changedOn'),
          name: data.text('name'),
          identifiers: data.identifiers('identifiers'),
          preApprovalCategories: data
            .texts('preApprovalCategories')
            .map((category) => data.choice('preApprovalCategories', category, REGULATED_CATEGORIES)),
          operatorName: data.text('operatorName'),
          operatorNature: data.choice('operatorNature', data.text('operatorNature'), OPERATOR_NATURES),
        },
      };
    case 'ServiceAccessAdded':
      return {
        type: recorded.type,
        data: {
          filingId: data.text('filingId'),
          ispName: data.text('ispName'),
          addedOn: data.date('addedOn'),
        },
      };
    case 'ServiceAccessWithdrawn':
      return {
        type: recorded.type,
        data: {
          withdrawalId: data.text('withdrawalId'),
          ispName: data.text('ispName'),
          reason: data.text('reason'),
          withdrawnOn: data.date('withdrawnOn'),
        },
      };
    case 'ServiceCancelled':
      return {
        type: recorded.type,
        data: {
          filingId: data.text('filingId'),
          cancelledOn: data.date('cancelledOn'),
          scope: data.choice('scope', data.text('scope'), ['service', 'subject'] as const),
        },
      };
    default:
      throw new ProjectionError(`${recorded.streamId}: ${recorded.type} is not a service life event`);
  }
}

/** A subject stream's life event (after its services). */
export function decodeSubjectLifeEvent(recorded: ProjectableEvent): SubjectLifeEvent {
  const data = new Fields(recorded);
  switch (recorded.type) {
    case 'SubjectChanged':
      return {
        type: recorded.type,
        data: {
          filingId: data.text('filingId'),
          operatorName: data.text('operatorName'),
          operatorNature: data.choice('operatorNature', data.text('operatorNature'), OPERATOR_NATURES),
          changedOn: data.date('changedOn'),
        },
      };
    case 'SubjectCancelled':
      return {
        type: recorded.type,
        data: {
          filingId: data.text('filingId'),
          cancelledOn: data.date('cancelledOn'),
          serviceNumbers: data.texts('serviceNumbers'),
        },
      };
    case 'SubjectLeftWithoutServices':
      return {
        type: recorded.type,
        data: {
          filingId: data.text('filingId'),
          lastServiceNumber: data.text('lastServiceNumber'),
          flaggedOn: data.date('flaggedOn'),
        },
      };
    default:
      throw new ProjectionError(`${recorded.streamId}: ${recorded.type} is not a subject life event`);
  }
}

/** `ServiceRegistered.accesses`; undefined when the event predates them. */
export function accessesOfServiceRegistered(recorded: ProjectableEvent): ServiceAccess[] | undefined {
  const data = new Fields(recorded);
  if (!data.has('accesses')) return undefined;
  return data.list('accesses').map((item) => {
    const access = new Fields(recorded, item, 'data.accesses item');
    return {
      ispName: access.text('ispName'),
      ...(access.has('filingId') && { filingId: access.text('filingId') }),
    };
  });
}

const CHINA_DATE = /^\d{4}-\d{2}-\d{2}$/;

class Fields {
  private readonly data: Data;

  constructor(
    private readonly recorded: ProjectableEvent,
    value: Json | undefined = recorded.data,
    private readonly at = 'data',
  ) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail('', 'an object');
    this.data = value;
  }

  has(key: string): boolean {
    return this.data[key] !== undefined && this.data[key] !== null;
  }

  text(key: string): string {
    const value = this.data[key];
    if (typeof value !== 'string' || value === '') this.fail(key, 'a non-empty string');
    return value;
  }

  date(key: string): string {
    const value = this.text(key);
    if (!CHINA_DATE.test(value)) this.fail(key, 'a YYYY-MM-DD date');
    return value;
  }

  positiveInteger(key: string): number {
    const value = this.data[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
      this.fail(key, 'a positive integer');
    return value;
  }

  choice<const T extends string>(key: string, value: string, allowed: readonly T[]): T {
    const match = allowed.find((candidate) => candidate === value);
    if (match === undefined) this.fail(key, `one of ${allowed.join(', ')}`);
    return match;
  }

  list(key: string): Json[] {
    const value = this.data[key];
    if (!Array.isArray(value)) this.fail(key, 'a list');
    return value;
  }

  texts(key: string): string[] {
    return this.list(key).map((item) => {
      if (typeof item !== 'string' || item === '') this.fail(key, 'a list of non-empty strings');
      return item;
    });
  }

  /** Identifiers as the writer gives them (service-identifiers.ts); the lists must be there. */
  identifiers(key: string): ServiceIdentifiers {
    const value = new Fields(this.recorded, this.data[key], `${this.at}.${key}`);
    value.list('packages');
    value.list('bundles');
    value.texts('domains');
    return this.data[key] as unknown as ServiceIdentifiers;
  }

  private fail(key: string, expected: string): never {
    const field = key === '' ? this.at : `${this.at}.${key}`;
    throw new ProjectionError(`${this.recorded.streamId} ${this.recorded.type}: ${field} is not ${expected}`);
  }
}
