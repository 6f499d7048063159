import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { InspectionStep } from '../../activities/compliance/inspection';
import type { InspectionCommand } from '../../events/compliance/inspection/inspection-commands';
import { decideInspection } from '../../events/compliance/inspection/inspection-decide';
import { InspectionDomainError } from '../../events/compliance/inspection/inspection-errors';
import {
  INITIAL_INSPECTION_STATE,
  type InspectionState,
} from '../../events/compliance/inspection/inspection-state';
import {
  type FindingView,
  findingView,
  type InspectionView,
  inspectionView,
} from '../../events/compliance/inspection/inspection-view';
import {
  answerFindingUpdate,
  decideFindingUpdate,
  type InspectionOutcome,
  inspectionStateQuery,
  type InspectionWorkflowInput,
  openedUpdate,
} from './inspection.definitions';

// Opening re-checks up to 100,000 inventory lines against the registry; every other step is one append.
const { openInspection } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});
const { inspectionDueDate, recordFindingAnswer, recordFindingDecision, escalateOverdueFindings } =
  proxyActivities<Activities>({
    startToCloseTimeout: '20 seconds',
    retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
  });

function failureOf(code: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: code, message, nonRetryable: true });
}

/** The inspection's state as its stream holds it, and the checks its updates' validators make. */
class InspectionRun {
  private state: InspectionState = INITIAL_INSPECTION_STATE;
  private revision = -1;

  /** Takes a step's state unless a later one arrived first (updates run concurrently). */
  apply(step: InspectionStep): void {
    if ('refused' in step) throw failureOf(step.refused, step.message);
    if (step.revision > this.revision) {
      this.state = step.state;
      this.revision = step.revision;
    }
  }

  /** Refuses in the validator what the domain would refuse now: nothing reaches history. */
  validate(command: InspectionCommand): void {
    try {
      decideInspection(command, this.state);
    } catch (error) {
      if (error instanceof InspectionDomainError) throw failureOf(error.code, error.message);
      throw error;
    }
  }

  /** Past the end of the due day an answer is late: the finding goes (or went) to the bureau. */
  refuseLateAnswer(findingId: string): void {
    if (this.state.status === 'none' || this.state.status === 'listing') return;
    if (Date.now() > Date.parse(this.state.dueAt))
      throw failureOf('finding_escalated', `finding ${findingId} is past its due date`);
  }

  get listed(): boolean {
    return this.state.status !== 'none' && this.state.status !== 'listing';
  }

  get closed(): boolean {
    return this.state.status === 'closed';
  }

  /** No finding waits for the party's answer (each answered, escalated or decided). */
  get noneAwaitingAnswer(): boolean {
    return 'findings' in this.state && this.state.findings.every((finding) => finding.state !== 'open');
  }

  get dueAt(): string {
    if (!('dueAt' in this.state)) throw new Error('the inspection is not opened');
    return this.state.dueAt;
  }

  view(): InspectionView | undefined {
    return inspectionView(this.state);
  }

  finding(findingId: string): FindingView {
    const found =
      'findings' in this.state ? this.state.findings.find((f) => f.findingId === findingId) : undefined;
    if (!found) throw failureOf('finding_not_found', `no finding ${findingId}`);
    return findingView(found);
  }

  outcome(): InspectionOutcome {
    const findings = 'findings' in this.state ? this.state.findings : [];
    return {
      status: this.view()?.status ?? 'open',
      findings: findings.length,
      escalated: findings.filter((finding) => finding.escalatedAt !== undefined).length,
    };
  }
}

function handleMessages(run: InspectionRun, inspectionId: string): void {
  setHandler(inspectionStateQuery, () => run.view());
  setHandler(openedUpdate, async () => {
    await condition(() => run.listed);
    return run.view() as InspectionView;
  });
  setHandler(
    answerFindingUpdate,
    async ({ answeredBy, requestId, ...answer }) => {
      const at = new Date().toISOString();
      run.apply(
        await recordFindingAnswer({
          inspectionId,
          at,
          recordedBy: answeredBy,
          causationId: requestId,
          ...answer,
        }),
      );
      return run.finding(answer.findingId);
    },
    {
      validator: ({ findingId, answer, note, serviceNumber }) => {
        run.validate({ type: 'AnswerFinding', findingId, answer, note, serviceNumber });
        run.refuseLateAnswer(findingId);
      },
    },
  );
  setHandler(
    decideFindingUpdate,
    async ({ decidedBy, requestId, ...decision }) => {
      const at = new Date().toISOString();
      run.apply(
        await recordFindingDecision({
          inspectionId,
          at,
          recordedBy: decidedBy,
          causationId: requestId,
          ...decision,
        }),
      );
      return run.finding(decision.findingId);
    },
    {
      validator: ({ findingId, decision, note }) =>
        run.validate({ type: 'DecideFinding', findingId, decision, note }),
    },
  );
}

/**
 * A bureau's inspection of a party: the findings are listed from the party's inventory, the party
 * answers each by the due date (working days, end of the day China time); at the due date each
 * unanswered finding escalates to the bureau (an event: a deadline never decides), and the
 * inspection closes once every finding is settled: answered removed or registered since, or decided.
 */
export async function inspectionWorkflow(input: InspectionWorkflowInput): Promise<InspectionOutcome> {
  const run = new InspectionRun();
  const { inspectionId } = input;
  handleMessages(run, inspectionId);
  const openedAt = new Date().toISOString();
  const due = await inspectionDueDate({ from: openedAt, workingDays: input.answerWithinWorkingDays });
  run.apply(
    await openInspection({
      inspectionId,
      at: openedAt,
      recordedBy: input.openedBy,
      causationId: input.requestId,
      province: input.province,
      party: input.party,
      answerWithinWorkingDays: input.answerWithinWorkingDays,
      due,
      ...(input.note === undefined ? {} : { note: input.note }),
    }),
  );
  // The timer ends with the due day: the first instant after 23:59:59.999 China time.
  const untilOverdue = Math.max(1, Date.parse(run.dueAt) + 1 - Date.now());
  const answered = await condition(() => run.noneAwaitingAnswer || run.closed, untilOverdue);
  if (!answered) {
    run.apply(
      await escalateOverdueFindings({
        inspectionId,
        at: new Date().toISOString(),
        recordedBy: { role: 'system', id: 'inspection-workflow' },
        causationId: workflowInfo().workflowId,
      }),
    );
  }
  await condition(() => run.closed);
  await condition(allHandlersFinished);
  return run.outcome();
}
