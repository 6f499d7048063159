import { assertNever } from '../../assert-never';
import type {
  FindingAnswer,
  FindingDecision,
  InspectionFinding,
  InspectionOpenedData,
  TimedInspectionEvent,
} from './inspection-events';

export type FindingStatus = 'open' | 'answered' | 'escalated' | 'decided';

export interface FindingState extends InspectionFinding {
  readonly state: FindingStatus;
  readonly answer?: {
    readonly answer: FindingAnswer;
    readonly note?: string;
    readonly serviceNumber?: string;
    readonly answeredAt: string;
  };
  readonly escalatedAt?: string;
  readonly decision?: {
    readonly decision: FindingDecision;
    readonly note: string;
    readonly decidedAt: string;
  };
}

interface Opened extends InspectionOpenedData {
  readonly openedAt: string;
}

/**
 * `listing`: opened, findings not yet listed; `open`: waiting for answers; `escalated`: at least one
 * finding went past its due date unanswered; `closed`: every finding settled.
 */
export type InspectionState =
  | { readonly status: 'none' }
  | ({ readonly status: 'listing' } & Opened)
  | ({ readonly status: 'open' | 'escalated'; readonly findings: readonly FindingState[] } & Opened)
  | ({
      readonly status: 'closed';
      readonly findings: readonly FindingState[];
      readonly closedAt: string;
    } & Opened);

export type ListedInspectionState = Extract<InspectionState, { findings: readonly FindingState[] }>;

export const INITIAL_INSPECTION_STATE: InspectionState = { status: 'none' };

/** Settled: answered as removed or registered since, or decided by the bureau. */
export function isSettled(finding: FindingState): boolean {
  return (
    finding.state === 'decided' || (finding.state === 'answered' && finding.answer?.answer !== 'disputed')
  );
}

function listed(state: InspectionState, type: string): ListedInspectionState {
  if (state.status === 'none' || state.status === 'listing')
    throw new Error(`${type} before InspectionFindingsListed`);
  return state;
}

function withFinding(
  state: InspectionState,
  type: string,
  findingId: string,
  change: (finding: FindingState) => FindingState,
): ListedInspectionState {
  const current = listed(state, type);
  if (!current.findings.some((finding) => finding.findingId === findingId))
    throw new Error(`${type} names an unknown finding ${findingId}`);
  const findings = current.findings.map((finding) =>
    finding.findingId === findingId ? change(finding) : finding,
  );
  if (current.status === 'closed') throw new Error(`${type} after InspectionClosed`);
  const escalated = findings.some(
    (finding) => finding.state === 'escalated' || finding.escalatedAt !== undefined,
  );
  return { ...current, findings, status: escalated ? 'escalated' : 'open' };
}

/** Pure: the state after one recorded event; an event that cannot follow the state throws. */
export function evolveInspection(state: InspectionState, event: TimedInspectionEvent): InspectionState {
  const at = event.metadata.occurredAt;
  switch (event.type) {
    case 'InspectionOpened':
      if (state.status !== 'none') throw new Error('InspectionOpened twice');
      return { status: 'listing', ...event.data, openedAt: at };
    case 'InspectionFindingsListed': {
      if (state.status !== 'listing')
        throw new Error('InspectionFindingsListed twice or before InspectionOpened');
      const findings = event.data.findings.map((finding): FindingState => ({ ...finding, state: 'open' }));
      return { ...state, status: 'open', findings };
    }
    case 'FindingAnswered': {
      const { findingId, ...answer } = event.data;
      return withFinding(state, event.type, findingId, (finding) => ({
        ...finding,
        state: 'answered',
        answer: { ...answer, answeredAt: at },
      }));
    }
    case 'FindingEscalated':
      return withFinding(state, event.type, event.data.findingId, (finding) => ({
        ...finding,
        state: 'escalated',
        escalatedAt: at,
      }));
    case 'FindingDecided': {
      const { decision, note } = event.data;
      return withFinding(state, event.type, event.data.findingId, (finding) => ({
        ...finding,
        state: 'decided',
        decision: { decision, note, decidedAt: at },
      }));
    }
    case 'InspectionClosed': {
      const current = listed(state, event.type);
      if (current.status === 'closed') throw new Error('InspectionClosed twice');
      return { ...current, status: 'closed', closedAt: at };
    }
    default:
      return assertNever(event, 'inspection event');
  }
}

/** The state after a stream's events, as recorded (sealed metadata carries occurredAt). */
export function foldInspection(
  events: ReadonlyArray<{ readonly type: string; readonly data: unknown; readonly metadata: unknown }>,
  from: InspectionState = INITIAL_INSPECTION_STATE,
): InspectionState {
  return events.reduce((state, event) => evolveInspection(state, event as TimedInspectionEvent), from);
}
