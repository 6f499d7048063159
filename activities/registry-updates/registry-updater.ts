import { canonicalJson } from '../../events/canonical-json';
import {
  type EventLog,
  type EventToAppend,
  type RecordedEvent,
  type StreamAppend,
  WrongExpectedRevisionError,
} from '../../events/ports/event-log.port';
import {
  decideIdentifierRelease,
  droppedIdentifierStreams,
  identifierKeysOf,
} from '../../events/registry/identifier-claims';
import {
  type RegistryRecorder,
  type RegistrySealContext,
  type RegistryStreamHead,
  registryStreamHead,
  sealRegistryEvent,
} from '../../events/registry/registry-envelope';
import { RegistryDomainError, type RegistryErrorCode } from '../../events/registry/registry-errors';
import type { RegistryEvent, ServiceIdentifiers } from '../../events/registry/registry-events';
import { identifierStreamId, serviceStreamId, subjectStreamId } from '../../events/registry/registry-streams';
import {
  type RegisteredServiceState,
  type ServiceCommand,
  type ServiceState,
  decideService,
  evolveService,
  foldService,
  isLiveService,
} from '../../events/registry/service';
import {
  type RegisteredSubjectState,
  type SubjectState,
  decideSubject,
  foldSubject,
  operatorOfSubject,
} from '../../events/registry/subject';
import {
  type Attempt,
  CONTENDED,
  type ContentionRetryOptions,
  DEFAULT_CONTENTION_RETRY,
  retryWhileContended,
  settled,
} from '../registration-numbers/contention-retry';
import { appendSealed } from '../registration-numbers/optimistic-append';
import type { RegistryUpdateOutcome, RegistryUpdateRequest } from './registry-update-request';
import {
  RegistryUpdateRequestError,
  type ValidRegistryUpdateRequest,
  validRegistryUpdateRequest,
} from './valid-update-request';
import { chinaDateOfEpochMs } from '../../events/working-days/china-time';

export interface RegistryUpdater {
  /**
   * Applies an approved change, cancellation or new access to the registry: every event it causes,
   * sealed, with deterministic ids and named expected revisions, in one transaction where the log
   * offers it (`EventLog.appendToStreams`). Idempotent per filingId: a retry finds its events there and
   * answers the same. A registry that no longer allows it (the service was cancelled meanwhile, …) is
   * an answer (`refused`), not an error.
   *
   * @throws RegistryUpdateRequestError when the request cannot be read (do not retry unchanged)
   * @throws RegistryContentionError when every attempt lost a race (retry later)
   */
  apply(request: RegistryUpdateRequest): Promise<RegistryUpdateOutcome>;
  /**
   * An ISP stops serving a service (取消接入): ServiceAccessWithdrawn, recorded by role `isp` with the
   * ISP's user (`recordedById`) as id. Idempotent per withdrawalId (a retry answers the recorded date).
   * Refused (not thrown) when the service is not registered or cancelled, the ISP gives it no access,
   * or the withdrawal id was used with another ISP or reason.
   */
  withdrawAccess(request: AccessWithdrawalRequest): Promise<AccessWithdrawalOutcome>;
}

export interface AccessWithdrawalRequest {
  serviceNumber: string;
  /** The ISP's request id (from its Idempotency-Key). */
  withdrawalId: string;
  ispName: string;
  reason: string;
  /** The ISP's user (its token's subject): the event's `recordedBy.id`, as filing events name the acting user. */
  recordedById: string;
  /** When it is recorded (ISO 8601): the event's occurredAt, and withdrawnOn in China time. */
  at: string;
}

export type AccessWithdrawalOutcome =
  | { serviceNumber: string; status: 'active' | 'access_withdrawn'; withdrawnOn: string }
  | { refused: { code: RegistryErrorCode; reasons: string } };

export interface RegistryUpdaterDeps {
  eventLog: EventLog;
  retry?: Partial<ContentionRetryOptions>;
}

/** The updater records what the approved filing caused. */
export const REGISTRY_UPDATER: RegistryRecorder = { role: 'system', id: 'registry-updater' };

type Applied = Extract<RegistryUpdateOutcome, { subjectNumber: string }>;

/** One stream as read: the head the next append goes after. */
interface StreamRead {
  readonly streamId: string;
  readonly events: readonly RecordedEvent[];
  readonly head: RegistryStreamHead;
}

interface StreamWrite {
  readonly read: StreamRead;
  readonly events: readonly RegistryEvent[];
}

/** What one attempt decided: the appends, the streams whose revision it relied on, the answer. */
interface Plan {
  readonly writes: readonly StreamWrite[];
  /** Read and relied on, written or not: an atomic commit checks they did not move. */
  readonly guards: readonly StreamRead[];
  readonly outcome: Applied;
}

interface ServiceRead extends StreamRead {
  readonly number: string;
  readonly state: ServiceState;
}

export function createRegistryUpdater(deps: RegistryUpdaterDeps): RegistryUpdater {
  const { eventLog } = deps;
  const retry = { ...DEFAULT_CONTENTION_RETRY, ...deps.retry };

  async function read(streamId: string): Promise<StreamRead> {
    const events = await eventLog.readStream(streamId);
    return { streamId, events, head: registryStreamHead(events) };
  }

  async function readService(number: string): Promise<ServiceRead> {
    const stream = await read(serviceStreamId(number));
    return { ...stream, number, state: foldService(stream.events) };
  }

  async function attempt(request: ValidRegistryUpdateRequest): Promise<Attempt<RegistryUpdateOutcome>> {
    let plan: Plan;
    try {
      plan = await planOf(request);
    } catch (error) {
      if (!(error instanceof RegistryDomainError)) throw error;
      return settled({ refused: { refusal: 'registry_changed', reasons: error.message } });
    }
    return (await commit(plan, sealContext(request))) ? settled(plan.outcome) : CONTENDED;
  }

  async function planOf(request: ValidRegistryUpdateRequest): Promise<Plan> {
    const subjectRead = await read(subjectStreamId(request.provinceCode, request.subjectKeyDigest));
    const subject = heldSubject(request, foldSubject(subjectRead.events));
    const subjectStream = { ...subjectRead, state: subject };
    if (request.kind === 'subject_cancellation') return planSubjectCancellation(request, subjectStream);
    const service = await readService(serviceOfSubject(subject, request.serviceNumber));
    const outcome = { subjectNumber: request.subjectNumber, serviceNumbers: [service.number] };
    switch (request.kind) {
      case 'change':
        return planChange(request, subjectStream, service, outcome);
      case 'new_access': {
        const { filingId, ispName, on } = request;
        const command = { type: 'AddAccess', filingId, ispName, addedOn: on } as const;
        const events = decideLiveService(subject, command, service.state);
        return { writes: [{ read: service, events }], guards: [subjectRead], outcome };
      }
      case 'cancellation':
        return planServiceCancellation(request, subjectStream, service, outcome);
    }
  }

  /** The next version of the service, the subject's new operator facts, and the identifiers it dropped. */
  async function planChange(
    request: Extract<ValidRegistryUpdateRequest, { kind: 'change' }>,
    subject: StreamRead & { state: RegisteredSubjectState },
    service: ServiceRead,
    outcome: Applied,
  ): Promise<Plan> {
    const { filingId, on } = request;
    const current = registeredService(service.state);
    const operator = request.operator ??
      operatorOfSubject(subject.state) ?? {
        name: current.current.operatorName,
        nature: current.current.operatorNature,
      };
    const facts = {
      ...request.service,
      operatorName: operator.name,
      operatorNature: operator.nature,
    };
    const changeCommand = { type: 'ChangeService', filingId, facts, changedOn: on } as const;
    const serviceEvents = decideLiveService(subject.state, changeCommand, service.state);
    const held = operatorOfSubject(subject.state);
    const subjectEvents =
      request.operator && (held?.name !== operator.name || held.nature !== operator.nature)
        ? decideSubject(
            {
              type: 'ChangeSubject',
              filingId,
              operatorName: operator.name,
              operatorNature: operator.nature,
              changedOn: on,
            },
            subject.state,
          )
        : [];
    const releases = await releasesOf(
      droppedIdentifierStreams(identifiersBefore(current, filingId), request.service.identifiers),
      service.number,
      filingId,
    );
    return {
      writes: [
        { read: service, events: serviceEvents },
        { read: subject, events: subjectEvents },
        ...releases,
      ],
      guards: [],
      outcome,
    };
  }

  /** ServiceCancelled, its identifiers released, and the shell-subject flag when no live service remains. */
  async function planServiceCancellation(
    request: Extract<ValidRegistryUpdateRequest, { kind: 'cancellation' }>,
    subject: StreamRead & { state: RegisteredSubjectState },
    service: ServiceRead,
    outcome: Applied,
  ): Promise<Plan> {
    const { filingId, on } = request;
    const command = { type: 'CancelService', filingId, cancelledOn: on, scope: 'service' } as const;
    const cancellation = decideLiveService(subject.state, command, service.state);
    const releases = await releasesOf(
      currentIdentifierStreams(registeredService(service.state)),
      service.number,
      filingId,
    );
    const others = await Promise.all(
      subject.state.services
        .filter((entry) => serviceStreamId(entry.number) !== service.streamId)
        .map((entry) => readService(entry.number)),
    );
    const flag = decideSubject(
      {
        type: 'FlagShellSubject',
        filingId,
        lastServiceNumber: service.number,
        flaggedOn: on,
        liveServiceNumbers: others.filter((other) => isLiveService(other.state)).map((other) => other.number),
      },
      subject.state,
    );
    return {
      writes: [{ read: service, events: cancellation }, ...releases, { read: subject, events: flag }],
      guards: [subject, ...others],
      outcome,
    };
  }

  /** SubjectCancelled and ServiceCancelled (scope subject) on every live service, with their releases. */
  async function planSubjectCancellation(
    request: Extract<ValidRegistryUpdateRequest, { kind: 'subject_cancellation' }>,
    subject: StreamRead & { state: RegisteredSubjectState },
  ): Promise<Plan> {
    const { filingId, on } = request;
    const services = await Promise.all(subject.state.services.map((entry) => readService(entry.number)));
    const state = subject.state;
    const doneBefore = state.status === 'cancelled' && state.cancellation.filingId === filingId;
    const numbers = doneBefore
      ? state.cancellation.serviceNumbers
      : services.filter((service) => isLiveService(service.state)).map((service) => service.number);
    const subjectEvents = decideSubject(
      { type: 'CancelSubject', filingId, cancelledOn: on, serviceNumbers: numbers },
      state,
    );
    const writes: StreamWrite[] = [{ read: subject, events: subjectEvents }];
    // An identifier stream is written once per transition, should two services name the same one.
    const released = new Set<string>();
    for (const number of numbers) {
      const service = services.find((candidate) => candidate.streamId === serviceStreamId(number));
      if (!service) throw new RegistryDomainError('service_not_of_subject', `${number} is not the subject's`);
      const command = { type: 'CancelService', filingId, cancelledOn: on, scope: 'subject' } as const;
      writes.push({ read: service, events: decideService(command, service.state) });
      const streams = currentIdentifierStreams(registeredService(service.state)).filter(
        (streamId) => !released.has(streamId),
      );
      streams.forEach((streamId) => released.add(streamId));
      writes.push(...(await releasesOf(streams, number, filingId)));
    }
    return {
      writes,
      guards: services,
      outcome: { subjectNumber: request.subjectNumber, serviceNumbers: [...numbers] },
    };
  }

  async function releasesOf(
    streamIds: readonly string[],
    serviceNumber: string,
    filingId: string,
  ): Promise<StreamWrite[]> {
    const reads = await Promise.all(streamIds.map(read));
    return reads.map((stream) => ({
      read: stream,
      events: decideIdentifierRelease({ serviceNumber, filingId }, stream.events),
    }));
  }

  /** The plan's events, each stream's sealed after the head it was read at; false when a writer got in first. */
  async function commit(
    plan: Pick<Plan, 'writes' | 'guards'>,
    context: RegistrySealContext,
  ): Promise<boolean> {
    const writes = plan.writes.filter((write) => write.events.length > 0);
    if (writes.length === 0) return true;
    const sealed = writes.map((write) => ({ write, envelopes: sealAll(write, context) }));
    if (!eventLog.appendToStreams) return commitOneByOne(writes, context);
    const written = new Set(writes.map((write) => write.read.streamId));
    const appends: StreamAppend[] = [
      ...sealed.map(({ write, envelopes }) => ({
        streamId: write.read.streamId,
        events: envelopes,
        expectedRevision: expectedRevisionOf(write.read.head),
      })),
      ...plan.guards
        .filter((guard) => !written.has(guard.streamId))
        .map((guard) => ({
          streamId: guard.streamId,
          events: [],
          expectedRevision: expectedRevisionOf(guard.head),
        })),
    ];
    let results;
    try {
      results = await eventLog.appendToStreams(appends);
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return false;
      throw error;
    }
    for (const [index, { write }] of sealed.entries()) {
      if (results[index]?.alreadyAppended && !(await isThere(write))) return false;
    }
    return true;
  }

  /** Without a multi-stream transaction: stream by stream, in the plan's order (a retry completes it). */
  async function commitOneByOne(writes: readonly StreamWrite[], context: RegistrySealContext) {
    for (const write of writes) {
      let head = write.read.head;
      for (const event of write.events) {
        if (!(await appendSealed(eventLog, write.read.streamId, head, event, context))) return false;
        head = sealRegistryEvent(write.read.streamId, head, event, context).head;
      }
    }
    return true;
  }

  /** The log said "already appended": ids name only slots, so the events there must be these. */
  async function isThere(write: StreamWrite): Promise<boolean> {
    const stored = await eventLog.readStream(write.read.streamId, {
      fromRevision: write.read.head.revision + 1,
    });
    return write.events.every((event, index) => {
      const at = stored[index];
      return at?.type === event.type && canonicalJson(at.data) === canonicalJson(event.data);
    });
  }

  async function withdrawalAttempt(
    request: AccessWithdrawalRequest,
  ): Promise<Attempt<AccessWithdrawalOutcome>> {
    const { withdrawalId, ispName, reason, recordedById, at } = request;
    const service = await readService(request.serviceNumber);
    const command = {
      type: 'WithdrawAccess',
      withdrawalId,
      ispName,
      reason,
      withdrawnOn: chinaDateOfEpochMs(Date.parse(at)),
    } as const;
    let events;
    try {
      events = decideService(command, service.state);
    } catch (error) {
      if (!(error instanceof RegistryDomainError)) throw error;
      return settled({ refused: { code: error.code, reasons: error.message } });
    }
    const context = {
      occurredAt: at,
      recordedBy: { role: 'isp', id: recordedById },
      causationId: withdrawalId,
    } as const;
    if (!(await commit({ writes: [{ read: service, events }], guards: [] }, context))) return CONTENDED;
    const after = events.reduce(evolveService, service.state);
    const status = after.status === 'access_withdrawn' ? 'access_withdrawn' : 'active';
    const recorded = registeredService(after).withdrawals.find((done) => done.withdrawalId === withdrawalId);
    return settled({
      serviceNumber: service.number,
      status,
      withdrawnOn: recorded?.withdrawnOn ?? command.withdrawnOn,
    });
  }

  return {
    async withdrawAccess(request) {
      assertWithdrawal(request);
      return retryWhileContended(
        () => withdrawalAttempt(request),
        retry,
        `access withdrawal ${request.withdrawalId}`,
      );
    },

    async apply(input) {
      const request = validRegistryUpdateRequest(input);
      return retryWhileContended(
        () => attempt(request),
        retry,
        `registry update for filing ${request.filingId}`,
      );
    },
  };
}

function assertWithdrawal(request: AccessWithdrawalRequest): void {
  const { withdrawalId, ispName, reason, recordedById, serviceNumber } = request;
  const texts = [withdrawalId, ispName, reason, recordedById, serviceNumber];
  if (texts.some((text) => typeof text !== 'string' || text.trim() === '')) {
    throw new RegistryUpdateRequestError(
      'withdrawalId, ispName, reason, recordedById and serviceNumber must be text',
    );
  }
  if (Number.isNaN(Date.parse(request.at)))
    throw new RegistryUpdateRequestError('at must be an ISO 8601 time');
  try {
    serviceStreamId(request.serviceNumber);
  } catch (error) {
    if (error instanceof RangeError)
      throw new RegistryUpdateRequestError('serviceNumber is not a service number');
    throw error;
  }
}

function sealAll(write: StreamWrite, context: RegistrySealContext): EventToAppend[] {
  let head = write.read.head;
  return write.events.map((event) => {
    const sealed = sealRegistryEvent(write.read.streamId, head, event, context);
    head = sealed.head;
    return sealed.envelope;
  });
}

function expectedRevisionOf(head: RegistryStreamHead): StreamAppend['expectedRevision'] {
  return head.revision === -1 ? 'no_stream' : head.revision;
}

function sealContext(request: ValidRegistryUpdateRequest): RegistrySealContext {
  return { occurredAt: request.at, recordedBy: REGISTRY_UPDATER, causationId: request.filingId };
}

/** The subject the filing's certificate holds, under the number the filing names. */
function heldSubject(request: ValidRegistryUpdateRequest, subject: SubjectState): RegisteredSubjectState {
  if (subject.status === 'unregistered') {
    throw new RegistryDomainError(
      'subject_not_registered',
      `${request.subjectNumber} is not in the registry under the certificate the filing carries`,
    );
  }
  const held = subject.registration.subjectNumber;
  if (held !== request.subjectNumber) {
    throw new RegistryDomainError(
      'subject_not_registered',
      `the certificate the filing carries holds ${held}, not ${request.subjectNumber}`,
    );
  }
  return subject;
}

/** The subject's service under that number, as its subject stream numbers it. */
function serviceOfSubject(subject: RegisteredSubjectState, serviceNumber: string): string {
  const streamId = serviceStreamId(serviceNumber);
  const entry = subject.services.find((service) => serviceStreamId(service.number) === streamId);
  if (!entry) {
    throw new RegistryDomainError(
      'service_not_of_subject',
      `${serviceNumber} is not a service of ${subject.registration.subjectNumber}`,
    );
  }
  return entry.number;
}

function registeredService(state: ServiceState): RegisteredServiceState {
  if (state.status !== 'unregistered') return state;
  throw new RegistryDomainError('service_not_registered', 'no service is registered under that number');
}

/**
 * A command on one service of the subject: what it decides, unless it would add to a cancelled
 * subject (a retried filing that decides nothing is answered as before).
 */
function decideLiveService(
  subject: RegisteredSubjectState,
  command: ServiceCommand,
  state: ServiceState,
): ReturnType<typeof decideService> {
  const events = decideService(command, state);
  if (events.length > 0 && subject.status === 'cancelled') {
    throw new RegistryDomainError(
      'subject_cancelled',
      `${subject.registration.subjectNumber} was cancelled on ${subject.cancellation.cancelledOn}`,
    );
  }
  return events;
}

/** The identifiers the version before this filing's change stated (the current one, before it is made). */
function identifiersBefore(service: RegisteredServiceState, filingId: string): ServiceIdentifiers {
  const made = service.versions.findIndex((version) => version.filingId === filingId);
  const before = made > 0 ? service.versions[made - 1] : undefined;
  return (before ?? service.current).identifiers;
}

function currentIdentifierStreams(service: RegisteredServiceState): string[] {
  return identifierKeysOf(service.current.identifiers).map(identifierStreamId);
}
