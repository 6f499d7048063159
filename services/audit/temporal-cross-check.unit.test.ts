import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { filingStreamId } from '../../events/filing/stream-ids';
import type { RecordedEvent } from '../../events/ports/event-log.port';
import { AesGcmPayloadCodec } from '../../infra/temporal/payload-codec';
import { HAPPY_PATH_HISTORY } from '../../test/fixtures/histories/histories';
import {
  type AppendActivity,
  appendActivities,
  decodePayloads,
  executionStatusOf,
  PLAIN_PAYLOADS,
  unrecordedAppends,
} from './temporal-cross-check';

const history = temporal.api.history.v1.History.decode(readFileSync(HAPPY_PATH_HISTORY));

/** The log a faithful append of every completed activity would have produced (ids, seqs and hashes). */
const logOf = (appends: readonly AppendActivity[]): RecordedEvent[] =>
  appends
    .filter((a) => a.outcome === 'completed')
    .flatMap((a) => a.envelopes)
    .map((e, position) => ({
      streamId: filingStreamId('f'),
      revision: e.seq,
      position: position + 1,
      recordedAt: '2026-01-01T00:00:00.000Z',
      id: e.id,
      type: `Event${e.seq}`,
      data: {},
      metadata: { seq: e.seq, hash: e.hash },
    }));

describe('reading a filing workflow’s history', () => {
  it('finds every appendFilingEvents with its outcome and the envelopes it carried', async () => {
    const appends = await appendActivities(history);

    expect(appends.length).toBeGreaterThanOrEqual(10);
    expect(appends.every((a) => a.outcome === 'completed')).toBe(true);
    const seqs = appends.flatMap((a) => a.envelopes.map((e) => e.seq));
    expect(seqs).toEqual(seqs.map((_, index) => index));
    for (const envelope of appends.flatMap((a) => a.envelopes)) {
      expect(envelope).toEqual({
        id: expect.any(String),
        seq: expect.any(Number),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
    }
    expect(executionStatusOf(history)).toBe('COMPLETED');
  });

  it('says RUNNING for a history without a close event, and counts an append without outcome as pending', async () => {
    const events = history.events ?? [];
    const lastCompleted = events
      .map((e) => Boolean(e.activityTaskCompletedEventAttributes))
      .lastIndexOf(true);
    const cut = temporal.api.history.v1.History.create({ events: events.slice(0, lastCompleted) });

    expect(executionStatusOf(cut)).toBe('RUNNING');
    expect((await appendActivities(cut)).at(-1)?.outcome).toBe('pending');
  });
});

describe('comparing the log with the appends', () => {
  it('accepts a log that holds exactly what the completed appends carried', async () => {
    const appends = await appendActivities(history);
    expect(unrecordedAppends(logOf(appends), appends, false)).toEqual([]);
  });

  it('flags an event whose hash differs from the append’s at that seq, and one no append carried', async () => {
    const appends = await appendActivities(history);
    const log = logOf(appends);
    const forged = log.map((e) =>
      e.revision === 3 ? { ...e, metadata: { seq: 3, hash: 'f'.repeat(64) } } : e,
    );
    const extra = {
      ...log[0]!,
      revision: log.length,
      id: 'not-an-append',
      metadata: { seq: log.length, hash: 'a' },
    };

    expect(unrecordedAppends([...forged, extra], appends, false)).toEqual([
      {
        seq: 3,
        rule: 'temporal_unrecorded_append',
        message: expect.stringContaining('differs (id or hash) from what the workflow'),
      },
      {
        seq: log.length,
        rule: 'temporal_unrecorded_append',
        message: expect.stringContaining('appended by no completed appendFilingEvents'),
      },
    ]);
  });

  it('accepts what a pending append wrote while the workflow runs, not once it has closed', async () => {
    const appends = await appendActivities(history);
    const log = logOf(appends);
    const pending = appends.map((a, index) =>
      index === appends.length - 1 ? { ...a, outcome: 'pending' as const } : a,
    );
    const lastSeqs = appends.at(-1)?.envelopes.map((e) => e.seq) ?? [];

    expect(unrecordedAppends(log, pending, true)).toEqual([]);
    expect(unrecordedAppends(log, pending, false).map((f) => f.seq)).toEqual(lastSeqs);
  });
});

describe('decodePayloads', () => {
  it('decrypts with the converter’s codecs, and reads plain payloads as they are', async () => {
    const codec = new AesGcmPayloadCodec([{ id: 'k1', key: randomBytes(32) }], 'k1');
    const value = { streamId: 'filing-x', events: [{ id: 'e', metadata: { seq: 0, hash: 'h' } }] };
    const plain = [defaultPayloadConverter.toPayload(value)];
    const encrypted = await codec.encode(plain);
    const converter = { payloadConverter: defaultPayloadConverter, payloadCodecs: [codec] };

    expect(await decodePayloads(converter, encrypted)).toEqual([value]);
    expect(await decodePayloads(converter, plain)).toEqual([value]);
    expect(await decodePayloads(PLAIN_PAYLOADS, plain)).toEqual([value]);
    await expect(decodePayloads(PLAIN_PAYLOADS, encrypted)).rejects.toThrow();
  });
});
