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

/**
 * The SDK's retrying of transient gRPC failures (UNAVAILABLE and the like: 10 attempts, backing off to
 * 5 s, ~20 s in all), except that it never sleeps past the call's deadline. The SDK's own interceptor
 * waits between attempts with a timer and only meets the deadline when its next attempt starts, so a
 * call bounded by `withDeadline` could end up to 5 s after its deadline; here the wait is cut at the
 * deadline and the attempt then made fails at once with DEADLINE_EXCEEDED. Calls without a deadline
 * (starts, updates) keep the SDK's behaviour unchanged.
 */
export function deadlineBoundedRetryInterceptor(): GrpcInterceptor {
  const sdk = defaultGrpcRetryOptions();
  return (options, nextCall) => {
    const deadline = deadlineMs(options.deadline);
    const retry = makeGrpcRetryInterceptor({
      retryableDecider: (attempt, status) => sdk.retryableDecider(attempt, status),
      delayFunction: (attempt, status) =>
        Math.max(0, Math.min(sdk.delayFunction(attempt, status), deadline - Date.now())),
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

/** A call bounded by `beforeTemporalDeadline` did not settle in time. */
export class TemporalDeadlineExceeded extends Error {
  override readonly name = 'TemporalDeadlineExceeded';
  constructor(timeoutMs: number) {
    super(`Temporal did not answer within ${timeoutMs} ms`);
  }
}

/**
 * Runs `fn` with every Temporal RPC it makes bounded by a gRPC deadline `timeoutMs` from now, and a
 * timer as the last word: with the SDK's default interceptor (a client not made here) a retry waits
 * up to 5 s past the deadline before it notices, and a connected frontend may hold a query while no
 * worker answers. Rejects with TemporalDeadlineExceeded when the timer wins.
 */
export async function beforeTemporalDeadline<T>(
  client: Pick<Client, 'withDeadline'>,
  timeoutMs: number,
  fn: () => Promise<T>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TemporalDeadlineExceeded(timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([client.withDeadline(Date.now() + timeoutMs, fn), expired]);
  } finally {
    clearTimeout(timer);
  }
}
