import { AsyncLocalStorage } from 'node:async_hooks';
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

/** When set (see `withinTemporalBounds`), the last moment a failed call may be attempted again. */
const retryUntil = new AsyncLocalStorage<number>();

/**
 * The SDK's retrying of transient gRPC failures (UNAVAILABLE and the like: 10 attempts, backing off to
 * 5 s, ~20 s in all), except that it never waits past the call's deadline (or the retry window of
 * `withinTemporalBounds`). The SDK's own interceptor sleeps between attempts with a timer and meets
 * the deadline only when its next attempt starts: a call bounded by `withDeadline` could end up to
 * 5 s after its deadline, and a timer still pending then throws from the event loop if the connection
 * is closed meanwhile. Here, when the next attempt could not start in time, the call ends at once with
 * the last attempt's status; an attempt still in flight at the deadline ends with DEADLINE_EXCEEDED.
 * Calls without either bound (starts, updates) are retried exactly as the SDK does.
 */
export function deadlineBoundedRetryInterceptor(): GrpcInterceptor {
  const sdk = defaultGrpcRetryOptions();
  return (options, nextCall) => {
    // Interceptors are made as the call starts, inside the caller's async context.
    const until = Math.min(deadlineMs(options.deadline), retryUntil.getStore() ?? Infinity);
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
function connectionOptions(config: IcpConfig): ConnectionOptions {
  return {
    address: config.temporal.address,
    tls: tlsConfig(config),
    interceptors: [deadlineBoundedRetryInterceptor()],
  };
}

/** A client connection that connects on first use, so the API can start before Temporal is up. */
export function lazyClient(config: IcpConfig): { connection: Connection; client: Client } {
  const connection = Connection.lazy(connectionOptions(config));
  const client = new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter: filingDataConverter(config),
  });
  return { connection, client };
}

export async function connectClient(config: IcpConfig): Promise<{ connection: Connection; client: Client }> {
  const connection = await Connection.connect(connectionOptions(config));
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

/** A call bounded by `withinTemporalBounds` did not settle in time. */
export class TemporalDeadlineExceeded extends Error {
  override readonly name = 'TemporalDeadlineExceeded';
  constructor(timeoutMs: number) {
    super(`Temporal did not answer within ${timeoutMs} ms`);
  }
}

export interface TemporalCallBounds {
  /**
   * How long failed attempts to reach the frontend are retried (connection refused, UNAVAILABLE):
   * an unreachable Temporal is reported after this long.
   */
  readonly reachMs: number;
  /** The gRPC deadline of every call: how long a reachable Temporal may take to answer. */
  readonly answerMs: number;
}

/**
 * Runs `fn` with its Temporal RPCs bounded twice: attempts to reach the frontend are retried for
 * `reachMs` only, and every call carries a gRPC deadline `answerMs` from now — so an unreachable
 * Temporal is known within seconds, while a reachable one busy replaying a history for a query is
 * given the time it needs. A timer at `answerMs` has the last word, whatever the connection's
 * interceptors (with the SDK's default one a retry overshoots the deadline by up to 5 s): it rejects
 * with TemporalDeadlineExceeded.
 */
export async function withinTemporalBounds<T>(
  client: Pick<Client, 'withDeadline'>,
  bounds: TemporalCallBounds,
  fn: () => Promise<T>,
): Promise<T> {
  const now = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TemporalDeadlineExceeded(bounds.answerMs)), bounds.answerMs);
  });
  try {
    return await Promise.race([
      retryUntil.run(now + bounds.reachMs, () => client.withDeadline(now + bounds.answerMs, fn)),
      expired,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
