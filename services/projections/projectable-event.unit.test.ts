import { isDeepStrictEqual } from 'node:util';
import { SYSTEM_ACTOR } from '../../events/filing/actor';
import { historiesByStatus } from '../../test/support/decider-spec';
import { EMPTY_STREAM, sealFilingEventsAt, type StreamHead } from '../../events/filing/envelope';
import { FILING_SCHEMA_VERSION, type FilingEvent } from '../../events/filing/filing-events';
import { filingStreamId } from '../../events/filing/stream-ids';
import type { FilingSummaryRow } from '../../events/ports/read-models.port';
import { projectFilingSummary } from './filing-summary.projection';
import { type ProjectableEvent, ProjectionError, readFilingEvent } from './projectable-event';
import { minutesAfterEpoch, submittedEvent } from '../../test/support/projection-fixtures';
import { publicRegistryAfter } from '../../test/support/registry-rows';

const FILING_ID = 'f-schema';
const SUBMITTED = submittedEvent(FILING_ID);
const AT = historiesByStatus(SUBMITTED);

/** Both reviews, a second platform round and a published registration. */
const DECIDED: FilingEvent[] = [
  ...AT.returned_for_correction,
  { type: 'FilingCorrected', data: { form: SUBMITTED.data.form, appName: '示例记账 Pro' } },
  {
    type: 'PlatformReviewStarted',
    data: { dueAt: '2026-12-08T15:59:59.999Z', provisional: true, workingDays: 2, round: 2 },
  },
  ...AT.completed.slice(2),
];

/** The history as the log holds it when sealed by a writer at `schemaVersion`, one minute apart. */
function storedAt(schemaVersion: number, events: readonly FilingEvent[]): ProjectableEvent[] {
  let head: StreamHead = EMPTY_STREAM;
  return events.flatMap((event, seq) => {
    const sealed = sealFilingEventsAt(schemaVersion, head, [event], {
      filingId: FILING_ID,
      occurredAt: minutesAfterEpoch(seq),
      actor: SYSTEM_ACTOR,
      correlationId: FILING_ID,
      causationId: `action-${seq}`,
    });
    head = sealed.head;
    return sealed.envelopes.map(
      (envelope): ProjectableEvent =>
        JSON.parse(
          JSON.stringify({
            streamId: filingStreamId(FILING_ID),
            type: envelope.type,
            data: envelope.data,
            metadata: envelope.metadata,
          }),
        ) as ProjectableEvent,
    );
  });
}

const summaryOf = (history: readonly ProjectableEvent[]) =>
  history.reduce<FilingSummaryRow | undefined>(projectFilingSummary, undefined);

describe('readFilingEvent across schema versions', () => {
  const v1 = storedAt(1, DECIDED);
  const v2 = storedAt(FILING_SCHEMA_VERSION, DECIDED);

  it('is given a v1 history stored without workingDays and a v2 one stored with it', () => {
    const stored = (history: ProjectableEvent[]) =>
      history.filter((e) => e.type.endsWith('ReviewStarted')).map((e) => e.data as Record<string, unknown>);
    expect(stored(v1).map((data) => data.workingDays)).toEqual([undefined, undefined, undefined]);
    expect(stored(v2).map((data) => data.workingDays)).toEqual([2, 2, 20]);
  });

  it('hands the projections a v1 history in the current shape, as the v2 one', () => {
    expect(v1.map(readFilingEvent)).toEqual(v2.map(readFilingEvent));
    expect(v1.map((recorded) => readFilingEvent(recorded)?.event)).toEqual(DECIDED);
  });

  it('projects a v1 history to the same rows as the v2 one', () => {
    const row = summaryOf(v1);
    expect(row).toEqual(summaryOf(v2));
    expect(row).toMatchObject({ status: 'completed', appName: '示例记账 Pro', revision: DECIDED.length - 1 });
    expect(publicRegistryAfter(v1)).toEqual(publicRegistryAfter(v2));
    expect(publicRegistryAfter(v1).registrations).toHaveLength(1);
  });

  it('differs from a v2 history that recorded another allowance only in that field', () => {
    const otherAllowance = DECIDED.map((event): FilingEvent =>
      event.type === 'BureauReviewStarted' ? { ...event, data: { ...event.data, workingDays: 15 } } : event,
    );
    const fromV1 = v1.map(readFilingEvent);
    const fromV2 = storedAt(FILING_SCHEMA_VERSION, otherAllowance).map(readFilingEvent);
    const differing = fromV1.flatMap((read, index) =>
      isDeepStrictEqual(read, fromV2[index]) ? [] : [{ v1: read, v2: fromV2[index] }],
    );
    expect(differing).toHaveLength(1);
    const [only] = differing;
    expect(only?.v1?.event).toMatchObject({ type: 'BureauReviewStarted', data: { workingDays: 20 } });
    expect(only?.v2?.event).toMatchObject({ type: 'BureauReviewStarted', data: { workingDays: 15 } });
    expect({
      ...only?.v2,
      event: { ...only?.v2?.event, data: { ...only?.v2?.event.data, workingDays: 20 } },
    }).toEqual(only?.v1);
    expect(summaryOf(storedAt(FILING_SCHEMA_VERSION, otherAllowance))).toEqual(summaryOf(v1));
  });

  it('stops the projector at a known event written by a newer build, naming the version', () => {
    const [first] = v2;
    const newer = {
      ...(first as ProjectableEvent),
      metadata: { seq: 0, occurredAt: minutesAfterEpoch(0), schemaVersion: 3 },
    };
    expect(() => readFilingEvent(newer)).toThrow(ProjectionError);
    expect(() => readFilingEvent(newer)).toThrow(
      `filing-${FILING_ID} seq 0: FilingSubmitted was written at schemaVersion 3; this build reads up to schemaVersion ${FILING_SCHEMA_VERSION}`,
    );
  });

  it('still skips an unknown type whatever its version', () => {
    const future: ProjectableEvent = {
      streamId: filingStreamId(FILING_ID),
      type: 'FutureEvent',
      data: {},
      metadata: { seq: 20, occurredAt: minutesAfterEpoch(20), schemaVersion: 9 },
    };
    expect(readFilingEvent(future)).toBeUndefined();
  });
});
