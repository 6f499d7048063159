import { type Client, isGrpcServiceError } from '@temporalio/client';
import {
  arrayFromPayloads,
  defaultPayloadConverter,
  type LoadedDataConverter,
  type Payload,
} from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { foldFiling } from '../../events/filing/evolve';
import type { StoredFilingEnvelope } from '../../events/filing/filing-events';
import type { FilingStatus } from '../../events/filing/filing-state';
import type { FilingStatusView } from '../../events/filing/filing-view';
import { filingStreamId } from '../../events/filing/stream-ids';
import { upcastFilingEnvelope } from '../../events/filing/upcast';
import type { RecordedEvent } from '../../events/ports/event-log.port';
import { type FilingOutcome, statusQuery } from '../../workflows/filing/filing.definitions';
import type { AuditFinding, TemporalCrossCheck } from './audit-report';

type History = temporal.api.history.v1.IHistory;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The activity that appends a filing's sealed envelopes to its stream (activities/filing). */
export const APPEND_ACTIVITY = 'appendFilingEvents';
export const DEFAULT_TEMPORAL_TIMEOUT_MS = 5_000;

// gRPC status codes (@grpc/grpc-js is not a runtime dependency).
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_NOT_FOUND = 5;
const GRPC_UNAVAILABLE = 14;

export interface CrossCheckOptions {
  /** Give up after this long, all calls together (default 5 s): the check is then `checked: false`. */
  timeoutMs?: number;
  /** The status the log folds to (the report's `status`); folded here from `recorded` when not given. */
  status?: FilingStatus;
}

export interface CrossCheckResult {
  check: TemporalCrossCheck;
  findings: AuditFinding[];
}

/** What one append activity asked the log to hold at a seq. */
export interface AppendedEnvelope {
  id: string;
  seq: number;
  hash: string;
}

export interface AppendActivity {
  scheduledEventId: string;
  /** `completed`: its ActivityTaskCompleted is in the history; `pending`: no outcome yet; else it failed. */
  outcome: 'completed' | 'pending' | 'failed';
  envelopes: AppendedEnvelope[];
}

/** Payloads written by code without a data converter of its own (plain JSON), e.g. recorded fixtures. */
export const PLAIN_PAYLOADS: Pick<LoadedDataConverter, 'payloadConverter' | 'payloadCodecs'> = {
  payloadConverter: defaultPayloadConverter,
  payloadCodecs: [],
};

/**
 * The values of payloads as Temporal stored them: through the converter's codecs (the system's
 * AES-GCM payload encryption), last codec first as the SDK does, then its payload converter.
 */
export async function decodePayloads(
  converter: Pick<LoadedDataConverter, 'payloadConverter' | 'payloadCodecs'>,
  payloads: readonly Payload[] | null | undefined,
): Promise<unknown[]> {
  let decoded = payloads ? [...payloads] : [];
  for (const codec of [...converter.payloadCodecs].reverse()) decoded = await codec.decode(decoded);
  return arrayFromPayloads(converter.payloadConverter, decoded);
}

class UndecodablePayload extends Error {
  override readonly name = 'UndecodablePayload';
}

const idOf = (value: { toString(): string } | number | null | undefined): string => String(value ?? '');

/**
 * Every appendFilingEvents the history scheduled, with its outcome and the envelopes it carried,
 * decoded with `converter` (the client's: the same codecs the worker encoded with).
 */
export async function appendActivities(
  history: History,
  converter: Pick<LoadedDataConverter, 'payloadConverter' | 'payloadCodecs'> = PLAIN_PAYLOADS,
): Promise<AppendActivity[]> {
  const outcomes = new Map<string, AppendActivity['outcome']>();
  for (const event of history.events ?? []) {
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed) outcomes.set(idOf(completed.scheduledEventId), 'completed');
    const failed =
      event.activityTaskFailedEventAttributes ??
      event.activityTaskTimedOutEventAttributes ??
      event.activityTaskCanceledEventAttributes;
    if (failed) outcomes.set(idOf(failed.scheduledEventId), 'failed');
  }
  const appends: AppendActivity[] = [];
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name !== APPEND_ACTIVITY) continue;
    const scheduledEventId = idOf(event.eventId);
    const [input] = await decodePayloads(converter, scheduled.input?.payloads).catch((error: unknown) => {
      throw new UndecodablePayload(error instanceof Error ? error.name : 'payload', { cause: error });
    });
    appends.push({
      scheduledEventId,
      outcome: outcomes.get(scheduledEventId) ?? 'pending',
      envelopes: envelopesOf(input),
    });
  }
  return appends;
}

/** The id, seq and hash of each envelope in an append's input; anything unreadable is left out. */
function envelopesOf(input: unknown): AppendedEnvelope[] {
  const events = (input as { events?: unknown } | undefined)?.events;
  if (!Array.isArray(events)) return [];
  return events.flatMap((event: unknown) => {
    const envelope = event as Partial<StoredFilingEnvelope> | null;
    const metadata = envelope?.metadata as Partial<StoredFilingEnvelope['metadata']> | undefined;
    if (
      typeof envelope?.id !== 'string' ||
      typeof metadata?.seq !== 'number' ||
      typeof metadata.hash !== 'string'
    ) {
      return [];
    }
    return [{ id: envelope.id, seq: metadata.seq, hash: metadata.hash }];
  });
}

/** The SDK's execution status name for a history: the close event's, else RUNNING. */
export function executionStatusOf(history: History): string {
  const last: HistoryEvent | undefined = history.events?.at(-1);
  if (last?.workflowExecutionCompletedEventAttributes) return 'COMPLETED';
  if (last?.workflowExecutionFailedEventAttributes) return 'FAILED';
  if (last?.workflowExecutionCanceledEventAttributes) return 'CANCELLED';
  if (last?.workflowExecutionTerminatedEventAttributes) return 'TERMINATED';
  if (last?.workflowExecutionTimedOutEventAttributes) return 'TIMED_OUT';
  if (last?.workflowExecutionContinuedAsNewEventAttributes) return 'CONTINUED_AS_NEW';
  return 'RUNNING';
}

/** The log's events that no completed append carried with the same id and hash at that seq. */
export function unrecordedAppends(
  recorded: readonly RecordedEvent[],
  appends: readonly AppendActivity[],
  running: boolean,
): AuditFinding[] {
  const key = (e: AppendedEnvelope) => `${e.seq}|${e.id}|${e.hash}`;
  const completed = new Set(
    appends.filter((a) => a.outcome === 'completed').flatMap((a) => a.envelopes.map(key)),
  );
  // An append the activity has made but Temporal has not yet recorded as completed: in flight, not forged.
  const inFlight = new Set(
    running ? appends.filter((a) => a.outcome === 'pending').flatMap((a) => a.envelopes.map(key)) : [],
  );
  const askedAt = new Set(appends.flatMap((a) => a.envelopes.map((e) => e.seq)));
  return recorded.flatMap((event): AuditFinding[] => {
    const seq = event.revision;
    const hash = (event.metadata as { hash?: unknown } | null)?.hash;
    const here = key({ seq, id: event.id, hash: typeof hash === 'string' ? hash : '' });
    if (completed.has(here) || inFlight.has(here)) return [];
    return [
      {
        seq,
        rule: 'temporal_unrecorded_append',
        message: askedAt.has(seq)
          ? `${event.type} at seq ${seq} differs (id or hash) from what the workflow’s ${APPEND_ACTIVITY} appended at this seq`
          : `${event.type} at seq ${seq} was appended by no completed ${APPEND_ACTIVITY} of the workflow`,
      },
    ];
  });
}

class TemporalTimeout extends Error {
  override readonly name = 'TemporalTimeout';
}

/**
 * Runs `fn` under a gRPC deadline (Connection.withDeadline: every RPC in `fn` carries it) and a
 * timer. The timer is needed too: the connection's retry interceptor waits between attempts with
 * setTimeout (up to 5 s, ±20% jitter) and only meets the deadline when its next attempt starts.
 */
async function beforeDeadline<T>(client: Client, deadline: number, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TemporalTimeout()), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([client.withDeadline(deadline, fn), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Why Temporal could not be asked, in words fit for a report (no addresses, no raw messages). */
function reasonOf(error: unknown, timeoutMs: number): string {
  if (error instanceof TemporalTimeout) return `Temporal did not answer within ${timeoutMs} ms`;
  if (error instanceof UndecodablePayload) {
    return 'the workflow’s activity inputs could not be decoded (is every payload key configured?)';
  }
  if (isGrpcServiceError(error)) {
    if (error.code === GRPC_DEADLINE_EXCEEDED) return `Temporal did not answer within ${timeoutMs} ms`;
    if (error.code === GRPC_UNAVAILABLE) return 'Temporal is unavailable';
    if (error.code === GRPC_NOT_FOUND) {
      return 'the workflow is not in Temporal (never started there, or removed after its retention period)';
    }
    return `Temporal refused to give the workflow’s history (gRPC status ${error.code})`;
  }
  return 'the workflow’s history could not be read from Temporal';
}

function foldedStatus(recorded: readonly RecordedEvent[]): FilingStatus | undefined {
  try {
    const envelopes = recorded.map((e) =>
      upcastFilingEnvelope({
        id: e.id,
        type: e.type,
        data: e.data,
        metadata: e.metadata,
      } as unknown as StoredFilingEnvelope),
    );
    return foldFiling(envelopes).status;
  } catch {
    return undefined;
  }
}

/**
 * Compares a filing's event log with its workflow's own history in Temporal: every event in the log
 * must have been carried (same id and hash at that seq) by an appendFilingEvents activity that
 * completed, and the workflow's status (its status query while running, its result once completed)
 * must be the one the log folds to. Gives up after `timeoutMs` with `checked: false` and the reason.
 */
export async function crossCheckWithTemporal(
  client: Client,
  filingId: string,
  recorded: readonly RecordedEvent[],
  options: CrossCheckOptions = {},
): Promise<CrossCheckResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TEMPORAL_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const handle = client.workflow.getHandle(filingStreamId(filingId));

  let history: History;
  let appends: AppendActivity[];
  try {
    history = await beforeDeadline(client, deadline, () => handle.fetchHistory());
    appends = await appendActivities(history, client.options.loadedDataConverter);
  } catch (error) {
    return { check: { checked: false, reason: reasonOf(error, timeoutMs) }, findings: [] };
  }

  const workflowExecution = executionStatusOf(history);
  const running = workflowExecution === 'RUNNING';
  const findings = unrecordedAppends(recorded, appends, running);
  const check: TemporalCrossCheck = {
    checked: true,
    workflowExecution,
    appendsCompared: appends.filter((a) => a.outcome === 'completed').length,
  };

  const logStatus = options.status ?? foldedStatus(recorded);
  const lastSeq = recorded.at(-1)?.revision ?? -1;
  const said = running
    ? await beforeDeadline(client, deadline, () => handle.query(statusQuery)).then(
        (view: FilingStatusView) => ({ status: view.status, revision: view.revision }),
        (error: unknown) => {
          check.reason = `the status query was not answered (${reasonOf(error, timeoutMs)}); is a worker running?`;
          return undefined;
        },
      )
    : await resultOf(history, client.options.loadedDataConverter);
  if (said) {
    check.workflowStatus = said.status;
    const mismatch = statusMismatch(said, logStatus, lastSeq, running);
    if (mismatch) findings.push(mismatch);
  }
  return { check, findings };
}

/** The status and revision a completed run returned (FilingOutcome), if its result carries them. */
async function resultOf(
  history: History,
  converter: LoadedDataConverter,
): Promise<{ status: string; revision?: number } | undefined> {
  const completed = history.events?.at(-1)?.workflowExecutionCompletedEventAttributes;
  if (!completed) return undefined;
  try {
    const [result] = await decodePayloads(converter, completed.result?.payloads);
    const outcome = result as Partial<FilingOutcome> | undefined;
    if (typeof outcome?.status !== 'string') return undefined;
    return {
      status: outcome.status,
      revision: typeof outcome.revision === 'number' ? outcome.revision : undefined,
    };
  } catch {
    return undefined;
  }
}

/**
 * A running workflow may have moved on since the log was read: only a workflow at the log's last
 * seq, or behind it, is compared. A closed one cannot move, so any difference counts.
 */
function statusMismatch(
  said: { status: string; revision?: number },
  logStatus: FilingStatus | undefined,
  lastSeq: number,
  running: boolean,
): AuditFinding | undefined {
  const where = said.revision === undefined ? '' : ` at revision ${said.revision}`;
  const logEnd = `the log ends at seq ${lastSeq}${logStatus ? ` in status ${logStatus}` : ''}`;
  const behind = said.revision !== undefined && said.revision < lastSeq;
  if (running && said.revision !== undefined && said.revision > lastSeq) return undefined;
  const differs =
    (logStatus !== undefined && said.status !== logStatus) ||
    behind ||
    (!running && said.revision !== undefined && said.revision !== lastSeq);
  if (!differs) return undefined;
  return {
    seq: -1,
    rule: 'temporal_status_mismatch',
    message: running
      ? `the running workflow says ${said.status}${where}; ${logEnd}`
      : `the workflow completed with status ${said.status}${where}; ${logEnd}`,
  };
}
