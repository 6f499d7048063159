import type { EventLog, RecordedEvent } from '../../events/ports/event-log.port';
import {
  EMPTY_REGISTRY_STREAM,
  type RegistryStreamHead,
  sealedMetadataOf,
} from '../../events/registry/registry-envelope';
import {
  decodeServiceEvent,
  decodeSubjectEvent,
  decodeSubjectSequenceEvent,
} from '../../events/registry/registry-events';
import {
  REGISTRY_STREAM_PREFIX,
  SERVICE_STREAM_PREFIX,
  SUBJECT_SEQUENCE_STREAM_PREFIX,
  SUBJECT_STREAM_PREFIX,
} from '../../events/registry/registry-streams';

/**
 * What an import compares a file with: who holds which subject number, sequence and service number,
 * and where each registry stream ends. Read once from the log and kept up to date as the import
 * plans its appends (so two lines of one file are compared with each other too).
 */

export interface SubjectState {
  head: RegistryStreamHead;
  subjectNumber?: string;
  /** n → service number, for every number in the subject's sequence. */
  readonly services: Map<number, string>;
}

export interface CounterState {
  head: RegistryStreamHead;
  /** sequence → subject key digest. */
  readonly holders: Map<number, string>;
}

export interface ServiceState {
  head: RegistryStreamHead;
  subjectNumber?: string;
}

export class RegistryImportState {
  readonly subjects = new Map<string, SubjectState>();
  readonly counters = new Map<string, CounterState>();
  readonly services = new Map<string, ServiceState>();
  /** subject number → the subject stream that holds it, whatever its format. */
  readonly subjectNumberHolders = new Map<string, string>();

  subject(streamId: string): SubjectState {
    return getOrAdd(this.subjects, streamId, () => ({ head: EMPTY_REGISTRY_STREAM, services: new Map() }));
  }

  counter(streamId: string): CounterState {
    return getOrAdd(this.counters, streamId, () => ({ head: EMPTY_REGISTRY_STREAM, holders: new Map() }));
  }

  service(streamId: string): ServiceState {
    return getOrAdd(this.services, streamId, () => ({ head: EMPTY_REGISTRY_STREAM }));
  }

  apply(recorded: RecordedEvent): void {
    const { streamId } = recorded;
    if (streamId.startsWith(SUBJECT_SEQUENCE_STREAM_PREFIX)) this.applyCounter(recorded);
    else if (streamId.startsWith(SUBJECT_STREAM_PREFIX)) this.applySubject(recorded);
    else if (streamId.startsWith(SERVICE_STREAM_PREFIX)) this.applyService(recorded);
  }

  private applyCounter(recorded: RecordedEvent): void {
    const counter = this.counter(recorded.streamId);
    const { data } = decodeSubjectSequenceEvent(recorded);
    counter.holders.set(data.sequence, data.subjectKeyDigest);
    counter.head = headAfter(counter.head, recorded);
  }

  private applySubject(recorded: RecordedEvent): void {
    const subject = this.subject(recorded.streamId);
    const event = decodeSubjectEvent(recorded);
    if (event.type === 'SubjectRegistered') {
      subject.subjectNumber = event.data.subjectNumber;
      this.subjectNumberHolders.set(event.data.subjectNumber, recorded.streamId);
    } else if (event.type === 'ServiceNumberAllocated' || event.type === 'ExistingServiceRecorded') {
      subject.services.set(event.data.n, event.data.number);
    }
    subject.head = headAfter(subject.head, recorded);
  }

  private applyService(recorded: RecordedEvent): void {
    const service = this.service(recorded.streamId);
    const event = decodeServiceEvent(recorded);
    if (event.type === 'ServiceRegistered') service.subjectNumber = event.data.subjectNumber;
    service.head = headAfter(service.head, recorded);
  }
}

/** Registry events read per page: the whole registry is read once, not held as one array. */
const PAGE_SIZE = 5_000;

export async function loadRegistryImportState(eventLog: EventLog): Promise<RegistryImportState> {
  const state = new RegistryImportState();
  let fromPosition = 0;
  for (;;) {
    const page = await eventLog.readAll({
      fromPosition,
      maxCount: PAGE_SIZE,
      streamPrefix: REGISTRY_STREAM_PREFIX,
    });
    page.forEach((recorded) => state.apply(recorded));
    const last = page[page.length - 1];
    if (!last || page.length < PAGE_SIZE) return state;
    fromPosition = last.position;
  }
}

function headAfter(head: RegistryStreamHead, recorded: RecordedEvent): RegistryStreamHead {
  return { revision: recorded.revision, lastHash: sealedMetadataOf(recorded)?.hash ?? head.lastHash };
}

function getOrAdd<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  const existing = map.get(key);
  if (existing !== undefined) return existing;
  const created = create();
  map.set(key, created);
  return created;
}
