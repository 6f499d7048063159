import { Inject, Injectable } from '@nestjs/common';
import {
  ApplicationFailure,
  type Client,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Actor } from '../../events/filing/actor';
import type { FilingStatusView } from '../../events/filing/filing-view';
import { filingStreamId } from '../../events/filing/stream-ids';
import { FilingNotFound, ProblemException, problemType } from '../http/problem-details';
import { isTemporalUnavailable } from '../http/temporal-problems';
import { type TemporalCallBounds, withinTemporalBounds } from '../temporal/temporal-bounds';
import { TEMPORAL_CLIENT, TEMPORAL_TARGET, type TemporalTarget } from '../tokens';
import {
  type FilingWorkflowInput,
  statusQuery,
  submittedUpdate,
} from '../../workflows/filing/filing.definitions';
import type { filingWorkflow } from '../../workflows/filing/filing.workflow';
import { inScope } from './filing-scope';

/** How long a submission waits for FilingSubmitted to be recorded before it answers with the state as it is. */
const SUBMISSION_WAIT_MS = 10_000;

/**
 * How long a read of a filing's live state (a workflow query) waits for Temporal before the caller
 * gets 503 with Retry-After. Without a bound the SDK retries an unreachable frontend ~20 s, and a
 * query to a workflow no worker polls waits as long as the frontend lets it. An unreachable Temporal
 * is reported within `reachMs`; a reachable one may take `answerMs` (a query of a closed filing
 * replays its whole history on a worker, which takes seconds on a loaded host). Writes keep the SDK's
 * retrying (a submission until its wait is over), which rides out a short blip unseen; a write
 * answered 503 may be sent again safely with the same Idempotency-Key, which records it once.
 */
export const LIVE_READ_BOUNDS: TemporalCallBounds = { reachMs: 3_000, answerMs: 10_000 };

/** Re-sends of a call refused on a state the workflow has since left (see `refusedOnStaleState`). */
const STALE_REFUSAL_RETRIES = 3;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The API's one door to the filing workflows: starts them, reads their live state, sends decisions
 * as updates, sends again what a workflow refused only for a moment, and says what a failed call
 * means to the caller.
 */
@Injectable()
export class FilingGateway {
  constructor(
    @Inject(TEMPORAL_TARGET) private readonly temporal: TemporalTarget,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
  ) {}

  /**
   * Starts the filing's workflow, or finds it, and answers once FilingSubmitted is recorded: one
   * update-with-start, whose update completes when the event is in the log, within
   * SUBMISSION_WAIT_MS. A filing whose run has closed is not started again; it answers with its state.
   */
  submit(input: FilingWorkflowInput): Promise<FilingStatusView> {
    const deadline = Date.now() + SUBMISSION_WAIT_MS;
    return this.sendingAgainWhileStale(input.filingId, async () => {
      const start = new WithStartWorkflowOperation<typeof filingWorkflow>('filingWorkflow', {
        taskQueue: this.temporal.taskQueue,
        workflowId: filingStreamId(input.filingId),
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        // A filing has one run. A retry that arrives after the filing closed must find it, not start
        // a second run of `filing-<id>` over the same stream (Temporal's default allows one).
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      try {
        return await this.client.withDeadline(deadline, () =>
          this.client.workflow.executeUpdateWithStart(submittedUpdate, { startWorkflowOperation: start }),
        );
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) return this.liveState(input.filingId);
        if (isTemporalUnavailable(error)) return this.stateAfterWaiting(input.filingId, error);
        throw error;
      }
    });
  }

  /**
   * When the submission's wait is over, or Temporal cannot take its update now (the workflow task is
   * failing): the state as it stands (maybe not submitted yet; the same request sent again answers
   * once it is), 503 while no worker has run the filing, or the call's own error when Temporal holds
   * no run of it.
   */
  private async stateAfterWaiting(filingId: string, error: unknown): Promise<FilingStatusView> {
    try {
      return await this.liveState(filingId);
    } catch (readError) {
      throw readError instanceof WorkflowNotFoundError ? error : readError;
    }
  }

  /** The live state of a filing whose workflow was started; undefined when Temporal holds no run of it. */
  async stateIfStarted(filingId: string): Promise<FilingStatusView | undefined> {
    try {
      return await this.liveState(filingId);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  }

  /** The workflow's status query, within LIVE_READ_BOUNDS. */
  liveState(filingId: string): Promise<FilingStatusView> {
    return withinTemporalBounds(this.client, LIVE_READ_BOUNDS, () =>
      this.handle(filingId).query(statusQuery),
    );
  }

  /**
   * Sends a decision as an update with the caller's action id. A closed filing no longer takes
   * updates: the caller learns it is closed (409) if it is theirs to see, else that it does not exist.
   */
  async update<Args extends [{ actor: Actor }], Ret>(
    actor: Actor,
    filingId: string,
    update: UpdateDefinition<Ret, Args>,
    args: Args,
    updateId: string,
  ): Promise<Ret> {
    try {
      return await this.sendingAgainWhileStale(filingId, () =>
        this.handle(filingId).executeUpdate(update, { args, updateId }),
      );
    } catch (error) {
      throw await this.closedOrUnknown(actor, filingId, error);
    }
  }

  /** `send`, sent again (after 200, 400 and 800 ms) while the workflow refuses it on a stale state. */
  private async sendingAgainWhileStale<T>(filingId: string, send: () => Promise<T>): Promise<T> {
    for (let retry = 0; ; retry += 1) {
      try {
        return await send();
      } catch (error) {
        if (retry >= STALE_REFUSAL_RETRIES || !(await this.refusedOnStaleState(filingId, error))) throw error;
        await pause(200 * 2 ** retry);
      }
    }
  }

  /**
   * A wrong-stage refusal that a moment later no longer holds; nothing was written, so the same
   * update (same update id) is sent again and decided on the state the filing is in by then. Either
   * the workflow said it was `settling` (a result of its own came back in the same workflow task, see
   * the workflow's validator), or the refusal was decided on a state the filing has since left: after
   * a worker crash, the live state the caller was shown can come from a workflow task that was never
   * recorded, and the run that takes over validates the decision before applying the results its first
   * task carries.
   */
  private async refusedOnStaleState(filingId: string, error: unknown): Promise<boolean> {
    if (!(error instanceof WorkflowUpdateFailedError)) return false;
    const failure = error.cause;
    if (!(failure instanceof ApplicationFailure) || failure.type !== 'wrong_stage') return false;
    const details = failure.details?.[0] as { status?: unknown; settling?: unknown } | undefined;
    if (details?.settling === true) return true;
    const view = await this.handle(filingId)
      .query(statusQuery)
      .catch(() => undefined);
    return typeof details?.status === 'string' && view !== undefined && view.status !== details.status;
  }

  /** What the caller learns of an update that failed: a closed filing is 409 if theirs to see, else 404. */
  private async closedOrUnknown(actor: Actor, filingId: string, error: unknown): Promise<unknown> {
    if (!(error instanceof WorkflowNotFoundError)) return error;
    const view = await this.handle(filingId)
      .query(statusQuery)
      .catch(() => undefined);
    if (!view || !inScope(actor, view)) return new FilingNotFound();
    return new ProblemException({
      type: problemType('wrong-stage'),
      title: 'Decision does not fit the current stage',
      status: 409,
      detail: `the filing is closed (${view.status}); it takes no more decisions`,
      stage: view.stage,
      filingStatus: view.status,
    });
  }

  private handle(filingId: string) {
    return this.client.workflow.getHandle<typeof filingWorkflow>(filingStreamId(filingId));
  }
}
