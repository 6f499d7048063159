import { Inject, Injectable } from '@nestjs/common';
import {
  type Client,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowUpdateFailedError,
  ApplicationFailure,
} from '@temporalio/client';
import {
  type ComplianceParty,
  partyKey,
  partyOfActor,
  sameParty,
} from '../../events/compliance/compliance-party';
import { INSPECTION_STREAM_PREFIX, inspectionStreamId } from '../../events/compliance/compliance-streams';
import {
  type InspectionErrorCode,
  isInspectionErrorCode,
} from '../../events/compliance/inspection/inspection-errors';
import {
  registeredSince,
  verificationRequestOf,
} from '../../events/compliance/inspection/inspection-findings';
import {
  type FindingState,
  foldInspection,
  type InspectionState,
  type ListedInspectionState,
} from '../../events/compliance/inspection/inspection-state';
import {
  type FindingView,
  findingView,
  type InspectionView,
  inspectionView,
} from '../../events/compliance/inspection/inspection-view';
import type { Actor } from '../../events/filing/actor';
import { uuidv5 } from '../../events/ids';
import type { ComplianceInventories } from '../../events/ports/compliance-store.port';
import type { EventLog, RecordedEvent } from '../../events/ports/event-log.port';
import type { ReadModelQueries } from '../../events/ports/read-models.port';
import { identifierKeyOf } from '../../events/registry/verification';
import { ProblemException, problemType } from '../http/problem-details';
import { isTemporalUnavailable, workflowEngineUnavailableProblem } from '../http/temporal-problems';
import {
  COMPLIANCE_STORE,
  EVENT_LOG,
  READ_MODELS,
  TEMPORAL_CLIENT,
  TEMPORAL_TARGET,
  type TemporalTarget,
} from '../tokens';
import {
  answerFindingUpdate,
  decideFindingUpdate,
  type InspectionWorkflowInput,
  inspectionWorkflowId,
  openedUpdate,
} from '../../workflows/compliance/inspection.definitions';
import type { inspectionWorkflow } from '../../workflows/compliance/inspection.workflow';
import type { FindingAnswerRequest, OpenInspectionRequest } from './inspection.requests';

/** How long opening waits for the findings to be listed (up to 100,000 lines re-checked) before 503. */
const OPEN_WAIT_MS = 60_000;
/** How long an answer or a decision waits for its append. */
const UPDATE_WAIT_MS = 15_000;

/** One inspection per bureau province, party and Idempotency-Key. */
export function inspectionIdOf(province: string, party: ComplianceParty, key: string): string {
  return uuidv5(`inspection:${province}:${partyKey(party)}:${key}`);
}

const notFound = (what: string) =>
  new ProblemException({
    type: problemType('inspection-not-found'),
    title: 'Not Found',
    status: 404,
    detail: `no such ${what} in the caller's scope`,
  });

function refusal(status: 409 | 422, code: string, path: string, detail: string): ProblemException {
  return new ProblemException({
    type: problemType(code.replaceAll('_', '-')),
    title: status === 409 ? 'Conflict' : 'Unprocessable Content',
    status,
    detail,
    errors: [{ path, rule: code, message: detail }],
  });
}

/** A refusal the workflow's validator (or the domain, in a race) gave, as the API's answer. */
function problemOfRefusal(code: InspectionErrorCode, message: string): ProblemException {
  if (code === 'inspection_not_found') return notFound('inspection');
  if (code === 'finding_not_found') return notFound('finding');
  return refusal(409, code, 'findingId', message);
}

function translated(error: unknown): unknown {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const { type, message } = error.cause;
    if (isInspectionErrorCode(type)) return problemOfRefusal(type, message);
  }
  if (isTemporalUnavailable(error)) return new ProblemException(workflowEngineUnavailableProblem());
  return error;
}

/**
 * Bureaus' inspections of parties' inventories. Views are folds of the inspection streams; what can
 * be refused at submission is refused here (nothing started, nothing written); the workflow's
 * validators and the domain decide again on the state as it then is.
 */
@Injectable()
export class InspectionService {
  constructor(
    @Inject(EVENT_LOG) private readonly eventLog: EventLog,
    @Inject(TEMPORAL_TARGET) private readonly temporal: TemporalTarget,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(READ_MODELS) private readonly readModels: Pick<ReadModelQueries, 'servicesByIdentifiers'>,
    @Inject(COMPLIANCE_STORE) private readonly inventories: ComplianceInventories,
  ) {}

  async open(
    actor: Actor,
    key: string,
    requestId: string,
    request: OpenInspectionRequest,
  ): Promise<InspectionView> {
    const province = bureauProvinceOf(actor);
    if ((await this.inventories.latestReport(request.party)) === undefined)
      throw refusal(422, 'no_inventory', 'party', 'the party has never reported an inventory');
    const input: InspectionWorkflowInput = {
      inspectionId: inspectionIdOf(province, request.party, key),
      province,
      party: request.party,
      answerWithinWorkingDays: request.answerWithinWorkingDays,
      ...(request.note === undefined ? {} : { note: request.note }),
      openedBy: { role: 'bureau', id: actor.id },
      requestId,
    };
    const start = new WithStartWorkflowOperation<typeof inspectionWorkflow>('inspectionWorkflow', {
      taskQueue: this.temporal.taskQueue,
      workflowId: inspectionWorkflowId(input.inspectionId),
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      // A retry after the inspection closed finds it instead of opening it again.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    try {
      return await this.client.withDeadline(Date.now() + OPEN_WAIT_MS, () =>
        this.client.workflow.executeUpdateWithStart(openedUpdate, { startWorkflowOperation: start }),
      );
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw translated(error);
      const view = inspectionView(await this.state(input.inspectionId));
      if (!view) throw translated(error);
      return view;
    }
  }

  async list(
    actor: Actor,
    filter: { status?: InspectionView['status']; party?: ComplianceParty },
  ): Promise<{ items: InspectionView[] }> {
    const byStream = new Map<string, RecordedEvent[]>();
    for (const event of await this.eventLog.readAll({ streamPrefix: INSPECTION_STREAM_PREFIX })) {
      byStream.set(event.streamId, [...(byStream.get(event.streamId) ?? []), event]);
    }
    const items = [...byStream.values()]
      .map((events) => foldInspection(events))
      .filter((state) => inScope(actor, state))
      .map((state) => inspectionView(state) as InspectionView)
      .filter((view) => filter.status === undefined || view.status === filter.status)
      .filter((view) => filter.party === undefined || sameParty(view.party, filter.party))
      .sort((a, b) => b.openedOn.localeCompare(a.openedOn) || a.inspectionId.localeCompare(b.inspectionId));
    return { items };
  }

  async get(actor: Actor, inspectionId: string): Promise<InspectionView> {
    return inspectionView(await this.scopedState(actor, inspectionId)) as InspectionView;
  }

  async answer(
    actor: Actor,
    inspectionId: string,
    findingId: string,
    requestId: string,
    request: FindingAnswerRequest,
  ): Promise<FindingView> {
    const party = partyOfActor(actor);
    if (!party) throw new Error('an answer needs a party actor (see @Roles)');
    const finding = findingOf(await this.scopedState(actor, inspectionId), findingId);
    // The same answer again is answered from the stream: the workflow may have closed since.
    if (finding.answer !== undefined && sameAnswer(finding.answer, request)) return findingView(finding);
    if (finding.state === 'escalated' || (finding.state === 'decided' && finding.answer === undefined))
      throw refusal(409, 'finding_escalated', 'findingId', 'the finding went to the bureau at its due date');
    if (finding.state !== 'open')
      throw refusal(409, 'finding_already_answered', 'findingId', 'the finding is already answered');
    if (request.answer === 'registered_since')
      await this.assertRegisteredSince(finding, request.serviceNumber ?? '');
    return this.send(() =>
      this.client.workflow.getHandle(inspectionWorkflowId(inspectionId)).executeUpdate(answerFindingUpdate, {
        args: [{ findingId, ...request, answeredBy: { role: party.role, id: actor.id }, requestId }],
      }),
    );
  }

  async decide(
    actor: Actor,
    inspectionId: string,
    findingId: string,
    requestId: string,
    request: { decision: 'upheld' | 'dismissed'; note: string },
  ): Promise<FindingView> {
    const finding = findingOf(await this.scopedState(actor, inspectionId), findingId);
    if (finding.decision !== undefined) {
      const { decision, note } = finding.decision;
      if (decision === request.decision && note === request.note) return findingView(finding);
      throw refusal(409, 'finding_already_decided', 'findingId', 'the finding is already decided');
    }
    const disputed = finding.state === 'answered' && finding.answer?.answer === 'disputed';
    if (finding.state !== 'escalated' && !disputed)
      throw refusal(
        409,
        'finding_not_decidable',
        'findingId',
        'only an escalated or disputed finding is decided',
      );
    return this.send(() =>
      this.client.workflow.getHandle(inspectionWorkflowId(inspectionId)).executeUpdate(decideFindingUpdate, {
        args: [{ findingId, ...request, decidedBy: { role: 'bureau', id: actor.id }, requestId }],
      }),
    );
  }

  private async send(update: () => Promise<FindingView>): Promise<FindingView> {
    try {
      return await this.client.withDeadline(Date.now() + UPDATE_WAIT_MS, update);
    } catch (error) {
      throw translated(error);
    }
  }

  /** `registered_since` names a registered service carrying the finding's identifier now. */
  private async assertRegisteredSince(finding: FindingState, serviceNumber: string): Promise<void> {
    const request = verificationRequestOf(finding);
    const rows = (await this.readModels.servicesByIdentifiers([identifierKeyOf(request)])).map(
      (m) => m.service,
    );
    if (!registeredSince(finding, serviceNumber, rows, new Date().toISOString()))
      throw refusal(
        422,
        'not_registered_for_identifier',
        'serviceNumber',
        'serviceNumber is not a registered service carrying this identifier',
      );
  }

  private async state(inspectionId: string): Promise<InspectionState> {
    return foldInspection(await this.eventLog.readStream(inspectionStreamId(inspectionId)));
  }

  /** The inspection if the caller may see it; 404 alike for one that does not exist and one out of scope. */
  private async scopedState(actor: Actor, inspectionId: string): Promise<ListedInspectionState> {
    const state = await this.state(inspectionId);
    if (state.status === 'none' || state.status === 'listing' || !inScope(actor, state))
      throw notFound('inspection');
    return state;
  }
}

function sameAnswer(given: NonNullable<FindingState['answer']>, request: FindingAnswerRequest): boolean {
  return (
    given.answer === request.answer &&
    given.note === request.note &&
    given.serviceNumber === request.serviceNumber
  );
}

function findingOf(state: ListedInspectionState, findingId: string): FindingState {
  const finding = state.findings.find((candidate) => candidate.findingId === findingId);
  if (!finding) throw notFound('finding');
  return finding;
}

/** A bureau sees its province's inspections, a party those of itself, auditors and admins all. */
function inScope(actor: Actor, state: InspectionState): boolean {
  if (state.status === 'none') return false;
  if (actor.role === 'auditor' || actor.role === 'admin') return true;
  if (actor.role === 'bureau') return actor.province === state.province;
  const party = partyOfActor(actor);
  return party !== undefined && sameParty(party, state.party);
}

function bureauProvinceOf(actor: Actor): string {
  if (actor.role !== 'bureau' || actor.province === undefined)
    throw new Error('opening an inspection needs a bureau actor with its province (see @Roles)');
  return actor.province;
}
