import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  ApplicationFailure,
  type Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { canonicalJson } from '../../events/canonical-json';
import type { Actor } from '../../events/filing/actor';
import type { FilingStatusView } from '../../events/filing/filing-view';
import { filingStreamId } from '../../events/filing/stream-ids';
import { sha256Hex } from '../../events/ids';
import type { EventLog, RecordedEvent } from '../../events/ports/event-log.port';
import { type TemporalCallBounds, withinTemporalBounds } from '../temporal/temporal-bounds';
import { EVENT_LOG, IDEMPOTENCY_KEYS, TEMPORAL_CLIENT, TEMPORAL_TARGET, type TemporalTarget } from '../tokens';
import type { IdempotencyKeys } from './idempotency-keys.port';
import { FilingNotFound, ProblemException, problemType } from '../http/problem-details';
import { isWorkflowNotReadyForQuery } from '../http/temporal-problems';
import { decisionActionId } from '../http/request-keys';
import { type FilingWorkflowInput, statusQuery } from '../../workflows/filing/filing.definitions';
import type { filingWorkflow } from '../../workflows/filing/filing.workflow';

const SUBMISSION_WAIT_MS = 10_000;

/**
 * How long a read of a filing's live state (a workflow query) waits for Temporal before the caller
 * gets 503 with Retry-After. Without a bound the SDK retries an unreachable frontend ~20 s, and a
 * query to a workflow no worker polls waits as long as the frontend lets it. An unreachable Temporal
 * is reported within `reachMs`; a reachable one may take `answerMs` (a query of a closed filing
 * replays its whole history on a worker, which takes seconds on a loaded host). Writes keep the SDK's
 * retrying, which rides out a short blip unseen; a write answered 503 may be sent again safely with
 * the same Idempotency-Key (the update id), which records it once.
 */
export const LIVE_READ_BOUNDS: TemporalCallBounds = { reachMs: 3_000, answerMs: 10_000 };

/** Re-sends of a decision refused on a state the workflow has since left (see `decide`). */
const STALE_REFUSAL_RETRIES = 3;

/** Starts filings and reads their live state; every decision goes through the workflow's updates. */
@Injectable()
export class FilingsService {
  constructor(
    @Inject(TEMPORAL_TARGET) private readonly temporal: TemporalTarget,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(IDEMPOTENCY_KEYS) private readonly keys: IdempotencyKeys,
    @Inject(EVENT_LOG) private readonly eventLog: EventLog,
  ) {}

  /**
   * Same key and body → the same filing (started again if a crash left it unstarted); same key, other body → refused.
   * Answers once FilingSubmitted is in the log, so the caller can read its own write at once.
   */
  async submit(actor: Actor, idempotencyKey: string, form: unknown): Promise<FilingStatusView> {
    const claim = this.keys.claim({
      platformId: actor.platformId ?? '',
      key: idempotencyKey,
      bodyDigest: sha256Hex(canonicalJson(form)),
      filingId: randomUUID(),
      now: new Date(),
    });
    if (claim.outcome === 'conflict') {
      throw new ProblemException({
        type: problemType('idempotency-key-reused'),
        title: 'Idempotency-Key reused',
        status: 409,
        detail: 'this Idempotency-Key was already used for a different form',
      });
    }
    const input: FilingWorkflowInput = {
      filingId: claim.filingId,
      form,
      actor,
      actionId: idempotencyKey,
      correlationId: claim.filingId,
    };
    try {
      await this.client.workflow.start<typeof filingWorkflow>('filingWorkflow', {
        taskQueue: this.temporal.taskQueue,
        workflowId: filingStreamId(claim.filingId),
        args: [input],
        // A filing has one run. A retry that arrives after the filing closed must find it, not start
        // a second run of `filing-<id>` over the same stream (Temporal's default allows one).
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    return this.recorded(claim.filingId);
  }

  private async recorded(filingId: string): Promise<FilingStatusView> {
    const deadline = Date.now() + SUBMISSION_WAIT_MS;
    for (;;) {
      const view = await this.handle(filingId)
        .query(statusQuery)
        .catch((error: unknown) => {
          // Until a worker has run the filing's first task; past the deadline, 503 (send it again).
          if (isWorkflowNotReadyForQuery(error) && Date.now() <= deadline) return undefined;
          throw error;
        });
      if (view && (view.status !== 'not_submitted' || Date.now() > deadline)) return view;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The live state, or 404 when the filing does not exist or lies outside the caller's scope. */
  async status(actor: Actor, filingId: string): Promise<FilingStatusView> {
    const view = await this.liveState(filingId);
    if (!inScope(actor, view)) throw new FilingNotFound();
    return view;
  }

  /**
   * The filing's stream exactly as stored, for auditors: each event in the shape of its
   * metadata.schemaVersion, never upcast, since the hash chain they verify is over this form.
   */
  async events(filingId: string): Promise<RecordedEvent[]> {
    const events = await this.eventLog.readStream(filingStreamId(filingId));
    if (events.length === 0) throw new FilingNotFound();
    return events;
  }

  /**
   * A decision from the API. Its Idempotency-Key, when given, is its update id, and is first bound to
   * this decision by this actor on this filing: Temporal deduplicates updates by id alone, so a key
   * reused for another decision (or by another caller) would otherwise answer the first one's result.
   */
  async decideOnce<Args extends [{ actor: Actor }], Ret>(
    actor: Actor,
    filingId: string,
    update: UpdateDefinition<Ret, Args>,
    args: Args,
    keyHeader: string | undefined,
  ): Promise<Ret> {
    const actionId = decisionActionId(keyHeader);
    if (keyHeader?.trim()) {
      const claim = this.keys.claimDecision({
        filingId,
        key: actionId,
        bodyDigest: sha256Hex(canonicalJson({ decision: update.name, args })),
        now: new Date(),
      });
      if (claim === 'conflict') {
        await this.status(actor, filingId); // 404 to a caller who may not see the filing
        throw new ProblemException({
          type: problemType('idempotency-key-reused'),
          title: 'Idempotency-Key reused',
          status: 409,
          detail: 'this Idempotency-Key was already used for a different decision on this filing',
        });
      }
    }
    return this.decide(actor, filingId, update, args, actionId);
  }

  /**
   * Sends a decision as an update with the caller's action id. A closed filing no longer takes
   * updates: the caller learns it is closed (409) if it is theirs to see, else that it does not exist.
   */
  async decide<Args extends [{ actor: Actor }], Ret>(
    actor: Actor,
    filingId: string,
    update: UpdateDefinition<Ret, Args>,
    args: Args,
    actionId: string,
  ): Promise<Ret> {
    const handle = this.handle(filingId);
    for (let retry = 0; ; retry += 1) {
      try {
        return await handle.executeUpdate(update, { args, updateId: actionId });
      } catch (error) {
        if (retry < STALE_REFUSAL_RETRIES && (await this.refusedOnStaleState(filingId, error))) {
          await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** retry));
          continue;
        }
        throw await this.closedOrUnknown(actor, filingId, error);
      }
    }
  }

  /**
   * A wrong-stage refusal that a moment later no longer holds; nothing was written, so the same
   * decision (same update id) is sent again and decided on the state the filing is in by then. Either
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

  /** The workflow's status query, within LIVE_READ_BOUNDS. */
  private liveState(filingId: string): Promise<FilingStatusView> {
    return withinTemporalBounds(this.client, LIVE_READ_BOUNDS, () =>
      this.handle(filingId).query(statusQuery),
    );
  }

  handle(filingId: string) {
    return this.client.workflow.getHandle<typeof filingWorkflow>(filingStreamId(filingId));
  }
}

export function inScope(actor: Actor, view: Pick<FilingStatusView, 'platformId' | 'province'>): boolean {
  switch (actor.role) {
    case 'platform':
      return view.platformId !== undefined && view.platformId === actor.platformId;
    case 'bureau':
      return view.province !== undefined && view.province === actor.province;
    case 'auditor':
    case 'admin':
      return true;
    case 'applicant':
    case 'system':
      return false;
    default: {
      const unreachable: never = actor.role;
      return unreachable;
    }
  }
}
