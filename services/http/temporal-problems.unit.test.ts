import { ServiceError, WorkflowNotFoundError } from '@temporalio/client';
import { google, temporal } from '@temporalio/proto';
import { problemFromTemporalError } from './temporal-problems';

/** What @grpc/grpc-js rejects a call with: an Error carrying a status code, details and metadata. */
function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

const statusOf = (error: unknown) => problemFromTemporalError(error)?.status;

describe('problemFromTemporalError', () => {
  it('answers 503 (send it again) when Temporal is unreachable, slow, or gave up on a query', () => {
    expect(
      statusOf(new ServiceError('Failed to query Workflow', { cause: grpcError(14, 'unavailable') })),
    ).toBe(503);
    expect(statusOf(new ServiceError('Failed to query Workflow', { cause: grpcError(4, 'deadline') }))).toBe(
      503,
    );
    expect(statusOf(new ServiceError('Failed to query Workflow', { cause: grpcError(1, 'cancelled') }))).toBe(
      503,
    );
  });

  it('answers 503 to a query of a filing no worker has run yet, and nothing for that code elsewhere', () => {
    const notReady = grpcError(9, 'Workflow Execution not ready for query');
    expect(
      problemFromTemporalError(new ServiceError('Failed to query Workflow', { cause: notReady })),
    ).toMatchObject({
      status: 503,
      type: expect.stringContaining('workflow-engine-unavailable'),
    });
    // FAILED_PRECONDITION from any other call is a fault of ours, not a moment to wait.
    expect(statusOf(new ServiceError('Failed to start Workflow', { cause: notReady }))).toBeUndefined();
  });

  it('answers 503 to an update refused while the workflow task is failing, alone or with a start', () => {
    const any = (typeUrl: string, value: Uint8Array = new Uint8Array()) => ({
      type_url: `type.googleapis.com/${typeUrl}`,
      value,
    });
    const notReady = any('temporal.api.errordetails.v1.WorkflowNotReadyFailure');
    const withDetails = (details: google.protobuf.IAny[]) => {
      const encoded = Buffer.from(google.rpc.Status.encode({ code: 9, details }).finish());
      const error = grpcError(
        9,
        'Unable to perform workflow execution update due to Workflow Task in failed state.',
      );
      return Object.assign(error, {
        metadata: { get: (key: string) => (key === 'grpc-status-details-bin' ? [encoded] : []) },
      });
    };
    const multiOperation = any(
      'temporal.api.errordetails.v1.MultiOperationExecutionFailure',
      temporal.api.errordetails.v1.MultiOperationExecutionFailure.encode({
        statuses: [
          { code: 10, details: [any('temporal.api.failure.v1.MultiOperationExecutionAborted')] },
          { code: 9, details: [notReady] },
        ],
      }).finish(),
    );

    expect(statusOf(new ServiceError('Workflow Update failed', { cause: withDetails([notReady]) }))).toBe(
      503,
    );
    expect(statusOf(withDetails([multiOperation]))).toBe(503);
    expect(statusOf(new ServiceError('Workflow Update failed', { cause: withDetails([]) }))).toBeUndefined();
  });

  it('answers 404 for a filing Temporal does not know, and nothing for errors that are not its own', () => {
    expect(statusOf(new WorkflowNotFoundError('not found', 'filing-x', undefined))).toBe(404);
    expect(statusOf(new Error('boom'))).toBeUndefined();
  });
});
