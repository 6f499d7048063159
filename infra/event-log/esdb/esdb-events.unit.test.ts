import type { EventToAppend, Json } from '../../../events/ports/event-log.port';
import { isSystemEvent, sameContent, toEventData, toRecordedEvent } from './esdb-events';
import { resolved, stored } from '../../../test/support/esdb/esdb-read-responses';

const ID = '6F9619FF-8B86-D011-B42D-00C04FC964FF';

function appended(data: Json, metadata: Json, type = 'FilingSubmitted'): EventToAppend {
  return { id: ID.toLowerCase(), type, data, metadata };
}

describe('EventStoreDB events', () => {
  it('appends JSON events with the caller’s id and metadata as JSON bytes', () => {
    const data = toEventData(appended({ n: 1 }, { filingId: 'f-1' }));

    expect(data).toMatchObject({
      id: ID.toLowerCase(),
      type: 'FilingSubmitted',
      contentType: 'application/json',
      data: { n: 1 },
    });
    // A plain Uint8Array: the client checks `metadata.constructor === Uint8Array` to send bytes as they are.
    expect(data.metadata?.constructor).toBe(Uint8Array);
    expect(Buffer.from(data.metadata as Uint8Array).toString('utf8')).toBe('{"filingId":"f-1"}');
  });

  it('maps a stored event read back through the client to the port’s RecordedEvent', () => {
    const event = resolved({
      streamId: 'filing-f-1',
      id: ID,
      type: 'FilingSubmitted',
      revision: 3,
      at: 1_234n,
      created: new Date('2026-03-02T08:30:00.123Z'),
      data: Buffer.from('{"operator":"深圳市腾讯计算机系统有限公司"}'),
      metadata: Buffer.from('{"actor":{"role":"applicant"}}'),
    });

    expect(toRecordedEvent(event)).toEqual({
      id: ID.toLowerCase(),
      type: 'FilingSubmitted',
      data: { operator: '深圳市腾讯计算机系统有限公司' },
      metadata: { actor: { role: 'applicant' } },
      streamId: 'filing-f-1',
      revision: 3,
      position: 2_469,
      recordedAt: '2026-03-02T08:30:00.123Z',
    });
  });

  it('round-trips every JSON value, including falsy metadata the client would drop as an object', () => {
    const values: Array<[Json, Json]> = [
      [{ a: 1 }, null],
      ['just a string', false],
      [null, 0],
      [42, ''],
      [[1, 'two', { three: true }], []],
      [{ emoji: '✅📱🇨🇳👩🏽‍💻', controls: 'nul\u0000tab\tline\u2028end', 键: '值' }, { note: '𠀀𪚥' }],
    ];
    values.forEach(([data, metadata], revision) => {
      const event = appended(data, metadata);
      const back = toRecordedEvent(
        resolved(stored(toEventData(event), { streamId: 'filing-x', revision, at: 100n + BigInt(revision) })),
      );
      expect(back).toMatchObject({ data, metadata, revision });
      expect(sameContent(back!, event)).toBe(true);
    });
  });

  it('reads events other programs wrote: no metadata is null, non-JSON bytes are base64', () => {
    const binary = resolved({
      streamId: 'legacy-1',
      id: ID,
      type: 'Blob',
      revision: 0,
      at: 10n,
      contentType: 'application/octet-stream',
      data: new Uint8Array([0xff, 0x00, 0x10]),
    });

    expect(toRecordedEvent(binary)).toMatchObject({ data: '/wAQ', metadata: null });
  });

  it('skips EventStoreDB’s own events and links to deleted events', () => {
    const link = resolved({
      streamId: '$ce-filing',
      id: ID,
      type: '$>',
      revision: 0,
      at: 20n,
      contentType: 'application/octet-stream',
      data: Buffer.from('0@filing-f-1'),
    });
    expect(toRecordedEvent(link)).toBeUndefined();
    expect(toRecordedEvent({})).toBeUndefined();
    expect(isSystemEvent({ streamId: '$stats-127.0.0.1:2113', type: 'StatsCollected' })).toBe(true);
    expect(isSystemEvent({ streamId: 'filing-1', type: '$metadata' })).toBe(true);
    expect(isSystemEvent({ streamId: 'filing-1', type: 'FilingSubmitted' })).toBe(false);
  });

  it('refuses an event of a pre-v20 transaction rather than number it out of order', () => {
    const event = resolved({
      streamId: 'filing-old',
      id: ID,
      type: 'FilingSubmitted',
      revision: 0,
      at: { commit: 900n, prepare: 700n },
      data: Buffer.from('{}'),
    });
    expect(() => toRecordedEvent(event)).toThrow(/pre-v20 explicit transaction/);
  });

  it('tells a retry (same content) from another writer’s event with the same id', () => {
    const event = appended({ number: '粤ICP备2026000123号' }, { seq: 1 });
    const back = toRecordedEvent(
      resolved(stored(toEventData(event), { streamId: 's', revision: 0, at: 5n })),
    )!;

    expect(sameContent(back, event)).toBe(true);
    expect(sameContent(back, { ...event, data: { number: '粤ICP备2026000124号' } })).toBe(false);
    expect(sameContent(back, { ...event, type: 'Other' })).toBe(false);
    expect(sameContent(back, { ...event, metadata: { seq: 2 } })).toBe(false);
  });
});
