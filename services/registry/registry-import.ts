import {
  type EventLog,
  type EventToAppend,
  type StreamAppend,
  WrongExpectedRevisionError,
} from '../../events/ports/event-log.port';
import type { ImportLineError, ImportRecord } from '../../events/registry/import-file';
import { type ImportSubject, type ImportWebsite, importLineId } from '../../events/registry/import-line';
import { type RegistrySealContext, sealRegistryEvent } from '../../events/registry/registry-envelope';
import type { RegistryEvent } from '../../events/registry/registry-events';
import {
  serviceStreamId,
  subjectSequenceStreamId,
  subjectStreamId,
} from '../../events/registry/registry-streams';
import { type RegistryImportState, loadRegistryImportState } from './registry-import-state';

/**
 * `icp registry import`: brings subjects and their websites registered before this system into the
 * registry. Every subject is compared with what the registry streams hold: what is there already is
 * not written again (a re-import appends nothing), what contradicts them is a line error, the rest is
 * appended with expected revisions and deterministic ids. A subject's subject-number claim is appended
 * before its subject stream, and that before its service streams, so an interrupted import is
 * completed by running it again.
 */

export interface RegistryImportOptions {
  /** Validate and compare only; nothing is appended. */
  readonly dryRun: boolean;
  /** Who runs the import (recorded as `{role: 'admin', id}`). */
  readonly operatorId: string;
  /** ISO 8601 instant recorded as the events' occurredAt. */
  readonly occurredAt: string;
  /** Called after each batch: subjects done (good or bad), out of all. */
  onProgress?(done: number, total: number): void;
}

export interface RegistryImportReport {
  readonly dryRun: boolean;
  /** Lines of data (JSONL lines, CSV rows) read. */
  readonly linesRead: number;
  readonly subjects: number;
  /** Subjects registered by this import (would be, with dryRun). */
  readonly subjectsImported: number;
  /** Subjects the registry already held. */
  readonly alreadyPresent: number;
  /** Websites registered by this import (would be, with dryRun). */
  readonly websitesRecorded: number;
  readonly eventsAppended: number;
  /** Lines with at least one error, and the errors in line order. */
  readonly badLines: number;
  readonly errors: readonly ImportLineError[];
}

/** Subjects planned and written together: one append per counter stream per batch. */
const BATCH_SIZE = 250;
const ATTEMPTS_PER_BATCH = 3;

type StreamKind = 'counter' | 'subject' | 'service';
/** The order appends of a batch are made in: a number is claimed before anything names it. */
const WRITE_ORDER: readonly StreamKind[] = ['counter', 'subject', 'service'];

interface PendingAppend {
  readonly kind: StreamKind;
  readonly expectedRevision: number;
  readonly events: EventToAppend[];
}

interface Tally {
  subjectsImported: number;
  alreadyPresent: number;
  websitesRecorded: number;
  eventsAppended: number;
  readonly errors: ImportLineError[];
}

export async function importRegistrySubjects(
  eventLog: EventLog,
  records: readonly ImportRecord[],
  options: RegistryImportOptions,
): Promise<RegistryImportReport> {
  const total = emptyTally();
  records.forEach((record) => total.errors.push(...record.errors));
  let state = await loadRegistryImportState(eventLog);
  for (let start = 0; start < records.length; start += BATCH_SIZE) {
    const batch = records.slice(start, start + BATCH_SIZE).filter((record) => record.subject !== undefined);
    for (let attempt = 1; ; attempt += 1) {
      const { tally, appends } = planBatch(state, batch, options);
      try {
        if (!options.dryRun) await writeBatch(eventLog, appends);
        addTally(total, tally);
        break;
      } catch (error) {
        // Someone else appended to a registry stream meanwhile: compare the batch again with the log.
        if (!(error instanceof WrongExpectedRevisionError) || attempt === ATTEMPTS_PER_BATCH) throw error;
        state = await loadRegistryImportState(eventLog);
      }
    }
    options.onProgress?.(Math.min(start + BATCH_SIZE, records.length), records.length);
  }
  if (records.length === 0) options.onProgress?.(0, 0);
  const errors = [...total.errors].sort((a, b) => a.line - b.line);
  return {
    dryRun: options.dryRun,
    linesRead: records.reduce((sum, record) => sum + record.lineCount, 0),
    subjects: records.length,
    subjectsImported: total.subjectsImported,
    alreadyPresent: total.alreadyPresent,
    websitesRecorded: total.websitesRecorded,
    eventsAppended: total.eventsAppended,
    badLines: new Set(errors.map((error) => error.line)).size,
    errors,
  };
}

function planBatch(
  state: RegistryImportState,
  batch: readonly ImportRecord[],
  options: RegistryImportOptions,
): { tally: Tally; appends: Map<string, PendingAppend> } {
  const tally = emptyTally();
  const appends = new Map<string, PendingAppend>();
  for (const record of batch) {
    const subject = record.subject as ImportSubject;
    const conflicts = conflictsWithRegistry(state, subject).map((conflict) => ({
      ...record.locate(conflict.path),
      rule: conflict.rule,
      message: conflict.message,
    }));
    if (conflicts.length > 0) {
      tally.errors.push(...conflicts);
      continue;
    }
    const lineId = importLineId(subject);
    const planned = eventsToRecord(state, subject, lineId);
    const context: RegistrySealContext = {
      occurredAt: options.occurredAt,
      recordedBy: { role: 'admin', id: options.operatorId },
      causationId: lineId,
    };
    for (const { streamId, kind, events } of planned.streams) {
      for (const event of events) seal(state, appends, streamId, kind, event, context);
      tally.eventsAppended += events.length;
    }
    if (planned.newSubject) tally.subjectsImported += 1;
    else tally.alreadyPresent += 1;
    tally.websitesRecorded += planned.newWebsites;
  }
  return { tally, appends };
}

type Conflict = { path: string; rule: ImportLineError['rule']; message: string };

/** What in the registry contradicts the subject; nothing is planned for a subject with a conflict. */
function conflictsWithRegistry(state: RegistryImportState, subject: ImportSubject): Conflict[] {
  const conflicts: Conflict[] = [];
  const streamId = subjectStreamId(subject.provinceCode, subject.subjectKeyDigest);
  const held = state.subjects.get(streamId);
  const holder = state.subjectNumberHolders.get(subject.subjectNumber);
  const counterHolder =
    subject.format === 'icp'
      ? state.counters
          .get(subjectSequenceStreamId(subject.provinceCode, subject.year))
          ?.holders.get(subject.sequence)
      : undefined;
  if (
    (holder !== undefined && holder !== streamId) ||
    (counterHolder ?? subject.subjectKeyDigest) !== subject.subjectKeyDigest
  ) {
    conflicts.push({
      path: 'subjectNumber',
      rule: 'subject_number_taken',
      message: 'is held by another subject',
    });
  } else if (held?.subjectNumber !== undefined && held.subjectNumber !== subject.subjectNumber) {
    conflicts.push({
      path: 'subjectNumber',
      rule: 'subject_has_other_number',
      message: 'the subject already holds another subject number in this province',
    });
  }
  if (conflicts.length > 0) return conflicts;
  subject.websites.forEach((website, index) => {
    const inSequence = held?.services.get(website.n);
    const serviceHolder = state.services.get(serviceStreamId(website.serviceNumber))?.subjectNumber;
    if (
      (inSequence !== undefined && inSequence !== website.serviceNumber) ||
      (serviceHolder !== undefined && serviceHolder !== subject.subjectNumber)
    ) {
      conflicts.push({
        path: `websites[${index}].serviceNumber`,
        rule: 'service_number_taken',
        message: 'is held by another service or subject',
      });
    }
  });
  return conflicts;
}

interface PlannedStream {
  readonly streamId: string;
  readonly kind: StreamKind;
  readonly events: RegistryEvent[];
}

/** The events the registry lacks for a subject without conflicts: none when it holds all of it. */
function eventsToRecord(
  state: RegistryImportState,
  subject: ImportSubject,
  lineId: string,
): { streams: PlannedStream[]; newSubject: boolean; newWebsites: number } {
  const { subjectKeyDigest, subjectNumber, sequence } = subject;
  const streams: PlannedStream[] = [];
  if (subject.format === 'icp') {
    const counterId = subjectSequenceStreamId(subject.provinceCode, subject.year);
    if (!state.counters.get(counterId)?.holders.has(sequence)) {
      const claim = { subjectKeyDigest, sequence, number: subjectNumber };
      streams.push({
        streamId: counterId,
        kind: 'counter',
        events: [{ type: 'ExistingSubjectNumberRecorded', data: claim }],
      });
    }
  }
  const subjectId = subjectStreamId(subject.provinceCode, subjectKeyDigest);
  const held = state.subjects.get(subjectId);
  const subjectEvents: RegistryEvent[] = [];
  const newSubject = held?.subjectNumber === undefined;
  if (newSubject) {
    subjectEvents.push({
      type: 'SubjectRegistered',
      data: {
        subjectKeyDigest,
        provinceCode: subject.provinceCode,
        subjectNumber,
        source: 'imported',
        operatorName: subject.operatorName,
        operatorNature: subject.operatorNature,
        certificateType: subject.certificateType,
      },
    });
  }
  for (const { n, serviceNumber } of subject.websites) {
    if (held?.services.has(n)) continue;
    const data = { serviceType: 'website' as const, n, number: serviceNumber, importLineId: lineId };
    subjectEvents.push({ type: 'ExistingServiceRecorded', data });
  }
  if (subjectEvents.length > 0) streams.push({ streamId: subjectId, kind: 'subject', events: subjectEvents });
  const websites = subject.websites.filter(
    (website) => !state.services.get(serviceStreamId(website.serviceNumber))?.subjectNumber,
  );
  for (const website of websites) {
    streams.push({
      streamId: serviceStreamId(website.serviceNumber),
      kind: 'service',
      events: [serviceRegistered(subject, website)],
    });
  }
  return { streams, newSubject, newWebsites: websites.length };
}

function serviceRegistered(subject: ImportSubject, website: ImportWebsite): RegistryEvent {
  return {
    type: 'ServiceRegistered',
    data: {
      serviceNumber: website.serviceNumber,
      subjectNumber: subject.subjectNumber,
      serviceType: 'website',
      name: website.name,
      identifiers: { packages: [], bundles: [], domains: [...website.domains] },
      preApprovalCategories: [],
      approvedOn: website.approvedOn,
      operatorName: subject.operatorName,
      operatorNature: subject.operatorNature,
      source: 'imported',
    },
  };
}

/** Seals the event after the stream's head, queues it and records it in the state as if appended. */
function seal(
  state: RegistryImportState,
  appends: Map<string, PendingAppend>,
  streamId: string,
  kind: StreamKind,
  event: RegistryEvent,
  context: RegistrySealContext,
): void {
  const stream =
    kind === 'counter'
      ? state.counter(streamId)
      : kind === 'subject'
        ? state.subject(streamId)
        : state.service(streamId);
  const pending = appends.get(streamId) ?? { kind, expectedRevision: stream.head.revision, events: [] };
  appends.set(streamId, pending);
  const sealed = sealRegistryEvent(streamId, stream.head, event, context);
  pending.events.push(sealed.envelope);
  stream.head = sealed.head;
  if (event.type === 'ExistingSubjectNumberRecorded') {
    state.counter(streamId).holders.set(event.data.sequence, event.data.subjectKeyDigest);
  } else if (event.type === 'SubjectRegistered') {
    state.subject(streamId).subjectNumber = event.data.subjectNumber;
    state.subjectNumberHolders.set(event.data.subjectNumber, streamId);
  } else if (event.type === 'ExistingServiceRecorded') {
    state.subject(streamId).services.set(event.data.n, event.data.number);
  } else if (event.type === 'ServiceRegistered') {
    state.service(streamId).subjectNumber = event.data.subjectNumber;
  }
}

/** One transaction when the log offers it (SQLite: one commit per batch), else stream by stream. */
async function writeBatch(eventLog: EventLog, appends: ReadonlyMap<string, PendingAppend>): Promise<void> {
  const ordered: StreamAppend[] = WRITE_ORDER.flatMap((kind) =>
    [...appends]
      .filter(([, pending]) => pending.kind === kind)
      .map(([streamId, pending]) => ({
        streamId,
        events: pending.events,
        expectedRevision: pending.expectedRevision < 0 ? 'no_stream' : pending.expectedRevision,
      })),
  );
  if (ordered.length === 0) return;
  if (eventLog.appendToStreams) {
    await eventLog.appendToStreams(ordered);
    return;
  }
  for (const { streamId, events, expectedRevision } of ordered) {
    await eventLog.appendToStream(streamId, events, { expectedRevision });
  }
}

function emptyTally(): Tally {
  return { subjectsImported: 0, alreadyPresent: 0, websitesRecorded: 0, eventsAppended: 0, errors: [] };
}

function addTally(total: Tally, batch: Tally): void {
  total.subjectsImported += batch.subjectsImported;
  total.alreadyPresent += batch.alreadyPresent;
  total.websitesRecorded += batch.websitesRecorded;
  total.eventsAppended += batch.eventsAppended;
  total.errors.push(...batch.errors);
}
