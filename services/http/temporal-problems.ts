import {
  ApplicationFailure,
  isGrpcServiceError,
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { google, temporal } from '@temporalio/proto';
import { TemporalDeadlineExceeded } from '../temporal/temporal-bounds';
import {
  type FilingErrorDetails,
  filingNotFoundProblem,
  isFilingErrorCode,
  type ProblemDetails,
  problemFromFilingRefusal,
  problemType,
} from './problem-details';

// gRPC status codes after which the same call may succeed later (@grpc/grpc-js is not a direct dependency).
const GRPC_CANCELLED = 1;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_RESOURCE_EXHAUSTED = 8;
const GRPC_FAILED_PRECONDITION = 9;
const GRPC_UNAVAILABLE = 14;
// CANCELLED: a query the server gave up on when the worker holding it died.
const TRANSIENT_GRPC_CODES: readonly number[] = [
  GRPC_CANCELLED,
  GRPC_DEADLINE_EXCEEDED,
  GRPC_RESOURCE_EXHAUSTED,
  GRPC_UNAVAILABLE,
];

/**
 * The problem for a refused workflow update whose failure carries a domain error code as its `type`
 * and the domain error's details as `details[0]`; undefined for any other update failure.
 */
export function problemFromUpdateFailure(error: WorkflowUpdateFailedError): ProblemDetails | undefined {
  const failure = error.cause;
  if (!(failure instanceof ApplicationFailure) || !isFilingErrorCode(failure.type)) return undefined;
  return problemFromFilingRefusal(failure.type, failure.message, readDetails(failure.details?.[0]));
}

/** Problems for errors the Temporal client throws; undefined when the error is not one of them. */
export function problemFromTemporalError(error: unknown): ProblemDetails | undefined {
  if (error instanceof WorkflowUpdateFailedError) return problemFromUpdateFailure(error);
  if (error instanceof WorkflowNotFoundError) return filingNotFoundProblem();
  if (isTemporalUnavailable(error)) return workflowEngineUnavailableProblem();
  return undefined;
}

/**
 * Seconds a client should wait before asking again (sent as `Retry-After` with every 503): about the
 * longest the API's connection waits between two attempts to reach Temporal again.
 */
export const WORKFLOW_ENGINE_RETRY_AFTER_SECONDS = 5;

export function workflowEngineUnavailableProblem(): ProblemDetails {
  return {
    type: problemType('workflow-engine-unavailable'),
    title: 'Service Unavailable',
    status: 503,
    detail: 'the workflow engine is unavailable, retry later',
  };
}

/** Temporal could not be reached or did not answer in time; the same request may succeed later. */
export function isTemporalUnavailable(error: unknown): boolean {
  return causeChain(error).some(
    (cause) =>
      cause instanceof WorkflowUpdateRPCTimeoutOrCancelledError ||
      cause instanceof TemporalDeadlineExceeded ||
      (isGrpcServiceError(cause) && TRANSIENT_GRPC_CODES.includes(cause.code)) ||
      isWorkflowNotReadyForQuery(cause) ||
      isWorkflowNotReadyForUpdate(cause) ||
      // Thrown by Connection.connect / ensureConnected before any gRPC status exists.
      (cause instanceof ServiceError && cause.message.startsWith('Failed to connect')) ||
      (cause instanceof Error && cause.message === 'Failed to connect before the deadline'),
  );
}

/**
 * A query to a filing whose first workflow task has not completed (no worker has run it yet, say
 * after a crash): Temporal answers FAILED_PRECONDITION ("not ready"), and the same query succeeds
 * once a worker has.
 */
export function isWorkflowNotReadyForQuery(error: unknown): boolean {
  return (
    error instanceof ServiceError &&
    error.message === 'Failed to query Workflow' &&
    isGrpcServiceError(error.cause) &&
    error.cause.code === GRPC_FAILED_PRECONDITION
  );
}

const WORKFLOW_NOT_READY = 'temporal.api.errordetails.v1.WorkflowNotReadyFailure';
const MULTI_OPERATION_FAILURE = 'temporal.api.errordetails.v1.MultiOperationExecutionFailure';

/**
 * An update (or update-with-start) refused while the filing's workflow task is failing or timing out,
 * say after a worker died holding it twice: Temporal answers FAILED_PRECONDITION with a
 * WorkflowNotReadyFailure ("Workflow Task in failed state"), for an update-with-start inside its
 * MultiOperationExecutionFailure. The same update is taken once a worker completes the task.
 */
export function isWorkflowNotReadyForUpdate(error: unknown): boolean {
  if (!isGrpcServiceError(error) || error.code !== GRPC_FAILED_PRECONDITION) return false;
  const get = (error.metadata as { get?: (key: string) => unknown[] }).get;
  const encoded =
    typeof get === 'function' ? get.call(error.metadata, 'grpc-status-details-bin')[0] : undefined;
  if (!(encoded instanceof Uint8Array)) return false;
  const typeOf = (detail: google.protobuf.IAny) => detail.type_url?.replace(/^type\.googleapis\.com\//, '');
  return (google.rpc.Status.decode(encoded).details ?? []).some((detail) => {
    if (typeOf(detail) === WORKFLOW_NOT_READY) return true;
    if (typeOf(detail) !== MULTI_OPERATION_FAILURE || !detail.value) return false;
    const { statuses } = temporal.api.errordetails.v1.MultiOperationExecutionFailure.decode(detail.value);
    return statuses.some((status) =>
      (status.details ?? []).some((inner) => typeOf(inner) === WORKFLOW_NOT_READY),
    );
  });
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && chain.length < 8;) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}

/** Only the known string members of a payload that crossed the wire. */
function readDetails(value: unknown): FilingErrorDetails {
  if (typeof value !== 'object' || value === null) return {};
  const record = value as Record<string, unknown>;
  const text = (key: string): string | undefined =>
    typeof record[key] === 'string' ? (record[key] as string) : undefined;
  return { status: text('status'), stage: text('stage'), field: text('field'), rule: text('rule') };
}
