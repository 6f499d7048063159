import { utf8ToBytes } from '@noble/hashes/utils';
import { canonicalJson } from '../../canonical-json';
import type { RecordedEvent } from '../../ports/event-log.port';
import { SERVICE_STREAM_PREFIX, SUBJECT_STREAM_PREFIX } from '../registry-streams';

/**
 * Which registry events are leaves: those of subject and service streams, that is every subject or
 * service registered, changed or cancelled, every service number issued and every access added or
 * withdrawn. Subject-number counters and identifier claims (made at submission, before any
 * registration) are not.
 */
export function isTransparencyLeafStream(streamId: string): boolean {
  return streamId.startsWith(SUBJECT_STREAM_PREFIX) || streamId.startsWith(SERVICE_STREAM_PREFIX);
}

/** The part of `readAll` that holds every leaf stream (then filtered with `isTransparencyLeafStream`). */
export { REGISTRY_STREAM_PREFIX as TRANSPARENCY_READ_PREFIX } from '../registry-streams';

export type LeafEvent = Pick<RecordedEvent, 'streamId' | 'revision' | 'id' | 'type' | 'data' | 'metadata'>;

/**
 * A leaf's data: the canonical JSON (UTF-8) of the event as stored, its sealed metadata included. Its
 * position in the log is not part of it (positions differ between backends); the leaf index orders
 * leaves as the log committed them.
 */
export function registryLeafData(event: LeafEvent): Uint8Array {
  const { streamId, revision, id, type, data, metadata } = event;
  return utf8ToBytes(canonicalJson({ streamId, revision, id, type, data, metadata }));
}
