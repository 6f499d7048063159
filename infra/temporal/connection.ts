import { readFileSync } from 'node:fs';
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { IcpConfig } from '../config/config';

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

/** A client connection that connects on first use, so the API can start before Temporal is up. */
export function lazyClient(config: IcpConfig): { connection: Connection; client: Client } {
  const connection = Connection.lazy({ address: config.temporal.address, tls: tlsConfig(config) });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  return { connection, client };
}

export async function connectClient(config: IcpConfig): Promise<{ connection: Connection; client: Client }> {
  const connection = await Connection.connect({ address: config.temporal.address, tls: tlsConfig(config) });
  return { connection, client: new Client({ connection, namespace: config.temporal.namespace }) };
}

export function connectWorkerConnection(config: IcpConfig): Promise<NativeConnection> {
  return NativeConnection.connect({ address: config.temporal.address, tls: tlsConfig(config) });
}

/** Resolves if the frontend answers within the deadline, rejects with the reason otherwise. */
export async function pingTemporal(connection: Connection, timeoutMs = 3_000): Promise<void> {
  await connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({}));
}
