import type { EventLog } from '../../events/ports/event-log.port';
import { MAX_SUBJECT_SEQUENCE, formatSubjectNumber } from '../../events/registration-number';
import {
  type RegistrySealContext,
  type RegistryStreamHead,
  registryStreamHead,
  sealRegistryEvent,
} from '../../events/registry/registry-envelope';
import type {
  RegistryEvent,
  ServiceRegisteredData,
  SubjectRegisteredData,
} from '../../events/registry/registry-events';
import {
  serviceStreamId,
  subjectSequenceStreamId,
  subjectStreamId,
} from '../../events/registry/registry-streams';
import { RegistryDomainError } from '../../events/registry/registry-errors';
import { decideService, foldService } from '../../events/registry/service';
import {
  type SubjectState,
  decideSubject,
  foldSubject,
  serviceOfFiling,
} from '../../events/registry/subject';
import { RegistrationNumberRefusedError } from './allocation-errors';
import {
  type RegistrationNumberRequest,
  type ValidRegistrationNumberRequest,
  validRegistrationNumberRequest,
} from './allocation-request';
import {
  type Attempt,
  CONTENDED,
  type ContentionRetryOptions,
  DEFAULT_CONTENTION_RETRY,
  retryWhileContended,
  settled,
} from './contention-retry';
import { appendSealed } from './optimistic-append';
import { SubjectSequenceLedger } from './subject-sequence-ledger';

export interface AllocatedRegistrationNumber {
  subjectNumber: string;
  serviceNumber: string;
  n: number;
  /** The operator's name as the registry publishes it. */
  operatorName: string;
}

export interface RegistrationNumberAllocator {
  /**
   * The filing's subject and service numbers, with the service registered under its number.
   * Idempotent per filingId; unique across processes sharing the log (optimistic concurrency on the
   * registry streams).
   *
   * @throws RegistrationNumberRefusedError when the request cannot be met (do not retry unchanged)
   * @throws RegistryContentionError when every attempt lost a race (retry later)
   */
  allocate(request: RegistrationNumberRequest): Promise<AllocatedRegistrationNumber>;
}

export interface RegistrationNumberAllocatorDeps {
  eventLog: EventLog;
  retry?: Partial<ContentionRetryOptions>;
}

type RegisteredSubject = Extract<SubjectState, { status: 'registered' }>;

/** The allocator records what the filing's issuance caused. */
const ALLOCATOR = { role: 'system', id: 'registration-number-allocator' } as const;

export function createRegistrationNumberAllocator(
  deps: RegistrationNumberAllocatorDeps,
): RegistrationNumberAllocator {
  const { eventLog } = deps;
  const retry = { ...DEFAULT_CONTENTION_RETRY, ...deps.retry };
  const ledgers = new Map<string, SubjectSequenceLedger>();

  async function caughtUpLedger(provinceCode: string, year: number): Promise<SubjectSequenceLedger> {
    const streamId = subjectSequenceStreamId(provinceCode, year);
    let ledger = ledgers.get(streamId);
    if (!ledger) {
      ledger = new SubjectSequenceLedger(streamId);
      ledgers.set(streamId, ledger);
    }
    ledger.apply(await eventLog.readStream(streamId, { fromRevision: ledger.revision + 1 }));
    return ledger;
  }

  async function readSubject(streamId: string): Promise<{ state: SubjectState; head: RegistryStreamHead }> {
    const events = await eventLog.readStream(streamId);
    return { state: foldSubject(events), head: registryStreamHead(events) };
  }

  /** One pass: each step reads before it writes, so a pass after a lost race resumes where it stopped. */
  async function attempt(
    request: ValidRegistrationNumberRequest,
  ): Promise<Attempt<AllocatedRegistrationNumber>> {
    const context = sealContext(request);
    const streamId = subjectStreamId(request.provinceCode, request.subjectKeyDigest);
    const { state, head } = await readSubject(streamId);
    if (state.status === 'unregistered') {
      const registration = await claimSubjectNumber(request, context);
      if (!registration.settled) return CONTENDED;
      const events = decideSubject({ type: 'RegisterSubject', registration: registration.value }, state);
      return (await appendDecided(streamId, head, events, context)) ? attempt(request) : CONTENDED;
    }
    if (state.status === 'cancelled') {
      // A cancelled subject's number is never reissued, and its stream takes nothing more.
      throw new RegistrationNumberRefusedError(
        'subject_cancelled',
        `${state.registration.subjectNumber} was cancelled on ${state.cancellation.cancelledOn}`,
      );
    }
    assertHeldSubjectNumber(request, state);
    const allocation = allocateServiceNumber(request, state);
    if (allocation.length === 0) return registerService(request, state, context);
    return (await appendDecided(streamId, head, allocation, context)) ? attempt(request) : CONTENDED;
  }

  /** A decision's events, in order after `head`; false as soon as another writer got in first. */
  async function appendDecided(
    streamId: string,
    head: RegistryStreamHead,
    events: readonly RegistryEvent[],
    context: RegistrySealContext,
  ): Promise<boolean> {
    let at = head;
    for (const event of events) {
      if (!(await appendSealed(eventLog, streamId, at, event, context))) return false;
      at = sealRegistryEvent(streamId, at, event, context).head;
    }
    return true;
  }

  /** The number the subject will hold: the one its counter already gave it, or the next free one. */
  async function claimSubjectNumber(
    request: ValidRegistrationNumberRequest,
    context: RegistrySealContext,
  ): Promise<Attempt<SubjectRegisteredData>> {
    if (request.existingSubjectNumber !== undefined) {
      throw new RegistrationNumberRefusedError(
        'subject_not_registered',
        `${request.existingSubjectNumber} is not in the registry under the certificate the filing carries`,
      );
    }
    const operator = request.operator;
    if (operator === undefined) {
      throw new RegistrationNumberRefusedError(
        'operator_unknown',
        'a new subject needs the operator section',
      );
    }
    const registration = (subjectNumber: string, source: SubjectRegisteredData['source']) =>
      settled<SubjectRegisteredData>({
        subjectKeyDigest: request.subjectKeyDigest,
        provinceCode: request.provinceCode,
        subjectNumber,
        source,
        operatorName: operator.name,
        operatorNature: operator.nature,
        certificateType: request.certificateType,
      });
    const ledger = await caughtUpLedger(request.provinceCode, request.year);
    // A concurrent allocation for the same subject may have claimed a sequence without registering yet.
    const held = ledger.numberHeldBy(request.subjectKeyDigest);
    if (held) return registration(held.number, held.source);
    const sequence = ledger.nextFreeSequence();
    if (sequence > MAX_SUBJECT_SEQUENCE) {
      throw new RegistrationNumberRefusedError(
        'subject_sequence_exhausted',
        `no subject number left for province ${request.provinceCode} in ${request.year}`,
      );
    }
    const number = formatSubjectNumber({ provinceCode: request.provinceCode, year: request.year, sequence });
    const data = { subjectKeyDigest: request.subjectKeyDigest, sequence, number };
    const event = { type: 'SubjectNumberAllocated', data } as const;
    return (await appendSealed(eventLog, ledger.streamId, ledger.head, event, context))
      ? registration(number, 'allocated')
      : CONTENDED;
  }

  /** The service's public facts under its number: written once, the same on every retry. */
  async function registerService(
    request: ValidRegistrationNumberRequest,
    subject: RegisteredSubject,
    context: RegistrySealContext,
  ): Promise<Attempt<AllocatedRegistrationNumber>> {
    const issued = serviceOfFiling(subject, request.filingId);
    if (!issued) throw new Error(`filing ${request.filingId} holds no service number after allocation`);
    const operator = operatorOf(request, subject);
    const service: ServiceRegisteredData = {
      serviceNumber: issued.number,
      subjectNumber: subject.registration.subjectNumber,
      serviceType: issued.serviceType,
      name: request.service.name,
      identifiers: request.service.identifiers,
      preApprovalCategories: request.service.preApprovalCategories,
      approvedOn: request.approvedOn,
      operatorName: operator.name,
      operatorNature: operator.nature,
      filingId: request.filingId,
      source: 'filing',
      ...(request.service.ispName === undefined
        ? {}
        : { accesses: [{ ispName: request.service.ispName, filingId: request.filingId }] }),
    };
    const streamId = serviceStreamId(issued.number);
    const events = await eventLog.readStream(streamId);
    const decided = decideService({ type: 'RegisterService', service }, foldService(events));
    if (!(await appendDecided(streamId, registryStreamHead(events), decided, context))) return CONTENDED;
    return settled({
      subjectNumber: subject.registration.subjectNumber,
      serviceNumber: issued.number,
      n: issued.n,
      operatorName: operator.name,
    });
  }

  return {
    async allocate(input) {
      const request = validRegistrationNumberRequest(input);
      return retryWhileContended(
        () => attempt(request),
        retry,
        `registration number for filing ${request.filingId}`,
      );
    },
  };
}

/** The filing's service number, unless it holds one (of another type: refused, as the request is wrong). */
function allocateServiceNumber(request: ValidRegistrationNumberRequest, subject: RegisteredSubject) {
  const command = {
    type: 'AllocateServiceNumber',
    filingId: request.filingId,
    serviceType: request.serviceType,
  } as const;
  try {
    return decideSubject(command, subject);
  } catch (error) {
    if (error instanceof RegistryDomainError && error.code === 'service_type_mismatch') {
      throw new RegistrationNumberRefusedError('service_type_mismatch', error.message);
    }
    throw error;
  }
}

function sealContext(request: ValidRegistrationNumberRequest): RegistrySealContext {
  return { occurredAt: request.at, recordedBy: ALLOCATOR, causationId: request.filingId };
}

/** A filing naming a subject number is issued under it only if the certificate holds that very number. */
function assertHeldSubjectNumber(request: ValidRegistrationNumberRequest, subject: RegisteredSubject): void {
  const { existingSubjectNumber } = request;
  const held = subject.registration.subjectNumber;
  if (existingSubjectNumber !== undefined && existingSubjectNumber !== held) {
    throw new RegistrationNumberRefusedError(
      'subject_number_mismatch',
      `the certificate the filing carries holds ${held}, not ${existingSubjectNumber}`,
    );
  }
}

/** The form's operator section, else the registry subject's (absent only in version-1 registrations). */
function operatorOf(
  request: ValidRegistrationNumberRequest,
  subject: RegisteredSubject,
): { name: string; nature: NonNullable<SubjectRegisteredData['operatorNature']> } {
  if (request.operator) return request.operator;
  const { operatorName, operatorNature } = subject.registration;
  if (operatorName !== undefined && operatorNature !== undefined) {
    return { name: operatorName, nature: operatorNature };
  }
  throw new RegistrationNumberRefusedError(
    'operator_unknown',
    `the registry does not name the operator of ${subject.registration.subjectNumber}; give the operator section`,
  );
}
