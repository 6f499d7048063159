import { readFileSync } from 'node:fs';
import {
  Client,
  Connection,
  type ConnectionOptions,
  defaultGrpcRetryOptions,
  makeGrpcRetryInterceptor,
  type TLSConfig,
} from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { IcpConfig } from '../config/config';
import { filingDataConverter } from './payload-keys';

function tlsConfig(config: IcpConfig): TLSConfig | undefined {
  const tls = config.temporal.tls;
  if (!tls) return undefined;
  return {
    serverNameOverride: tls.serverName,
    serverRootCACertificate: tls.serverRootCaPath ? readFileSync(tls.serverRootCaPath) : undefined,
    clientCertPair:
      tls.clientCertPath && tls.clientKeyPath
        ? { crt: readFileSync(tls.clientCertPath), key: readFileSync(tls.clientKeyPath) }
        : undefined,
  };
}

type GrpcInterceptor = NonNullable<ConnectionOptions['interceptors']>[number];

/** The last moment a failed call may be attempted again, when the caller set one; else `undefined`. */
export type RetryDeadline = () => number | undefined;

const NO_RETRY_DEADLINE: RetryDeadline = () => undefined;

/**
 * The SDK's retrying of transient gRPC failures (UNAVAILABLE and the like: 10 attempts, backing off to
 * 5 s, ~20 s in all), except that it never waits past the call's deadline (or the retry window the
 * caller set, read through `retryDeadline`). The SDK's own interceptor sleeps between attempts with a timer and meets
 * the deadline only when its next attempt starts: a call bounded by `withDeadline` could end up to
 * 5 s after its deadline, and a timer still pending then throws from the event loop if the connection
 * is closed meanwhile. Here, when the next attempt could not start in time, the call ends at once with
 * the last attempt's status; an attempt still in flight at the deadline ends with DEADLINE_EXCEEDED.
 * Calls without either bound (starts, updates) are retried exactly as the SDK does.
 */
export function deadlineBoundedRetryInterceptor(
  retryDeadline: RetryDeadline = NO_RETRY_DEADLINE,
): GrpcInterceptor {
  const sdk = defaultGrpcRetryOptions();
  return (options, nextCall) => {
    // Interceptors are made as the call starts, inside the caller's async context.
    const until = Math.min(deadlineMs(options.deadline), retryDeadline() ?? Infinity);
    // The SDK's interceptor asks the decider, then the delay, for each failed attempt of this call.
    let delay = 0;
    const retry = makeGrpcRetryInterceptor({
      retryableDecider: (attempt, status) => {
        if (!sdk.retryableDecider(attempt, status)) return false;
        delay = sdk.delayFunction(attempt, status);
        return Date.now() + delay < until;
      },
      delayFunction: () => delay,
    });
    return retry(options, nextCall);
  };
}

function deadlineMs(deadline: Date | number | undefined): number {
  if (deadline instanceof Date) return deadline.getTime();
  return typeof deadline === 'number' ? deadline : Infinity;
}

/** How the API and CLI reach Temporal's frontend (the worker has a native connection of its own). */
function connectionOptions(config: IcpConfig, retryDeadline?: RetryDeadline): ConnectionOptions {
  return {
    address: config.temporal.address,
    tls: tlsConfig(config),
    interceptors: [deadlineBoundedRetryInterceptor(retryDeadline)],
  };
}

/** A client connection that connects on first use, so the API can start before Temporal is up. */
export function lazyClient(
  config: IcpConfig,
  retryDeadline?: RetryDeadline,
): { connection: Connection; client: Client } {
  const connection = Connection.lazy(connectionOptions(config, retryDeadline));
  const client = new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter: filingDataConverter(config),
  });
  return { connection, client };
}

export function connectWorkerConnection(config: IcpConfig): Promise<NativeConnection> {
  return NativeConnection.connect({ address: config.temporal.address, tls: tlsConfig(config) });
}

/** Resolves if the frontend answers within the deadline, rejects with the reason otherwise. */
export async function pingTemporal(connection: Connection, timeoutMs = 3_000): Promise<void> {
  await connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({}));
}
