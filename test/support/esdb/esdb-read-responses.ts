import { type AllStreamResolvedEvent, type EventData, type Position } from '@kurrent/kurrentdb-client';
import { convertGrpcEvent } from '@kurrent/kurrentdb-client/dist/utils/convertGrpcEvent';
import { StreamIdentifier, UUID } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb';
import { ReadResp } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb';

/** An event as the server stores it, in the terms of its gRPC read response. */
export interface StoredEvent {
  streamId: string;
  id: string;
  type: string;
  revision: number;
  /** The log position; commit == prepare unless given apart (pre-v20 transactions). */
  at: bigint | Position;
  created?: Date;
  contentType?: 'application/json' | 'application/octet-stream';
  data: Uint8Array;
  metadata?: Uint8Array;
}

/** The stored form of an event the client appends (dist/streams/appendToStream/append.js). */
export function stored(
  data: EventData,
  place: { streamId: string; revision: number; at: bigint; created?: Date },
): StoredEvent {
  return {
    ...place,
    id: data.id,
    type: data.type,
    contentType: data.contentType,
    data:
      data.contentType === 'application/json'
        ? Buffer.from(JSON.stringify(data.data), 'utf8')
        : (data.data as Uint8Array),
    metadata: data.metadata instanceof Uint8Array ? data.metadata : undefined,
  };
}

export function readEvent(event: StoredEvent): ReadResp.ReadEvent {
  const position = typeof event.at === 'bigint' ? { commit: event.at, prepare: event.at } : event.at;
  const created = event.created ?? new Date('2026-03-02T08:30:00.123Z');
  const record = new ReadResp.ReadEvent.RecordedEvent()
    .setId(new UUID().setString(event.id))
    .setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(event.streamId, 'utf8')))
    .setStreamRevision(String(event.revision))
    .setCommitPosition(String(position.commit))
    .setPreparePosition(String(position.prepare))
    .setData(event.data)
    .setCustomMetadata(event.metadata ?? new Uint8Array());
  record
    .getMetadataMap()
    .set('type', event.type)
    .set('content-type', event.contentType ?? 'application/json')
    // .NET ticks as the client reads them: 10 000 per millisecond since the Unix epoch.
    .set('created', String(BigInt(created.getTime()) * 10_000n));
  return new ReadResp.ReadEvent().setEvent(record).setCommitPosition(String(position.commit));
}

/** What the client makes of the response: the resolved event the adapter receives. */
export function resolved(event: StoredEvent): AllStreamResolvedEvent {
  return convertGrpcEvent(readEvent(event)) as unknown as AllStreamResolvedEvent;
}

export const responses = {
  confirmation: (): ReadResp =>
    new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId('sub-1')),
  event: (event: StoredEvent): ReadResp => new ReadResp().setEvent(readEvent(event)),
  checkpoint: (commit: bigint, prepare: bigint): ReadResp =>
    new ReadResp().setCheckpoint(
      new ReadResp.Checkpoint().setCommitPosition(String(commit)).setPreparePosition(String(prepare)),
    ),
  caughtUp: (): ReadResp => new ReadResp().setCaughtUp(new ReadResp.CaughtUp()),
  fellBehind: (): ReadResp => new ReadResp().setFellBehind(new ReadResp.FellBehind()),
};
