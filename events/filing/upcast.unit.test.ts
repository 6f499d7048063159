import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import { canonicalJson } from '../canonical-json';
import { validateRegistrationForm } from '../form/validate-form';
import { sha256Hex } from '../ids';
import { BUREAU_REVIEW_WORKING_DAYS, PLATFORM_REVIEW_WORKING_DAYS } from '../working-days/sla';
import { SYSTEM_ACTOR } from './actor';
import { historiesByStatus, occurredAtOf, stateAfter } from '../../test/support/decider-spec';
import {
  EMPTY_STREAM,
  filingEventId,
  GENESIS_HASH,
  hashFilingEvent,
  sealFilingEvents,
  sealFilingEventsAt,
  verifyFilingChain,
} from './envelope';
import { foldFiling, type TimedFilingEvent } from './evolve';
import { FilingSchemaError } from './filing-errors';
import {
  FILING_EVENT_TYPES,
  FILING_SCHEMA_VERSION,
  type FilingEvent,
  type FilingEventMetadata,
  type FilingEventOf,
  type StoredFilingEnvelope,
} from './filing-events';
import {
  dataAsWrittenAt,
  FILING_DOWNCASTERS,
  FILING_UPCASTERS,
  storedSchemaVersion,
  type StoredFilingEvent,
  upcastFilingEnvelope,
  upcastFilingEvent,
  V1_REVIEW_WORKING_DAYS,
} from './upcast';

const FILING_ID = 'filing-0001';

function validatedAppForm() {
  const result = validateRegistrationForm(loadValidForm('valid-app'), { submittedOn: '2026-11-30' });
  if (!result.ok) throw new Error(`valid-app does not validate: ${JSON.stringify(result.errors)}`);
  return result.value;
}

const SUBMITTED: FilingEventOf<'FilingSubmitted'> = {
  type: 'FilingSubmitted',
  data: {
    filingId: FILING_ID,
    platformId: 'wechat',
    province: '440000',
    serviceType: 'app',
    appName: '示例记账',
    form: validatedAppForm(),
  },
};
const AT = historiesByStatus(SUBMITTED);

const stored = (type: string, data: unknown, schemaVersion?: unknown): StoredFilingEvent => ({
  type,
  data,
  metadata: schemaVersion === undefined ? { seq: 1 } : { seq: 1, schemaVersion },
});

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

/**
 * Two envelopes exactly as the v1 workflow stored them (taken from the recorded v1 history in
 * test/fixtures/histories): v1 data, schemaVersion 1, and the hash v1 writers computed.
 */
const RECORDED_V1: StoredFilingEnvelope[] = [
  {
    type: 'PlatformReviewStarted',
    data: { dueAt: '2026-12-02T15:59:59.999Z', provisional: false, round: 1 },
    id: 'bddb7d5f-39dc-5acc-98eb-645b938e795a',
    metadata: {
      filingId: '7a0eb796-7cfb-48fd-9214-fa7ab260ddf8',
      seq: 1,
      occurredAt: '2026-11-30T11:13:36.348Z',
      actor: { role: 'system', id: 'filing-workflow' },
      correlationId: '7a0eb796-7cfb-48fd-9214-fa7ab260ddf8',
      causationId: 'filing-7a0eb796-7cfb-48fd-9214-fa7ab260ddf8:StartPlatformReview:1',
      schemaVersion: 1,
      prevHash: 'df2b2c32e9605c8ef7ba1b8a63b1d567f55a1800753af736d310a2adce49c106',
      hash: '8eb9def14062d740ecf629c8ddb6b927396186a9c9a1ac7c160794efc620b580',
    },
  },
  {
    type: 'BureauReviewStarted',
    data: { dueAt: '2026-12-28T15:59:59.999Z', provisional: false, province: '440000' },
    id: '96c1e51d-02bd-5d1b-b69b-509c74eb77b1',
    metadata: {
      filingId: '7a0eb796-7cfb-48fd-9214-fa7ab260ddf8',
      seq: 5,
      occurredAt: '2026-11-30T11:13:38.997Z',
      actor: { role: 'system', id: 'filing-workflow' },
      correlationId: '7a0eb796-7cfb-48fd-9214-fa7ab260ddf8',
      causationId: 'filing-7a0eb796-7cfb-48fd-9214-fa7ab260ddf8:StartBureauReview:5',
      schemaVersion: 1,
      prevHash: '67de51611193ffcbd128b3213a751732b13d57e4e96f57b59b9c2137074e594b',
      hash: '0c3505e51167cea46115a9c4de727a9de1accc88b6e18554badc2ede646d8895',
    },
  },
];

describe('upcastFilingEvent', () => {
  it('gives a v1 PlatformReviewStarted the platform review allowance v1 writers used', () => {
    const v1 = stored(
      'PlatformReviewStarted',
      { dueAt: '2026-12-02T15:59:59.999Z', provisional: false, round: 1 },
      1,
    );
    expect(upcastFilingEvent(v1)).toEqual({
      type: 'PlatformReviewStarted',
      data: { dueAt: '2026-12-02T15:59:59.999Z', provisional: false, round: 1, workingDays: 2 },
    });
    expect(V1_REVIEW_WORKING_DAYS.PlatformReviewStarted).toBe(2);
  });

  it('gives a v1 BureauReviewStarted the bureau review allowance v1 writers used', () => {
    const v1 = stored(
      'BureauReviewStarted',
      { dueAt: '2026-12-28T15:59:59.999Z', provisional: true, province: '440000' },
      1,
    );
    expect(upcastFilingEvent(v1)).toEqual({
      type: 'BureauReviewStarted',
      data: { dueAt: '2026-12-28T15:59:59.999Z', provisional: true, province: '440000', workingDays: 20 },
    });
    expect(V1_REVIEW_WORKING_DAYS.BureauReviewStarted).toBe(20);
  });

  it('upcasts the review events the v1 workflow really stored', () => {
    expect(RECORDED_V1.map((envelope) => upcastFilingEvent(envelope).data)).toEqual([
      { dueAt: '2026-12-02T15:59:59.999Z', provisional: false, round: 1, workingDays: 2 },
      { dueAt: '2026-12-28T15:59:59.999Z', provisional: false, province: '440000', workingDays: 20 },
    ]);
  });

  it('leaves the stored event as it was', () => {
    const v1 = stored('PlatformReviewStarted', { dueAt: 'x', provisional: false, round: 1 }, 1);
    const before = JSON.parse(JSON.stringify(v1)) as unknown;
    Object.freeze(v1.data);
    upcastFilingEvent(v1);
    expect(v1).toEqual(before);
  });

  it('passes a v2 review event through untouched, whatever allowance it records', () => {
    const data = { dueAt: '2026-12-04T15:59:59.999Z', provisional: false, round: 1, workingDays: 1 };
    const event = upcastFilingEvent(stored('PlatformReviewStarted', data, 2));
    expect(event).toEqual({ type: 'PlatformReviewStarted', data });
    expect(event.data).toBe(data);
    const bureau = {
      dueAt: '2026-12-28T15:59:59.999Z',
      provisional: false,
      province: '440000',
      workingDays: 15,
    };
    expect(upcastFilingEvent(stored('BureauReviewStarted', bureau, FILING_SCHEMA_VERSION)).data).toBe(bureau);
  });

  it('leaves the data of event types whose shape did not change as it is', () => {
    const data = { reasons: '资料齐全' };
    expect(upcastFilingEvent(stored('PlatformReviewApproved', data, 1))).toEqual({
      type: 'PlatformReviewApproved',
      data,
    });
    expect(upcastFilingEvent(stored('PlatformReviewApproved', data, 1)).data).toBe(data);
  });

  it('reads an event without a schemaVersion as the first shape', () => {
    expect(storedSchemaVersion({ type: 'BureauReviewStarted', data: {}, metadata: {} })).toBe(1);
    expect(storedSchemaVersion({ type: 'BureauReviewStarted', data: {}, metadata: undefined })).toBe(1);
    expect(
      upcastFilingEvent(
        stored('BureauReviewStarted', { dueAt: 'x', provisional: false, province: '440000' }),
      ),
    ).toMatchObject({ data: { workingDays: 20 } });
  });

  it('refuses an event written at a schemaVersion newer than this build’s, naming the version', () => {
    const newer = FILING_SCHEMA_VERSION + 1;
    const error = errorOf(() => upcastFilingEvent(stored('PlatformReviewStarted', { dueAt: 'x' }, newer)));
    expect(error).toBeInstanceOf(FilingSchemaError);
    expect(error).toMatchObject({ eventType: 'PlatformReviewStarted', schemaVersion: newer });
    expect((error as Error).message).toBe(
      `PlatformReviewStarted was written at schemaVersion ${newer}; this build reads up to schemaVersion ${FILING_SCHEMA_VERSION}`,
    );
    // Whatever the type: a newer writer's shape is never guessed at.
    expect(() => upcastFilingEvent(stored('SmsVerified', { challengeId: 'c' }, 99))).toThrow(
      /schemaVersion 99; this build reads up to schemaVersion 2/,
    );
  });

  it.each([0, -1, 1.5, '1', null, Number.NaN])(
    'refuses schemaVersion %p, which no writer records',
    (version) => {
      const error = errorOf(() => upcastFilingEvent(stored('PlatformReviewApproved', {}, version)));
      expect(error).toBeInstanceOf(FilingSchemaError);
      expect((error as Error).message).toContain('is not a version');
    },
  );

  it('refuses metadata that is not an object, and v1 review data an upcaster cannot read', () => {
    expect(() => upcastFilingEvent({ type: 'SmsVerified', data: {}, metadata: 'v1' })).toThrow(
      FilingSchemaError,
    );
    expect(() => upcastFilingEvent(stored('PlatformReviewStarted', null, 1))).toThrow(
      'PlatformReviewStarted (schemaVersion 1): data is not an object',
    );
    expect(() => upcastFilingEvent(stored('BureauReviewStarted', ['x'], 1))).toThrow(FilingSchemaError);
  });

  it('leaves an unknown type to the caller, data unchanged', () => {
    const data = { anything: 1 };
    expect(upcastFilingEvent(stored('FutureEvent', data, 1)).data).toBe(data);
    expect(upcastFilingEvent(stored('toString', data, 1)).data).toBe(data);
    expect(upcastFilingEvent(stored('constructor', data, 1)).data).toBe(data);
  });
});

describe('the upcaster table', () => {
  const versionsBelowCurrent = Array.from({ length: FILING_SCHEMA_VERSION - 1 }, (_, index) => index + 1);

  it('has one step, up and down, from every version below FILING_SCHEMA_VERSION', () => {
    expect(Object.keys(FILING_UPCASTERS).map(Number)).toEqual(versionsBelowCurrent);
    expect(Object.keys(FILING_DOWNCASTERS).map(Number)).toEqual(versionsBelowCurrent);
    for (const version of versionsBelowCurrent) {
      expect(Object.keys(FILING_DOWNCASTERS[version] ?? {}).sort()).toEqual(
        Object.keys(FILING_UPCASTERS[version] ?? {}).sort(),
      );
    }
  });

  it('names only event types this build knows', () => {
    for (const step of Object.values(FILING_UPCASTERS)) {
      for (const type of Object.keys(step)) expect(FILING_EVENT_TYPES).toContain(type);
    }
  });

  it('writes at v1 what v1 writers wrote, and reads it back as it was decided', () => {
    const current: FilingEvent[] = [
      { type: 'PlatformReviewStarted', data: { dueAt: 'd', provisional: false, workingDays: 2, round: 1 } },
      {
        type: 'BureauReviewStarted',
        data: { dueAt: 'd', provisional: true, workingDays: 20, province: '440000' },
      },
      { type: 'PlatformReviewApproved', data: {} },
    ];
    expect(current.map((event) => dataAsWrittenAt(event, 1))).toEqual([
      { dueAt: 'd', provisional: false, round: 1 },
      { dueAt: 'd', provisional: true, province: '440000' },
      {},
    ]);
    for (const event of current) {
      expect(dataAsWrittenAt(event, FILING_SCHEMA_VERSION)).toBe(event.data);
      expect(upcastFilingEvent(stored(event.type, dataAsWrittenAt(event, 1), 1))).toEqual(event);
    }
    expect(() => dataAsWrittenAt(current[0] as FilingEvent, 0)).toThrow(FilingSchemaError);
    expect(() => dataAsWrittenAt(current[0] as FilingEvent, FILING_SCHEMA_VERSION + 1)).toThrow(
      FilingSchemaError,
    );
  });

  it('fills v1 events with the allowances sla.ts sets today', () => {
    // Frozen in upcast.ts: if the SLA changes, V1_REVIEW_WORKING_DAYS stays and this expectation goes.
    expect(V1_REVIEW_WORKING_DAYS).toEqual({
      PlatformReviewStarted: PLATFORM_REVIEW_WORKING_DAYS,
      BureauReviewStarted: BUREAU_REVIEW_WORKING_DAYS,
    });
  });
});

/** The v1 shape of a current event, written out by hand (not through the downcasters). */
function v1DataOf(event: FilingEvent): unknown {
  if (event.type === 'PlatformReviewStarted') {
    const { dueAt, provisional, round } = event.data;
    return { dueAt, provisional, round };
  }
  if (event.type === 'BureauReviewStarted') {
    const { dueAt, provisional, province } = event.data;
    return { dueAt, provisional, province };
  }
  return event.data;
}

/** `events` sealed as the v1 workflow sealed them: v1 data, schemaVersion 1, hashed over exactly that. */
function sealedByV1Writer(events: readonly FilingEvent[]): StoredFilingEnvelope[] {
  let prevHash = GENESIS_HASH;
  return events.map((event, seq) => {
    const metadata: Omit<FilingEventMetadata, 'hash'> = {
      filingId: FILING_ID,
      seq,
      occurredAt: occurredAtOf(seq),
      actor: { role: SYSTEM_ACTOR.role, id: SYSTEM_ACTOR.id },
      correlationId: FILING_ID,
      causationId: `action-${seq}`,
      schemaVersion: 1,
      prevHash,
    };
    const data = v1DataOf(event);
    const hash = sha256Hex(prevHash + canonicalJson({ type: event.type, data, metadata }));
    prevHash = hash;
    return JSON.parse(
      JSON.stringify({
        type: event.type,
        data,
        id: filingEventId(FILING_ID, seq),
        metadata: { ...metadata, hash },
      }),
    ) as StoredFilingEnvelope;
  });
}

describe('a sealed v1 history', () => {
  // Both reviews, a correction round and a completed registration.
  const decided: FilingEvent[] = [
    ...AT.returned_for_correction,
    { type: 'FilingCorrected', data: { form: SUBMITTED.data.form, appName: '示例记账' } },
    {
      type: 'PlatformReviewStarted',
      data: { dueAt: '2026-12-04T16:00:00.000Z', provisional: true, workingDays: 2, round: 2 },
    },
    ...(AT.completed.slice(2) as FilingEvent[]),
  ];
  const v1 = sealedByV1Writer(decided);

  it('is stored in the v1 shape', () => {
    const reviews = v1.filter((envelope) => envelope.type.endsWith('ReviewStarted'));
    expect(reviews).toHaveLength(3);
    for (const envelope of reviews) expect(envelope.data).not.toHaveProperty('workingDays');
    expect(new Set(v1.map((envelope) => envelope.metadata.schemaVersion))).toEqual(new Set([1]));
  });

  it('still verifies: the chain is over what was stored', () => {
    expect(verifyFilingChain(FILING_ID, v1)).toEqual([]);
  });

  it('folds, upcast, to the same state as before upcasting existed and as its v2 twin', () => {
    const upcast = v1.map(upcastFilingEnvelope);
    const asBefore = foldFiling(v1 as unknown as TimedFilingEvent[]);
    expect(foldFiling(upcast)).toEqual(asBefore);
    expect(foldFiling(upcast)).toEqual(stateAfter(...decided));
    expect(foldFiling(upcast).status).toBe('completed');
    expect(upcast.map(({ type, data }) => ({ type, data }))).toEqual(decided);
  });

  it('keeps id and metadata as stored when upcast, so the upcast copy is not what the chain covers', () => {
    const upcast = v1.map(upcastFilingEnvelope);
    expect(upcast.map((envelope) => [envelope.id, envelope.metadata])).toEqual(
      v1.map((envelope) => [envelope.id, envelope.metadata]),
    );
    // Hashing the upcast shape instead of the stored one would reject every upcast event.
    expect(verifyFilingChain(FILING_ID, upcast).map(({ seq, rule }) => ({ seq, rule }))).toEqual(
      v1
        .filter((envelope) => envelope.type.endsWith('ReviewStarted'))
        .map((envelope) => ({ seq: envelope.metadata.seq, rule: 'hash_mismatch' })),
    );
  });

  it('is what sealing at schemaVersion 1 writes, the way a replaying v1 workflow re-seals it', () => {
    let head = EMPTY_STREAM;
    const resealed = decided.flatMap((event, seq) => {
      const sealed = sealFilingEventsAt(1, head, [event], {
        filingId: FILING_ID,
        occurredAt: occurredAtOf(seq),
        actor: SYSTEM_ACTOR,
        correlationId: FILING_ID,
        causationId: `action-${seq}`,
      });
      head = sealed.head;
      return sealed.envelopes;
    });
    expect(JSON.parse(JSON.stringify(resealed))).toEqual(v1);
    expect(head.lastHash).toBe(v1.at(-1)?.metadata.hash);
  });

  it('differs from the v2 sealing of the same decisions, which verifies as well', () => {
    const v2 = sealFilingEvents(EMPTY_STREAM, decided.slice(0, 2), {
      filingId: FILING_ID,
      occurredAt: occurredAtOf(0),
      actor: SYSTEM_ACTOR,
      correlationId: FILING_ID,
      causationId: 'action-0',
    }).envelopes;
    expect(v2.map((envelope) => envelope.metadata.schemaVersion)).toEqual([2, 2]);
    expect(v2[1]?.data).toEqual(decided[1]?.data);
    expect(verifyFilingChain(FILING_ID, v2)).toEqual([]);
    expect(v2[0]?.metadata.hash).not.toBe(v1[0]?.metadata.hash);
  });

  it('verifies and folds when a live v2 workflow continues it from its stored head', () => {
    const begun = sealedByV1Writer(decided.slice(0, 6));
    const last = begun.at(-1);
    if (!last) throw new Error('fixture changed');
    const continued = sealFilingEvents(
      { revision: last.metadata.seq, lastHash: last.metadata.hash },
      decided.slice(6),
      {
        filingId: FILING_ID,
        occurredAt: occurredAtOf(6),
        actor: SYSTEM_ACTOR,
        correlationId: FILING_ID,
        causationId: 'action-6',
      },
    ).envelopes;
    const stream = [...begun, ...continued];
    expect(stream.map((envelope) => envelope.metadata.schemaVersion)).toEqual(
      decided.map((_, seq) => (seq < 6 ? 1 : FILING_SCHEMA_VERSION)),
    );
    expect(verifyFilingChain(FILING_ID, stream)).toEqual([]);
    expect(foldFiling(stream.map(upcastFilingEnvelope))).toEqual(foldFiling(v1.map(upcastFilingEnvelope)));
  });

  it('matches the hashes the v1 workflow really recorded', () => {
    for (const envelope of RECORDED_V1) {
      const { hash, ...metadata } = envelope.metadata;
      expect(hashFilingEvent(envelope, metadata)).toBe(hash);
    }
  });
});
