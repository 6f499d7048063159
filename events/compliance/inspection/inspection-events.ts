import type { ComplianceParty } from '../compliance-party';
import type { VerificationRequest } from '../../registry/verification';

/** What is wrong with a line of the party's inventory, as the registry answers it now. */
export const FINDING_PROBLEMS = [
  'unregistered',
  'mismatched',
  'cancelled_but_served',
  'withdrawn_but_served',
] as const;
export type FindingProblem = (typeof FINDING_PROBLEMS)[number];

/** What the inspected party answers: taken off, registered since (with its number), or disputed. */
export const FINDING_ANSWERS = ['removed', 'registered_since', 'disputed'] as const;
export type FindingAnswer = (typeof FINDING_ANSWERS)[number];

/** The bureau's decision on an escalated or disputed finding. */
export const FINDING_DECISIONS = ['upheld', 'dismissed'] as const;
export type FindingDecision = (typeof FINDING_DECISIONS)[number];

/** One inventory line the registry does not back, as listed when the inspection opened. */
export interface InspectionFinding {
  readonly findingId: string;
  /** The inventory line it came from. */
  readonly lineNo: number;
  readonly kind: VerificationRequest['kind'];
  readonly value: string;
  readonly signatureMd5?: string;
  readonly signatureSha1?: string;
  readonly hostApp?: string;
  readonly name?: string;
  readonly problem: FindingProblem;
  /** The registered service the identifier belongs to (mismatched, cancelled, withdrawn). */
  readonly serviceNumber?: string;
}

export interface InspectionOpenedData {
  readonly inspectionId: string;
  readonly province: string;
  readonly party: ComplianceParty;
  /** China date the bureau opened it. */
  readonly openedOn: string;
  readonly answerWithinWorkingDays: number;
  /** End of the last working day to answer (23:59:59.999 China time), UTC ISO. */
  readonly dueAt: string;
  /** China date of `dueAt`. */
  readonly dueOn: string;
  /** A day counted lies in a year whose holidays are not announced yet. */
  readonly provisional: boolean;
  /** The inventory report the findings were taken from. */
  readonly inventory: { readonly reportedOn: string; readonly digest: string };
  readonly note?: string;
}

export interface InspectionFindingsListedData {
  /** When the lines were re-checked against the registry. */
  readonly checkedAt: string;
  readonly findings: readonly InspectionFinding[];
}

export interface FindingAnsweredData {
  readonly findingId: string;
  readonly answer: FindingAnswer;
  readonly note?: string;
  /** With `registered_since`: the service now carrying the identifier. */
  readonly serviceNumber?: string;
}

export interface FindingEscalatedData {
  readonly findingId: string;
  readonly reason: 'overdue';
  readonly dueAt: string;
}

export interface FindingDecidedData {
  readonly findingId: string;
  readonly decision: FindingDecision;
  readonly note: string;
}

export type InspectionEvent =
  | { readonly type: 'InspectionOpened'; readonly data: InspectionOpenedData }
  | { readonly type: 'InspectionFindingsListed'; readonly data: InspectionFindingsListedData }
  | { readonly type: 'FindingAnswered'; readonly data: FindingAnsweredData }
  | { readonly type: 'FindingEscalated'; readonly data: FindingEscalatedData }
  | { readonly type: 'FindingDecided'; readonly data: FindingDecidedData }
  | { readonly type: 'InspectionClosed'; readonly data: Record<string, never> };

export type InspectionEventType = InspectionEvent['type'];

/** An inspection event with the sealed time the fold reads. */
export type TimedInspectionEvent = InspectionEvent & { readonly metadata: { readonly occurredAt: string } };
