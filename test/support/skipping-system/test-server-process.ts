import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadConfig } from '../../../infra/config/config';
import { freePort, waitForPort } from '../../../infra/process/net';
import { provisionTestServer } from '../../../infra/temporal/test-server';

/** Debian's `faketime` package (installed by .ci/run): starts a process's wall clock at a chosen instant. */
const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1';
/** How long the JVM may take to listen: on a loaded 2-core machine, far more than the SDK's fixed 5 s. */
const LISTEN_TIMEOUT_MS = 90_000;

export interface TestServerProcess {
  /** A time-skipping environment on the server (sleep skips, currentTimeMs reads its clock). */
  readonly env: TestWorkflowEnvironment;
  stop(): Promise<void>;
}

/** The private factory behind createTimeSkipping, which also accepts a server started elsewhere. */
type EnvironmentFactory = {
  create(options: {
    server: { type: 'existing' };
    address: string;
    namespace: string;
    supportsTimeSkipping: true;
  }): Promise<TestWorkflowEnvironment>;
};

/**
 * The Java time-skipping test server (the project's provisioned install) with its clock starting at
 * `startAt`, started by this process and waited for as long as the JVM needs, then wrapped in the
 * SDK's time-skipping environment. (test/temporal/time-skipping-env.ts does the same through the SDK,
 * which gives the JVM 5 s and fails when a busy machine needs more.)
 */
export async function startTestServer(startAt: string): Promise<TestServerProcess> {
  const install = await provisionTestServer(loadConfig().cacheDir);
  const port = await freePort();
  const child = spawn(install.scriptPath, [String(port)], {
    env: { ...process.env, ...fakeClockAt(startAt) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const stopChild = () => stopProcess(child);
  try {
    const exited = new Promise<false>((resolve) => child.once('exit', () => resolve(false)));
    const listening = await Promise.race([waitForPort(port, LISTEN_TIMEOUT_MS), exited]);
    if (!listening) throw new Error(`the Temporal test server did not listen on ${port}: ${stderr.trim()}`);
    const env = await (TestWorkflowEnvironment as unknown as EnvironmentFactory).create({
      server: { type: 'existing' },
      address: `127.0.0.1:${port}`,
      namespace: 'default',
      supportsTimeSkipping: true,
    });
    return {
      env,
      async stop() {
        await env.teardown();
        await stopChild();
      },
    };
  } catch (error) {
    await stopChild();
    throw error;
  }
}

function fakeClockAt(startAt: string): NodeJS.ProcessEnv {
  if (!existsSync(LIBFAKETIME)) {
    throw new Error(`starting the test server at ${startAt} needs ${LIBFAKETIME}: apt-get install faketime`);
  }
  const at = new Date(startAt);
  if (Number.isNaN(at.getTime())) throw new Error(`startAt must be an ISO instant, got ${startAt}`);
  return {
    LD_PRELOAD: LIBFAKETIME,
    FAKETIME: `@${at.toISOString().slice(0, 19).replace('T', ' ')}`,
    TZ: 'UTC',
    // Only the wall clock moves; monotonic time stays real so timeouts and GC behave.
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
  };
}

/** SIGTERM, then SIGKILL if the JVM has not exited after 5 s; resolves once it has exited. */
function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
