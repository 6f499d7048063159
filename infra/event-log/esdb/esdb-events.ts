import { type EventData, type JSONType, jsonEvent, type Position } from '@kurrent/kurrentdb-client';
import type { EventToAppend, Json, RecordedEvent } from '../../../events/ports/event-log.port';
import { eventLogPosition } from './esdb-positions';
import { toRevision } from './esdb-revisions';

/** The fields this adapter reads from the client's recorded events (stream and $all reads alike). */
export interface ClientRecordedEvent {
  streamId: string;
  id: string;
  type: string;
  revision: bigint;
  created: Date;
  isJson: boolean;
  data: unknown;
  metadata: unknown;
  position?: Position;
}

/** A stream or $all read yields these; `event` is missing for a link whose target was deleted. */
export interface ClientResolvedEvent {
  event?: ClientRecordedEvent;
}

/** The server's own events: `$…` streams and types (links, stream metadata, statistics, projections). */
export function isSystemEvent(event: { streamId: string; type: string }): boolean {
  return event.streamId.startsWith('$') || event.type.startsWith('$');
}

/** The event as the client appends it, with the caller's deterministic id (already lower-case). */
export function toEventData(event: EventToAppend): EventData {
  return jsonEvent({
    id: event.id,
    type: event.type,
    // The client JSON.stringifies any value; its type only names objects, arrays and strings.
    data: event.data as JSONType,
    // As bytes, because the client silently drops falsy metadata (null, false, 0, '').
    metadata: new Uint8Array(Buffer.from(JSON.stringify(event.metadata), 'utf8')),
  });
}

/** A stored event in the port's shape; undefined for system events and links to deleted events. */
export function toRecordedEvent(resolved: ClientResolvedEvent): RecordedEvent | undefined {
  const { event } = resolved;
  if (!event || isSystemEvent(event)) return undefined;
  return {
    id: event.id.toLowerCase(),
    type: event.type,
    data: toJson(event.data),
    metadata: toJson(event.metadata),
    streamId: event.streamId,
    revision: toRevision(event.revision),
    position: eventLogPosition(event.position),
    recordedAt: event.created.toISOString(),
  };
}

/**
 * The client hands back parsed JSON, or bytes when the payload was not JSON (events other programs
 * wrote): bytes holding JSON are parsed, any other bytes become a base64 string; no metadata is null.
 */
function toJson(value: unknown): Json {
  if (value === undefined) return null;
  if (!ArrayBuffer.isView(value)) return value as Json;
  const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  try {
    return JSON.parse(bytes.toString('utf8')) as Json;
  } catch {
    return bytes.toString('base64');
  }
}

/** Same type, data and metadata: what a retry of the very same append carries. */
export function sameContent(stored: RecordedEvent, appended: EventToAppend): boolean {
  return (
    stored.type === appended.type &&
    JSON.stringify(stored.data) === JSON.stringify(appended.data) &&
    JSON.stringify(stored.metadata) === JSON.stringify(appended.metadata)
  );
}
