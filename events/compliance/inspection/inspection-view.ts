import type { ComplianceParty } from '../compliance-party';
import type { FindingAnswer, FindingDecision, FindingProblem, InspectionFinding } from './inspection-events';
import type { FindingState, FindingStatus, InspectionState } from './inspection-state';

/** A finding as the bureau and the party see it. */
export interface FindingView {
  findingId: string;
  kind: InspectionFinding['kind'];
  value: string;
  hostApp?: string;
  name?: string;
  problem: FindingProblem;
  serviceNumber?: string;
  state: FindingStatus;
  answer?: { answer: FindingAnswer; note?: string; serviceNumber?: string; answeredAt: string };
  escalatedAt?: string;
  decision?: { decision: FindingDecision; note: string; decidedAt: string };
}

export interface InspectionView {
  inspectionId: string;
  province: string;
  party: ComplianceParty;
  status: 'open' | 'escalated' | 'closed';
  openedOn: string;
  dueOn: string;
  dueAt: string;
  findings: FindingView[];
  note?: string;
  closedAt?: string;
}

export function findingView(finding: FindingState): FindingView {
  return {
    findingId: finding.findingId,
    kind: finding.kind,
    value: finding.value,
    ...(finding.hostApp === undefined ? {} : { hostApp: finding.hostApp }),
    ...(finding.name === undefined ? {} : { name: finding.name }),
    problem: finding.problem,
    ...(finding.serviceNumber === undefined ? {} : { serviceNumber: finding.serviceNumber }),
    state: finding.state,
    ...(finding.answer === undefined ? {} : { answer: { ...finding.answer } }),
    ...(finding.escalatedAt === undefined ? {} : { escalatedAt: finding.escalatedAt }),
    ...(finding.decision === undefined ? {} : { decision: { ...finding.decision } }),
  };
}

/** The inspection as the routes answer it; undefined before it is opened. */
export function inspectionView(state: InspectionState): InspectionView | undefined {
  if (state.status === 'none') return undefined;
  const { inspectionId, province, party, openedOn, dueOn, dueAt, note } = state;
  return {
    inspectionId,
    province,
    party: { role: party.role, id: party.id },
    status: state.status === 'listing' ? 'open' : state.status,
    openedOn,
    dueOn,
    dueAt,
    findings: state.status === 'listing' ? [] : state.findings.map(findingView),
    ...(note === undefined ? {} : { note }),
    ...(state.status === 'closed' ? { closedAt: state.closedAt } : {}),
  };
}
