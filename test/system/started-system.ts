import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { SignJWT } from 'jose';
import { freePort } from '../../infra/process/net';
import { secretFile } from '../../infra/secrets/local-secret';
import { IcpProcess, isolatedEnv } from './icp-process';

export const JWT_ISSUER = 'icp-filing';
export const JWT_AUDIENCE = 'icp-filing-api';

/** A whole system started with `icp start` on free ports and its own data directory. */
export interface StartedSystem {
  readonly base: string;
  readonly port: number;
  /** The embedded Temporal dev server's port (TEMPORAL_PORT), for CLI commands that ask it. */
  readonly temporalPort: number;
  readonly dataDir: string;
  readonly temporal: Client;
  /** The data directory's `jwt` secret, which signs the API's bearer tokens (HS256). */
  readonly jwtSecret: Uint8Array;
  /** What the system printed on stderr so far (warnings and errors). */
  stderr(): string;
  stop(): Promise<void>;
}

export async function startSystem(name: string): Promise<StartedSystem> {
  const dataDir = mkdtempSync(join(tmpdir(), `icp-${name}-`));
  const port = await freePort();
  const temporalPort = await freePort();
  const env = isolatedEnv({
    ICP_DATA_DIR: dataDir,
    PORT: String(port),
    TEMPORAL_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(await freePort()),
  });
  const system = new IcpProcess(['start'], env);
  try {
    await system.waitForOutput('Press Ctrl+C to stop.', 120_000);
  } catch (error) {
    await system.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const connection = await Connection.connect({ address: `127.0.0.1:${temporalPort}` });
  const jwtSecret = Buffer.from(readFileSync(secretFile(dataDir, 'jwt'), 'utf8').trim(), 'hex');
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    temporalPort,
    dataDir,
    temporal: new Client({ connection }),
    jwtSecret,
    stderr: () => system.stderr,
    async stop() {
      await connection.close();
      await system.stop('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A token as `icp token` would sign it, for any claims: ten minutes, the API's issuer and audience. */
export function signToken(secret: Uint8Array, claims: Record<string, unknown>): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: JWT_ISSUER, aud: JWT_AUDIENCE, iat: now, exp: now + 600, ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(secret);
}

/** How many filing workflows Temporal knows of, running or closed. */
export async function filingWorkflowCount(temporal: Client): Promise<number> {
  let count = 0;
  for await (const _ of temporal.workflow.list({ query: "WorkflowType = 'filingWorkflow'" })) count += 1;
  return count;
}
