import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ComplianceRecorder } from '../../events/compliance/compliance-envelope';
import type { ComplianceParty } from '../../events/compliance/compliance-party';
import { inspectionStreamId } from '../../events/compliance/compliance-streams';
import type { FindingAnswer, FindingDecision } from '../../events/compliance/inspection/inspection-events';
import type { FindingView, InspectionView } from '../../events/compliance/inspection/inspection-view';

/** What the API starts `inspectionWorkflow` with: a bureau inspects a party's inventory in its province. */
export interface InspectionWorkflowInput {
  inspectionId: string;
  province: string;
  party: ComplianceParty;
  answerWithinWorkingDays: number;
  note?: string;
  /** The bureau officer (token subject). */
  openedBy: ComplianceRecorder;
  /** The request that opened it, recorded as the opening's causation. */
  requestId: string;
}

export interface FindingAnswerArgs {
  findingId: string;
  answer: FindingAnswer;
  note?: string;
  serviceNumber?: string;
  answeredBy: ComplianceRecorder;
  requestId: string;
}

export interface FindingDecisionArgs {
  findingId: string;
  decision: FindingDecision;
  note: string;
  decidedBy: ComplianceRecorder;
  requestId: string;
}

export interface InspectionOutcome {
  status: InspectionView['status'];
  findings: number;
  escalated: number;
}

/** Answers once the findings are listed (sent with the start: one round trip opens an inspection). */
export const openedUpdate = defineUpdate<InspectionView, []>('opened');
/** The inspected party answers a finding; refused (409) once it is answered or escalated. */
export const answerFindingUpdate = defineUpdate<FindingView, [FindingAnswerArgs]>('answerFinding');
/** The bureau decides an escalated or disputed finding. */
export const decideFindingUpdate = defineUpdate<FindingView, [FindingDecisionArgs]>('decideFinding');
export const inspectionStateQuery = defineQuery<InspectionView | undefined>('inspectionState');

/** One workflow per inspection, named like its stream. */
export function inspectionWorkflowId(inspectionId: string): string {
  return inspectionStreamId(inspectionId);
}
