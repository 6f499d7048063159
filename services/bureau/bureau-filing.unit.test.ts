import { SYSTEM_ACTOR } from '../../events/filing/actor';
import { EMPTY_STREAM, sealFilingEvents } from '../../events/filing/envelope';
import type { FilingEvent } from '../../events/filing/filing-events';
import type { Json, RecordedEvent } from '../../events/ports/event-log.port';
import { historiesByStatus } from '../../test/support/decider-spec';
import { submittedEvent } from '../../test/support/projection-fixtures';
import { bureauFilingDetail } from './bureau-filing';

const FILING_ID = 'f-bureau-detail-1';
const SUBMITTED = submittedEvent(FILING_ID);

function recorded(events: readonly FilingEvent[]): RecordedEvent[] {
  const { envelopes } = sealFilingEvents(EMPTY_STREAM, events, {
    filingId: FILING_ID,
    occurredAt: '2026-12-01T02:00:00.000Z',
    actor: SYSTEM_ACTOR,
    correlationId: FILING_ID,
    causationId: 'test',
  });
  return envelopes.map((envelope, revision) => ({
    id: envelope.id,
    type: envelope.type,
    data: envelope.data as unknown as Json,
    metadata: envelope.metadata as unknown as Json,
    streamId: `filing-${FILING_ID}`,
    revision,
    position: revision + 1,
    recordedAt: envelope.metadata.occurredAt,
  }));
}

describe('the bureau’s detail of a filing', () => {
  it('shows a return’s explanation and per-field reasons on the timeline', () => {
    const fieldReasons = [{ path: 'app.name', problem: '名称与截图不符', suggestion: '按截图填写' }];
    const detail = bureauFilingDetail(
      FILING_ID,
      recorded([
        ...historiesByStatus(SUBMITTED).bureau_review,
        { type: 'BureauReviewReturned', data: { reasons: '请修改后重新提交', fieldReasons } },
      ]),
    );
    expect(detail?.status).toBe('returned_for_correction');
    expect(detail?.timeline.at(-1)).toMatchObject({
      type: 'BureauReviewReturned',
      reasons: '请修改后重新提交',
      fieldReasons,
    });
    expect(detail?.timeline.filter((entry) => entry.reasons !== undefined)).toHaveLength(1);
  });
});
