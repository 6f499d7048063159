import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { canonicalJson } from '../../events/canonical-json';
import type { Actor } from '../../events/filing/actor';
import type { FilingStatusView } from '../../events/filing/filing-view';
import { filingStreamId } from '../../events/filing/stream-ids';
import { sha256Hex } from '../../events/ids';
import type { IcpConfig } from '../../infra/config/config';
import type { EventLog, RecordedEvent } from '../../infra/event-log/event-log.port';
import type { SubmissionKeys } from '../../infra/idempotency/submission-keys';
import { CONFIG, EVENT_LOG, SUBMISSION_KEYS, TEMPORAL_CLIENT } from '../../infra/tokens';
import { FilingNotFound, ProblemException, problemType } from '../http/problem-details';
import { type FilingWorkflowInput, statusQuery } from '../../workflows/filing/filing.definitions';
import type { filingWorkflow } from '../../workflows/filing/filing.workflow';

const SUBMISSION_WAIT_MS = 10_000;

/** Starts filings and reads their live state; every decision goes through the workflow's updates. */
@Injectable()
export class FilingsService {
  constructor(
    @Inject(CONFIG) private readonly config: IcpConfig,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(SUBMISSION_KEYS) private readonly keys: SubmissionKeys,
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
        taskQueue: this.config.temporal.taskQueue,
        workflowId: filingStreamId(claim.filingId),
        args: [input],
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    return this.recorded(claim.filingId);
  }

  private async recorded(filingId: string): Promise<FilingStatusView> {
    const deadline = Date.now() + SUBMISSION_WAIT_MS;
    for (;;) {
      const view = await this.handle(filingId).query(statusQuery);
      if (view.status !== 'not_submitted' || Date.now() > deadline) return view;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The live state, or 404 when the filing does not exist or lies outside the caller's scope. */
  async status(actor: Actor, filingId: string): Promise<FilingStatusView> {
    const view = await this.handle(filingId).query(statusQuery);
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
    try {
      return await handle.executeUpdate(update, { args, updateId: actionId });
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
      const view = await handle.query(statusQuery).catch(() => undefined);
      if (!view || !inScope(actor, view)) throw new FilingNotFound();
      throw new ProblemException({
        type: problemType('wrong-stage'),
        title: 'Decision does not fit the current stage',
        status: 409,
        detail: `the filing is closed (${view.status}); it takes no more decisions`,
        stage: view.stage,
        filingStatus: view.status,
      });
    }
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
