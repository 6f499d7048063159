import type { EventLog } from '../../../events/ports/event-log.port';
import {
  hashRegistryEvent,
  type RegistryEventMetadata,
  type RegistryRecorder,
  registryEventId,
  registryStreamHead,
  sealRegistryEvent,
} from '../../../events/registry/registry-envelope';
import { type RegistryEvent, unplaced } from '../../../events/registry/registry-events';
import { editEvent, readRows } from './tamper';

/** Registry streams as the allocator and the import write them, for auditors' tests. */

export const SYSTEM: RegistryRecorder = { role: 'system', id: 'registration-numbers' };
export const ADMIN: RegistryRecorder = { role: 'admin', id: 'admin-import-1' };

export interface RecordedFact {
  event: RegistryEvent;
  recordedBy: RegistryRecorder;
  causationId: string;
}

/** Appends the facts sealed, after whatever the stream holds, one minute apart from `startAt`. */
export async function appendSealed(
  eventLog: EventLog,
  streamId: string,
  facts: readonly RecordedFact[],
  startAt = Date.parse('2026-09-14T01:00:00Z'),
): Promise<void> {
  let head = registryStreamHead(await eventLog.readStream(streamId));
  for (const [index, fact] of facts.entries()) {
    const sealed = sealRegistryEvent(streamId, head, fact.event, {
      occurredAt: new Date(startAt + index * 60_000).toISOString(),
      recordedBy: fact.recordedBy,
      causationId: fact.causationId,
    });
    await eventLog.appendToStream(streamId, [sealed.envelope], {
      expectedRevision: head.revision < 0 ? 'no_stream' : head.revision,
    });
    head = sealed.head;
  }
}

/** Appends events as they were written before sealing (schema version 1): they open the stream. */
export async function appendUnsealed(
  eventLog: EventLog,
  streamId: string,
  events: readonly RegistryEvent[],
  causedByFilingId: string,
): Promise<void> {
  await eventLog.appendToStream(
    streamId,
    events.map((event, revision) => ({
      id: registryEventId(streamId, revision),
      ...unplaced(event, causedByFilingId),
    })),
    { expectedRevision: 'no_stream' },
  );
}

/**
 * Rewrites a sealed registry event's metadata in the SQLite file and recomputes its hash and every
 * later one, as a forger who knows the hash rule would: the chain verifies again.
 */
export function resealRegistryEvent(
  file: string,
  streamId: string,
  revision: number,
  edit: (metadata: RegistryEventMetadata) => Omit<RegistryEventMetadata, 'hash'>,
): void {
  const rows = readRows(file, streamId);
  let prevHash: string | undefined;
  for (const row of rows) {
    if (row.revision < revision) continue;
    const stored = row.metadata as unknown as RegistryEventMetadata;
    const { hash: _stale, ...rest } = row.revision === revision ? { ...edit(stored), hash: '' } : stored;
    const metadata = { ...rest, prevHash: prevHash ?? rest.prevHash };
    const hash = hashRegistryEvent(row, metadata);
    editEvent(file, streamId, row.revision, (current) => ({
      ...current,
      metadata: { ...metadata, hash } as unknown as typeof current.metadata,
    }));
    prevHash = hash;
  }
}
