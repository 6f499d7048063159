import { FilingSchemaError } from './filing-errors';
import {
  FILING_SCHEMA_VERSION,
  type FilingEnvelope,
  type FilingEvent,
  type FilingEventType,
  type StoredFilingEnvelope,
} from './filing-events';

/**
 * Schema evolution of filing events. The log is never rewritten: an event keeps the data its writer
 * stored and the `metadata.schemaVersion` it was sealed with, and the hash chain stays over that form.
 * Readers hand the domain the current shape by stepping old data up one version at a time.
 */

/** What the log holds of an event: its type, its data as written and its metadata. */
export interface StoredFilingEvent {
  readonly type: string;
  readonly data: unknown;
  readonly metadata: unknown;
}

type EventData = Readonly<Record<string, unknown>>;

/** Turns one event type's data from one version into the next (or back). Pure: returns a new object. */
export type FilingSchemaStep = (data: EventData) => EventData;

/** Steps by the version they start from, then by event type; a type a step does not name kept its shape. */
export type FilingSchemaSteps = Readonly<
  Record<number, Readonly<Partial<Record<FilingEventType, FilingSchemaStep>>>>
>;

/**
 * The working-day allowances v1 writers computed review deadlines with: `sla.ts` while v1 was
 * current, as the recorded v1 history shows. Frozen here — a later SLA change does not change what
 * v1 deadlines were counted with.
 */
export const V1_REVIEW_WORKING_DAYS = { PlatformReviewStarted: 2, BureauReviewStarted: 20 } as const;

/**
 * FILING_UPCASTERS[v][type] turns `type`'s data as written at schemaVersion v into its shape at v + 1.
 * Raising FILING_SCHEMA_VERSION adds a step here (an empty one if no data changed); released steps never change.
 */
export const FILING_UPCASTERS: FilingSchemaSteps = {
  1: {
    PlatformReviewStarted: (data) => ({ ...data, workingDays: V1_REVIEW_WORKING_DAYS.PlatformReviewStarted }),
    BureauReviewStarted: (data) => ({ ...data, workingDays: V1_REVIEW_WORKING_DAYS.BureauReviewStarted }),
  },
};

/**
 * FILING_DOWNCASTERS[v][type] turns `type`'s data at v + 1 into what a writer at v stored. One caller
 * needs it: a Temporal workflow replaying a history recorded before a version was raised re-decides
 * its events and must seal them exactly as they were stored, or the hash chain it goes on from would
 * not be the stored one (see `sealFilingEventsAt`). Nothing else writes old versions.
 */
export const FILING_DOWNCASTERS: FilingSchemaSteps = {
  1: {
    PlatformReviewStarted: ({ workingDays: _added, ...data }) => data,
    BureauReviewStarted: ({ workingDays: _added, ...data }) => data,
  },
};

function isRecord(value: unknown): value is EventData {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stepOf(steps: FilingSchemaSteps, version: number, type: string): FilingSchemaStep | undefined {
  const step = Object.hasOwn(steps, version) ? steps[version] : undefined;
  return step && Object.hasOwn(step, type) ? step[type as FilingEventType] : undefined;
}

/**
 * The schemaVersion `stored` was written at. Every writer records one; an event without any predates
 * versioning and has the first shape.
 * @throws FilingSchemaError for a version newer than this build's, or one no writer records.
 */
export function storedSchemaVersion(stored: StoredFilingEvent): number {
  const { type } = stored;
  const metadata = stored.metadata ?? {};
  if (!isRecord(metadata)) throw new FilingSchemaError(type, undefined, `${type}: metadata is not an object`);
  const version = metadata.schemaVersion;
  if (version === undefined) return 1;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    throw new FilingSchemaError(
      type,
      version,
      `${type}: schemaVersion ${JSON.stringify(version)} is not a version`,
    );
  }
  if (version > FILING_SCHEMA_VERSION) {
    throw new FilingSchemaError(
      type,
      version,
      `${type} was written at schemaVersion ${version}; this build reads up to schemaVersion ${FILING_SCHEMA_VERSION}`,
    );
  }
  return version;
}

/**
 * The current-shape event of a stored one: its data stepped up from its schemaVersion to
 * FILING_SCHEMA_VERSION (data already current is returned as is). Only data changes: the stored
 * event, its metadata and its hash are left as they are. Whether the type is one this build knows
 * (FILING_EVENT_TYPES) is the caller's business: an unknown type's data passes through unchanged.
 * @throws FilingSchemaError for a version newer than this build's, or data an upcaster cannot read.
 */
export function upcastFilingEvent(stored: StoredFilingEvent): FilingEvent {
  const { type } = stored;
  const from = storedSchemaVersion(stored);
  let data = stored.data;
  for (let version = from; version < FILING_SCHEMA_VERSION; version += 1) {
    const upcast = stepOf(FILING_UPCASTERS, version, type);
    if (!upcast) continue;
    if (!isRecord(data)) {
      throw new FilingSchemaError(type, from, `${type} (schemaVersion ${from}): data is not an object`);
    }
    data = upcast(data);
  }
  return { type, data } as FilingEvent;
}

/**
 * A stored envelope with its event upcast; id and metadata stay as stored. Its hash is over the
 * stored data, not this: verify the stored envelopes (`verifyFilingChain`), fold these.
 */
export function upcastFilingEnvelope(stored: StoredFilingEnvelope): FilingEnvelope {
  return { ...upcastFilingEvent(stored), id: stored.id, metadata: stored.metadata } as FilingEnvelope;
}

/**
 * `event`'s data as a writer at `schemaVersion` (1…FILING_SCHEMA_VERSION) stored it: stepped down
 * through FILING_DOWNCASTERS. Only for re-sealing, on replay, histories recorded at that version.
 */
export function dataAsWrittenAt(event: FilingEvent, schemaVersion: number): unknown {
  if (!Number.isSafeInteger(schemaVersion) || schemaVersion < 1 || schemaVersion > FILING_SCHEMA_VERSION) {
    throw new FilingSchemaError(
      event.type,
      schemaVersion,
      `no writer seals at schemaVersion ${schemaVersion}`,
    );
  }
  let data = event.data as EventData;
  for (let version = FILING_SCHEMA_VERSION - 1; version >= schemaVersion; version -= 1) {
    const downcast = stepOf(FILING_DOWNCASTERS, version, event.type);
    if (downcast) data = downcast(data);
  }
  return data;
}
