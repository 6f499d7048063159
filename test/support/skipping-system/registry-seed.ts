import type { EventLog } from '../../../events/ports/event-log.port';
import { subjectKeyOf } from '../../../events/registry/import-line';
import {
  EMPTY_REGISTRY_STREAM,
  type RegistrySealContext,
  sealRegistryEvent,
} from '../../../events/registry/registry-envelope';
import type { RegistryEvent, ServiceIdentifiers } from '../../../events/registry/registry-events';
import {
  serviceStreamId,
  subjectKeyDigestOf,
  subjectSequenceStreamId,
  subjectStreamId,
} from '../../../events/registry/registry-streams';
import { parseRegistrationNumber, type RegisteredServiceType } from '../../../events/registration-number';
import { uscc } from '../registry-import-lines';

/**
 * What the registry held before the system started, written as `icp registry import` writes it
 * (sealed, hash-chained, recorded by an admin), except that services may carry the ISPs serving them
 * (`accesses`), which an import file cannot say, and may have been cancelled since.
 */

export interface SeedService {
  /** The service's n under its subject (suffix from its type). */
  n: number;
  serviceType: Extract<RegisteredServiceType, 'app' | 'website'>;
  name: string;
  identifiers: ServiceIdentifiers;
  approvedOn: string;
  /** ISPs serving it (ServiceRegistered.accesses). */
  ispNames?: string[];
  /** Cancelled on this China date (ServiceCancelled, scope service). */
  cancelledOn?: string;
}

export interface SeedSubject {
  provinceCode: string;
  /** `粤ICP备2019000001号`-style: the seed claims the number in its province's counter for that year. */
  subjectNumber: string;
  operatorName: string;
  /** Makes the operator's USCC (distinct per index). */
  certificateIndex: number;
  services: SeedService[];
}

const SUFFIX = { app: 'A', website: '' } as const;

export function seedServiceNumber(subject: Pick<SeedSubject, 'subjectNumber'>, service: SeedService): string {
  return `${subject.subjectNumber}-${service.n}${SUFFIX[service.serviceType]}`;
}

/** Writes each subject with its services; every stream is new (expected revision `no_stream`). */
export async function seedRegistry(
  eventLog: EventLog,
  subjects: readonly SeedSubject[],
  occurredAt: string,
): Promise<void> {
  const counters = new Map<string, Array<{ sequence: number; subjectKeyDigest: string; number: string }>>();
  for (const subject of subjects) {
    const parsed = parseRegistrationNumber(subject.subjectNumber);
    if (!parsed.ok || parsed.number.format !== 'icp') {
      throw new RangeError(`seed subjects need an ICP-format number, got ${subject.subjectNumber}`);
    }
    const { year, sequence } = parsed.number;
    const counterId = subjectSequenceStreamId(subject.provinceCode, year);
    const claims = counters.get(counterId) ?? [];
    claims.push({ sequence, subjectKeyDigest: digestOf(subject), number: subject.subjectNumber });
    counters.set(counterId, claims);
  }
  const admin: RegistrySealContext = {
    occurredAt,
    recordedBy: { role: 'admin', id: 'seed' },
    causationId: '',
  };
  for (const [counterId, claims] of counters) {
    const context = { ...admin, causationId: `seed:${counterId}` };
    await appendSealed(
      eventLog,
      counterId,
      claims.map((data) => ({ event: { type: 'ExistingSubjectNumberRecorded', data }, context })),
    );
  }
  for (const subject of subjects) await seedSubject(eventLog, subject, admin);
}

async function seedSubject(eventLog: EventLog, subject: SeedSubject, admin: RegistrySealContext) {
  const context = { ...admin, causationId: `seed:${subject.subjectNumber}` };
  const subjectEvents: RegistryEvent[] = [
    {
      type: 'SubjectRegistered',
      data: {
        subjectKeyDigest: digestOf(subject),
        provinceCode: subject.provinceCode,
        subjectNumber: subject.subjectNumber,
        source: 'imported',
        operatorName: subject.operatorName,
        operatorNature: 'enterprise',
        certificateType: 'uscc',
      },
    },
    ...subject.services.map((service): RegistryEvent => ({
      type: 'ExistingServiceRecorded',
      data: {
        serviceType: service.serviceType,
        n: service.n,
        number: seedServiceNumber(subject, service),
        importLineId: context.causationId,
      },
    })),
  ];
  await appendSealed(
    eventLog,
    subjectStreamId(subject.provinceCode, digestOf(subject)),
    subjectEvents.map((event) => ({ event, context })),
  );
  for (const service of subject.services) {
    const serviceNumber = seedServiceNumber(subject, service);
    const registered: RegistryEvent = {
      type: 'ServiceRegistered',
      data: {
        serviceNumber,
        subjectNumber: subject.subjectNumber,
        serviceType: service.serviceType,
        name: service.name,
        identifiers: service.identifiers,
        preApprovalCategories: [],
        approvedOn: service.approvedOn,
        operatorName: subject.operatorName,
        operatorNature: 'enterprise',
        source: 'imported',
        ...(service.ispNames && { accesses: service.ispNames.map((ispName) => ({ ispName })) }),
      },
    };
    const events: SealedEvent[] = [{ event: registered, context }];
    if (service.cancelledOn) {
      const filingId = `seed-cancellation-${serviceNumber}`;
      events.push({
        event: {
          type: 'ServiceCancelled',
          data: { filingId, cancelledOn: service.cancelledOn, scope: 'service' },
        },
        // A cancellation is applied by the system when its filing completes.
        context: { ...context, recordedBy: { role: 'system', id: 'seed' }, causationId: filingId },
      });
    }
    await appendSealed(eventLog, serviceStreamId(serviceNumber), events);
  }
}

interface SealedEvent {
  event: RegistryEvent;
  context: RegistrySealContext;
}

function digestOf(subject: SeedSubject): string {
  return subjectKeyDigestOf(subjectKeyOf('uscc', uscc(subject.certificateIndex)));
}

/** Seals `events` into a new stream, each chained to the one before, and appends them. */
async function appendSealed(eventLog: EventLog, streamId: string, events: readonly SealedEvent[]) {
  let head = EMPTY_REGISTRY_STREAM;
  const envelopes = events.map(({ event, context }) => {
    const sealed = sealRegistryEvent(streamId, head, event, context);
    head = sealed.head;
    return sealed.envelope;
  });
  await eventLog.appendToStream(streamId, envelopes, { expectedRevision: 'no_stream' });
}
