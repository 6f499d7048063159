import type { EventLog, StreamAppend } from '../../../events/ports/event-log.port';
import {
  EMPTY_REGISTRY_STREAM,
  type RegistryStreamHead,
  sealRegistryEvent,
} from '../../../events/registry/registry-envelope';
import type { RegistryEvent } from '../../../events/registry/registry-events';
import {
  serviceStreamId,
  subjectKeyDigestOf,
  subjectStreamId,
} from '../../../events/registry/registry-streams';
import { serviceRegistered, subjectRegistered } from '../registry-fixtures';
import { SYSTEM } from './registry-streams';

/**
 * Registry events for the transparency log, four leaves per subject, SubjectRegistered and
 * ServiceNumberAllocated in its subject stream, then ServiceRegistered and one life event (access
 * withdrawn or cancelled, in turn) in its service's stream; sealed, appended in bulk.
 */

const PROVINCE = '440000';
const LIFE: ReadonlyArray<(filingId: string) => RegistryEvent> = [
  (filingId) => ({
    type: 'ServiceAccessWithdrawn',
    data: { withdrawalId: `w-${filingId}`, ispName: '阿里云', reason: '停止接入', withdrawnOn: '2026-11-02' },
  }),
  (filingId) => ({
    type: 'ServiceCancelled',
    data: { filingId, cancelledOn: '2026-11-03', scope: 'service' },
  }),
];

export function subjectNumberOf(index: number): string {
  return `粤ICP备2025${String(index + 1).padStart(6, '0')}号`;
}

export function serviceNumberOf(index: number): string {
  return `${subjectNumberOf(index)}-1A`;
}

/** The events of subject `index`: two in its subject stream, two in its service's stream. */
function subjectAppends(index: number): Array<{ streamId: string; events: RegistryEvent[] }> {
  const digest = subjectKeyDigestOf(`uscc:transparency-${index}`);
  const subjectNumber = subjectNumberOf(index);
  const serviceNumber = serviceNumberOf(index);
  const filingId = `f-transparency-${index}`;
  const life = LIFE[index % LIFE.length] as (filingId: string) => RegistryEvent;
  return [
    {
      streamId: subjectStreamId(PROVINCE, digest),
      events: [
        { type: 'SubjectRegistered', data: subjectRegistered({ subjectKeyDigest: digest, subjectNumber }) },
        {
          type: 'ServiceNumberAllocated',
          data: { filingId, serviceType: 'app', n: 1, number: serviceNumber },
        },
      ],
    },
    {
      streamId: serviceStreamId(serviceNumber),
      events: [
        {
          type: 'ServiceRegistered',
          data: serviceRegistered({ serviceNumber, subjectNumber, filingId, name: `应用 ${index}` }),
        },
        life(filingId),
      ],
    },
  ];
}

function sealed(streamId: string, events: readonly RegistryEvent[], at: string): StreamAppend {
  let head: RegistryStreamHead = EMPTY_REGISTRY_STREAM;
  const envelopes = events.map((event) => {
    const next = sealRegistryEvent(streamId, head, event, {
      occurredAt: at,
      recordedBy: SYSTEM,
      causationId: 'transparency-fixture',
    });
    head = next.head;
    return next.envelope;
  });
  return { streamId, events: envelopes, expectedRevision: 'no_stream' };
}

/** Appends subjects `from` to `from + subjects - 1` (4 leaf events each), 250 subjects per commit. */
export async function appendRegistrySubjects(eventLog: EventLog, subjects: number, from = 0): Promise<void> {
  const append = eventLog.appendToStreams?.bind(eventLog);
  if (!append) throw new Error('the fixture needs a log with appendToStreams');
  for (let start = from; start < from + subjects; start += 250) {
    const end = Math.min(start + 250, from + subjects);
    const batch: StreamAppend[] = [];
    for (let index = start; index < end; index += 1)
      for (const { streamId, events } of subjectAppends(index))
        batch.push(sealed(streamId, events, '2026-11-01T02:00:00.000Z'));
    await append(batch);
  }
}
