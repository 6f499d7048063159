import { assertNever } from '../../assert-never';
import type { InspectionCommand } from './inspection-commands';
import { InspectionDomainError } from './inspection-errors';
import type { InspectionEvent } from './inspection-events';
import {
  type FindingState,
  type InspectionState,
  isSettled,
  type ListedInspectionState,
} from './inspection-state';

type Command<T extends InspectionCommand['type']> = Extract<InspectionCommand, { type: T }>;

function listedOrRefuse(state: InspectionState): ListedInspectionState {
  if (state.status === 'none' || state.status === 'listing')
    throw new InspectionDomainError('inspection_not_found', 'no inspection with its findings listed');
  return state;
}

function findingOrRefuse(state: ListedInspectionState, findingId: string): FindingState {
  const finding = state.findings.find((candidate) => candidate.findingId === findingId);
  if (!finding) throw new InspectionDomainError('finding_not_found', `no finding ${findingId}`);
  return finding;
}

/** InspectionClosed when the change settles the last unsettled finding. */
function closingAfter(state: ListedInspectionState, settledNow: string): InspectionEvent[] {
  const open = state.findings.filter((finding) => finding.findingId !== settledNow && !isSettled(finding));
  return open.length === 0 ? [{ type: 'InspectionClosed', data: {} }] : [];
}

function decideOpen(command: Command<'OpenInspection'>, state: InspectionState): InspectionEvent[] {
  if (state.status !== 'none') {
    if (state.inspectionId === command.opening.inspectionId) return [];
    throw new InspectionDomainError('inspection_id_reused', 'the stream holds another inspection');
  }
  return [
    { type: 'InspectionOpened', data: command.opening },
    { type: 'InspectionFindingsListed', data: { checkedAt: command.checkedAt, findings: command.findings } },
    ...(command.findings.length === 0 ? [{ type: 'InspectionClosed', data: {} } as const] : []),
  ];
}

function decideAnswer(command: Command<'AnswerFinding'>, state: InspectionState): InspectionEvent[] {
  const listed = listedOrRefuse(state);
  const finding = findingOrRefuse(listed, command.findingId);
  const { findingId, answer, note, serviceNumber } = command;
  if (finding.state === 'answered') {
    const same =
      finding.answer?.answer === answer &&
      finding.answer.note === note &&
      finding.answer.serviceNumber === serviceNumber;
    if (same) return [];
    throw new InspectionDomainError('finding_already_answered', `finding ${findingId} is already answered`);
  }
  if (finding.state === 'decided' && finding.answer !== undefined)
    throw new InspectionDomainError('finding_already_answered', `finding ${findingId} is already answered`);
  if (finding.state !== 'open')
    throw new InspectionDomainError(
      'finding_escalated',
      `finding ${findingId} went to the bureau at its due date`,
    );
  const answered: InspectionEvent = {
    type: 'FindingAnswered',
    data: {
      findingId,
      answer,
      ...(note === undefined ? {} : { note }),
      ...(serviceNumber === undefined ? {} : { serviceNumber }),
    },
  };
  return answer === 'disputed' ? [answered] : [answered, ...closingAfter(listed, findingId)];
}

function decideEscalation(
  command: Command<'EscalateOverdueFindings'>,
  state: InspectionState,
): InspectionEvent[] {
  const listed = listedOrRefuse(state);
  if (Date.parse(command.at) < Date.parse(listed.dueAt))
    throw new InspectionDomainError('not_yet_due', `the findings are due at ${listed.dueAt}`);
  if (listed.status === 'closed') return [];
  return listed.findings
    .filter((finding) => finding.state === 'open')
    .map((finding) => ({
      type: 'FindingEscalated',
      data: { findingId: finding.findingId, reason: 'overdue', dueAt: listed.dueAt },
    }));
}

function decideDecision(command: Command<'DecideFinding'>, state: InspectionState): InspectionEvent[] {
  const listed = listedOrRefuse(state);
  const finding = findingOrRefuse(listed, command.findingId);
  const { findingId, decision, note } = command;
  if (finding.state === 'decided') {
    if (finding.decision?.decision === decision && finding.decision.note === note) return [];
    throw new InspectionDomainError('finding_already_decided', `finding ${findingId} is already decided`);
  }
  const disputed = finding.state === 'answered' && finding.answer?.answer === 'disputed';
  if (finding.state !== 'escalated' && !disputed)
    throw new InspectionDomainError(
      'finding_not_decidable',
      `finding ${findingId} is neither escalated nor disputed`,
    );
  return [
    { type: 'FindingDecided', data: { findingId, decision, note } },
    ...closingAfter(listed, findingId),
  ];
}

/** The events a command adds to the inspection; [] when it is already done (a retry). Pure. */
export function decideInspection(command: InspectionCommand, state: InspectionState): InspectionEvent[] {
  switch (command.type) {
    case 'OpenInspection':
      return decideOpen(command, state);
    case 'AnswerFinding':
      return decideAnswer(command, state);
    case 'EscalateOverdueFindings':
      return decideEscalation(command, state);
    case 'DecideFinding':
      return decideDecision(command, state);
    default:
      return assertNever(command, 'inspection command');
  }
}
