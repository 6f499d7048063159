import type { RecordedEvent } from '../ports/event-log.port';
import type { ChainHasher } from '../ids';
import {
  type ComplianceChainFinding,
  type ComplianceRecorderRole,
  complianceMetadataOf,
  verifyComplianceChain,
} from './compliance-envelope';
import type { ComplianceStreamKind } from './compliance-streams';

/** What each kind of compliance stream may hold: the event opening it, the others, and who records them. */
export interface ComplianceStreamRule {
  readonly opening: readonly string[];
  readonly types: readonly string[];
  readonly recorders: readonly ComplianceRecorderRole[];
}

export const COMPLIANCE_STREAM_RULES: Record<ComplianceStreamKind, ComplianceStreamRule> = {
  inventory: {
    opening: ['InventoryReported'],
    types: ['InventoryReported'],
    recorders: ['isp', 'store', 'device_maker'],
  },
  sweep: { opening: ['SweepCompleted'], types: ['SweepCompleted'], recorders: ['system', 'bureau', 'admin'] },
  inspection: {
    opening: ['InspectionOpened'],
    types: [
      'InspectionOpened',
      'InspectionFindingsListed',
      'FindingAnswered',
      'FindingEscalated',
      'FindingDecided',
      'InspectionClosed',
    ],
    recorders: ['system', 'bureau', 'isp', 'store', 'device_maker'],
  },
  campaign: {
    opening: ['CampaignOpened'],
    types: ['CampaignOpened', 'CampaignClosed'],
    recorders: ['system', 'bureau'],
  },
  campaign_item: {
    opening: ['CampaignItemAnswered', 'CampaignItemEscalated'],
    types: [
      'CampaignItemAnswered',
      'CampaignItemEscalated',
      'CampaignItemDecided',
      'CampaignItemAccessWithdrawn',
    ],
    recorders: ['system', 'bureau', 'platform', 'isp'],
  },
};

export type ComplianceAuditRule =
  ComplianceChainFinding['rule'] | 'unknown_event_type' | 'wrong_opening_event' | 'recorder_not_allowed';

export interface ComplianceAuditFinding {
  readonly seq: number;
  readonly rule: ComplianceAuditRule;
  readonly message: string;
}

function placeFindings(
  rule: ComplianceStreamRule,
  recorded: readonly RecordedEvent[],
): ComplianceAuditFinding[] {
  return recorded.flatMap((event, index): ComplianceAuditFinding[] => {
    const seq = event.revision;
    if (!rule.types.includes(event.type)) {
      return [{ seq, rule: 'unknown_event_type', message: `${event.type} does not belong in this stream` }];
    }
    const findings: ComplianceAuditFinding[] = [];
    if (index === 0 && !rule.opening.includes(event.type)) {
      findings.push({ seq, rule: 'wrong_opening_event', message: `the stream opens with ${event.type}` });
    }
    const role = complianceMetadataOf(event)?.recordedBy?.role;
    if (role !== undefined && !rule.recorders.includes(role)) {
      findings.push({ seq, rule: 'recorder_not_allowed', message: `${event.type} recorded by a ${role}` });
    }
    return findings;
  });
}

/**
 * A compliance stream replayed from the log alone: its hash chain, seq and ids, and each event's place
 * (known to its kind, the right opening event, recorded by a role allowed to). Pure.
 */
export function auditComplianceEvents(
  streamId: string,
  kind: ComplianceStreamKind,
  recorded: readonly RecordedEvent[],
  hasher?: ChainHasher,
): ComplianceAuditFinding[] {
  return [
    ...verifyComplianceChain(streamId, recorded, hasher),
    ...placeFindings(COMPLIANCE_STREAM_RULES[kind], recorded),
  ].sort((a, b) => a.seq - b.seq);
}
