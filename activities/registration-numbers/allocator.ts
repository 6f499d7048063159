import {
  MAX_SUBJECT_SEQUENCE,
  formatServiceNumber,
  formatSubjectNumber,
  parseRegistrationNumber,
} from '../../events/registration-number';
import type { EventLog } from '../../events/ports/event-log.port';
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
import { appendAfter } from './optimistic-append';
import { type SubjectRegisteredData, unplaced } from '../../events/registry/registry-events';
import { subjectSequenceStreamId, subjectStreamId } from '../../events/registry/registry-streams';
import { type SubjectRecord, foldSubjectRecord, nextServiceN, serviceOfFiling } from '../../events/registry/subject-record';
import { SubjectSequenceLedger } from './subject-sequence-ledger';

export interface AllocatedRegistrationNumber {
  subjectNumber: string;
  serviceNumber: string;
  n: number;
}

export interface RegistrationNumberAllocator {
  /**
   * The filing's subject and service numbers. Idempotent per filingId; unique across processes
   * sharing the log (optimistic concurrency on the registry streams).
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

  async function attempt(
    request: ValidRegistrationNumberRequest,
  ): Promise<Attempt<AllocatedRegistrationNumber>> {
    const streamId = subjectStreamId(request.provinceCode, request.subjectKeyDigest);
    const record = foldSubjectRecord(await eventLog.readStream(streamId));
    const issued = serviceOfFiling(record, request.filingId);
    if (issued && record.registration) {
      if (issued.serviceType !== request.serviceType) {
        throw new RegistrationNumberRefusedError(
          'service_type_mismatch',
          `filing ${request.filingId} already holds ${issued.number}, a ${issued.serviceType} number`,
        );
      }
      return settled({
        subjectNumber: record.registration.subjectNumber,
        serviceNumber: issued.number,
        n: issued.n,
      });
    }

    let registration = record.registration;
    let lastRevision = record.revision;
    if (!registration) {
      const claimed = await claimSubjectNumber(request);
      if (!claimed.settled) return CONTENDED;
      const event = unplaced({ type: 'SubjectRegistered', data: claimed.value }, request.filingId);
      if (!(await appendAfter(eventLog, streamId, -1, event))) return CONTENDED;
      registration = claimed.value;
      lastRevision = 0;
    }
    assertSameSubjectNumber(request, registration);
    return allocateService(
      request,
      streamId,
      { ...record, revision: lastRevision },
      registration.subjectNumber,
    );
  }

  async function allocateService(
    request: ValidRegistrationNumberRequest,
    streamId: string,
    record: SubjectRecord,
    subjectNumber: string,
  ): Promise<Attempt<AllocatedRegistrationNumber>> {
    const n = nextServiceN(record);
    const serviceNumber = formatServiceNumber(subjectNumber, n, request.serviceType);
    const data = { filingId: request.filingId, serviceType: request.serviceType, n, number: serviceNumber };
    const event = unplaced({ type: 'ServiceNumberAllocated', data }, request.filingId);
    if (!(await appendAfter(eventLog, streamId, record.revision, event))) return CONTENDED;
    return settled({ subjectNumber, serviceNumber, n });
  }

  /** The number the subject will hold: the one it brought, the one its counter already gave it, or the next free one. */
  async function claimSubjectNumber(
    request: ValidRegistrationNumberRequest,
  ): Promise<Attempt<SubjectRegisteredData>> {
    const registration = (subjectNumber: string, source: SubjectRegisteredData['source']) =>
      settled({
        subjectKeyDigest: request.subjectKeyDigest,
        provinceCode: request.provinceCode,
        subjectNumber,
        source,
      });

    if (request.existingSubjectNumber !== undefined) {
      const recorded = await recordExistingInLedger(request, request.existingSubjectNumber);
      return recorded ? registration(request.existingSubjectNumber, 'existing') : CONTENDED;
    }

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
    const event = unplaced({ type: 'SubjectNumberAllocated', data }, request.filingId);
    return (await appendAfter(eventLog, ledger.streamId, ledger.revision, event))
      ? registration(number, 'allocated')
      : CONTENDED;
  }

  /**
   * An existing number of the form this allocator issues is entered in its counter, so the counter
   * never gives it to another subject; one already held by another subject is refused. Older
   * (two-digit-year) and licence-style numbers cannot collide with what is issued now.
   */
  async function recordExistingInLedger(
    request: ValidRegistrationNumberRequest,
    subjectNumber: string,
  ): Promise<boolean> {
    const parsed = parseRegistrationNumber(subjectNumber);
    if (!parsed.ok || parsed.number.format !== 'icp') return true;
    const { year, sequence } = parsed.number;
    const ledger = await caughtUpLedger(request.provinceCode, year);
    const holder = ledger.holderOf(sequence);
    if (holder === request.subjectKeyDigest) return true;
    if (holder !== undefined) {
      throw new RegistrationNumberRefusedError(
        'subject_number_taken',
        `${subjectNumber} is held by another subject; existingSubjectNumber must be the subject's own number`,
      );
    }
    const data = { subjectKeyDigest: request.subjectKeyDigest, sequence, number: subjectNumber };
    const event = unplaced({ type: 'ExistingSubjectNumberRecorded', data }, request.filingId);
    return appendAfter(eventLog, ledger.streamId, ledger.revision, event);
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

function assertSameSubjectNumber(
  request: ValidRegistrationNumberRequest,
  registration: SubjectRegisteredData,
): void {
  const { existingSubjectNumber } = request;
  if (existingSubjectNumber !== undefined && existingSubjectNumber !== registration.subjectNumber) {
    throw new RegistrationNumberRefusedError(
      'subject_number_mismatch',
      `the subject already holds ${registration.subjectNumber}, not ${existingSubjectNumber}`,
    );
  }
}
