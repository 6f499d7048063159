import type {
  FindingAnswer,
  FindingDecision,
  InspectionFinding,
  InspectionOpenedData,
} from './inspection-events';

/** Times are inputs: the caller (an activity, for the workflow's clock) says when the command happens. */
export type InspectionCommand =
  | {
      readonly type: 'OpenInspection';
      readonly opening: InspectionOpenedData;
      readonly checkedAt: string;
      readonly findings: readonly InspectionFinding[];
    }
  | {
      readonly type: 'AnswerFinding';
      readonly findingId: string;
      readonly answer: FindingAnswer;
      readonly note?: string;
      readonly serviceNumber?: string;
    }
  /** The due date passed: every finding still unanswered goes to the bureau (it never decides). */
  | { readonly type: 'EscalateOverdueFindings'; readonly at: string }
  | {
      readonly type: 'DecideFinding';
      readonly findingId: string;
      readonly decision: FindingDecision;
      readonly note: string;
    };
