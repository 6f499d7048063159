import type { RecordedEvent } from '../ports/event-log.port';
import { auditComplianceEvents } from './compliance-audit-rules';
import {
  type ComplianceSealContext,
  EMPTY_COMPLIANCE_STREAM,
  complianceStreamHead,
  sealComplianceEvent,
  verifyComplianceChain,
} from './compliance-envelope';
import { parsePartyKey, partyKey } from './compliance-party';
import {
  campaignItemStreamId,
  campaignStreamId,
  complianceStreamKindOf,
  inspectionStreamId,
  inventoryStreamId,
  sweepStreamId,
} from './compliance-streams';

const STREAM = inspectionStreamId('insp-1');
const bureau: ComplianceSealContext = {
  occurredAt: '2024-04-02T02:00:00.000Z',
  recordedBy: { role: 'bureau', id: 'gd-officer' },
  causationId: 'req-1',
};

/** The events as the log would hand them back after sealing them one after another. */
function recordedChain(
  events: ReadonlyArray<{ type: string; data: unknown }>,
  context = bureau,
): RecordedEvent[] {
  let head = EMPTY_COMPLIANCE_STREAM;
  return events.map((event, index) => {
    const sealed = sealComplianceEvent(STREAM, head, event, context);
    head = sealed.head;
    return {
      ...sealed.envelope,
      streamId: STREAM,
      revision: index,
      position: index + 1,
      recordedAt: context.occurredAt,
    } as RecordedEvent;
  });
}

const HISTORY = [
  { type: 'InspectionOpened', data: { inspectionId: 'insp-1', province: '440000' } },
  { type: 'InspectionFindingsListed', data: { findings: [{ findingId: 1 }] } },
  { type: 'FindingEscalated', data: { findingId: 1, reason: 'overdue' } },
];

describe('sealed compliance streams', () => {
  it('a stream sealed event by event verifies, and its head is its last hash', () => {
    const recorded = recordedChain(HISTORY);
    expect(verifyComplianceChain(STREAM, recorded)).toEqual([]);
    expect(auditComplianceEvents(STREAM, 'inspection', recorded)).toEqual([]);
    const last = recorded[2]?.metadata as { hash: string };
    expect(complianceStreamHead(recorded)).toEqual({ revision: 2, lastHash: last.hash });
  });

  it('sealing is deterministic: the same event at the same place gets the same id and hash (a retried append)', () => {
    const [first] = recordedChain(HISTORY);
    const [again] = recordedChain(HISTORY);
    expect(again?.id).toBe(first?.id);
    expect(again?.metadata).toEqual(first?.metadata);
  });

  it('changed data is hash_mismatch at that seq; the next event still chains to the stored hash', () => {
    const recorded = recordedChain(HISTORY);
    const tampered = recorded.map((event) =>
      event.revision === 1 ? { ...event, data: { findings: [] } } : event,
    );
    expect(verifyComplianceChain(STREAM, tampered)).toEqual([
      { seq: 1, rule: 'hash_mismatch', message: 'hash does not match the event’s content' },
    ]);
  });

  it('a removed event breaks the chain where it was', () => {
    const recorded = recordedChain(HISTORY);
    const rules = verifyComplianceChain(STREAM, [recorded[0], recorded[2]] as RecordedEvent[]).map(
      (finding) => [finding.seq, finding.rule],
    );
    expect(rules).toEqual([
      [2, 'seq_gap'],
      [2, 'prev_hash_mismatch'],
    ]);
  });

  it('an event out of its kind, a wrong opening and a recorder without the right are findings', () => {
    const recorded = recordedChain([
      { type: 'FindingAnswered', data: {} },
      { type: 'SweepCompleted', data: {} },
    ]);
    expect(auditComplianceEvents(STREAM, 'inspection', recorded).map((finding) => finding.rule)).toEqual([
      'wrong_opening_event',
      'unknown_event_type',
    ]);
    const byPlatform = recordedChain(HISTORY.slice(0, 1), {
      ...bureau,
      recordedBy: { role: 'platform', id: 'p' },
    });
    expect(auditComplianceEvents(STREAM, 'inspection', byPlatform).map((finding) => finding.rule)).toEqual([
      'recorder_not_allowed',
    ]);
  });
});

describe('compliance parties and streams', () => {
  it('a party key round-trips; unknown roles and blank ids are refused', () => {
    const party = { role: 'isp', id: '中国电信' } as const;
    expect(parsePartyKey(partyKey(party))).toEqual(party);
    expect(parsePartyKey('platform:x')).toBeUndefined();
    expect(parsePartyKey('store: ')).toBeUndefined();
    expect(parsePartyKey('store')).toBeUndefined();
  });

  it('each stream id names its kind; campaigns are not confused with their checks; no service number in clear', () => {
    const serviceNumber = '粤ICP备2024000001号-1A';
    expect(complianceStreamKindOf(inventoryStreamId({ role: 'store', id: 'huawei-appgallery' }))).toBe(
      'inventory',
    );
    expect(complianceStreamKindOf(sweepStreamId('2024-04-01'))).toBe('sweep');
    expect(complianceStreamKindOf(inspectionStreamId('a1'))).toBe('inspection');
    expect(complianceStreamKindOf(campaignStreamId('c1'))).toBe('campaign');
    const item = campaignItemStreamId('c1', serviceNumber);
    expect(complianceStreamKindOf(item)).toBe('campaign_item');
    expect(item).not.toContain(serviceNumber);
    expect(complianceStreamKindOf('registry-service-x')).toBeUndefined();
    expect(() => sweepStreamId('2024-02-30')).toThrow(RangeError);
    expect(() => inspectionStreamId('a/b')).toThrow(RangeError);
  });
});
