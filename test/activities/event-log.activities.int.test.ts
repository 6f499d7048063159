import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMPTY_STREAM, sealFilingEvents, type StreamHead } from '../../events/filing/envelope';
import type { FilingEvent } from '../../events/filing/filing-events';
import { filingStreamId } from '../../events/filing/stream-ids';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import { createEventLogActivities } from '../../activities/filing/event-log.activities';

const FILING_ID = '0b9f3a52-7c1e-4d7a-9e61-2f3c4d5e6f70';
const streamId = filingStreamId(FILING_ID);

const seal = (head: StreamHead, event: FilingEvent, occurredAt: string) =>
  sealFilingEvents(head, [event], {
    filingId: FILING_ID,
    occurredAt,
    actor: { role: 'platform', id: 'reviewer-1', platformId: 'wechat' },
    correlationId: FILING_ID,
    causationId: 'action-1',
  });

describe('appendFilingEvents on a real SQLite log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'icp-append-activity-'));
  const log = new SqliteEventLog(join(dir, 'events.sqlite'));
  const { appendFilingEvents } = createEventLogActivities({ eventLog: log });

  afterAll(async () => {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a retry with the hash and time the log holds, even when the retry was sealed at another time', async () => {
    const first = seal(
      EMPTY_STREAM,
      { type: 'PlatformReviewApproved', data: {} },
      '2026-09-14T01:00:00.000Z',
    );
    const appended = await appendFilingEvents({
      streamId,
      expectedRevision: 'no_stream',
      events: first.envelopes,
    });
    expect(appended).toEqual({
      revision: 0,
      alreadyAppended: false,
      lastHash: first.head.lastHash,
      occurredAt: '2026-09-14T01:00:00.000Z',
    });

    // A replay that saw another workflow time re-seals the same transition: same id, another hash.
    const resealed = seal(
      EMPTY_STREAM,
      { type: 'PlatformReviewApproved', data: {} },
      '2026-09-14T01:00:24.000Z',
    );
    expect(resealed.head.lastHash).not.toBe(first.head.lastHash);
    const retried = await appendFilingEvents({
      streamId,
      expectedRevision: 'no_stream',
      events: resealed.envelopes,
    });
    expect(retried).toEqual({
      revision: 0,
      alreadyAppended: true,
      lastHash: first.head.lastHash,
      occurredAt: '2026-09-14T01:00:00.000Z',
    });
    expect(await log.readStream(streamId)).toHaveLength(1);
  });

  it('refuses to call another transition at the same revision appended', async () => {
    const other = seal(
      EMPTY_STREAM,
      { type: 'PlatformReviewRejected', data: { reasons: '材料不全' } },
      '2026-09-14T01:00:00.000Z',
    );
    await expect(
      appendFilingEvents({ streamId, expectedRevision: 'no_stream', events: other.envelopes }),
    ).rejects.toThrow(/revisions 0–0 hold PlatformReviewApproved, not PlatformReviewRejected/);
  });
});
