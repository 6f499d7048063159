import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadConfig } from '../../infra/config/config';
import { provisionTestServer } from '../../infra/temporal/test-server';

/** Debian's `faketime` package (installed by .ci/run): starts a process's wall clock at a chosen instant. */
const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1';

export interface TimeSkippingOptions {
  /**
   * Start the test server's clock at this instant (UTC ISO), e.g. just before a real holiday: the
   * server only skips forward, so a past calendar date needs its clock to start there.
   */
  startAt?: string;
}

/**
 * The Java time-skipping test server, provisioned into the cache by the project (`icp provision`)
 * and started through the SDK with an `existing-path` executable.
 */
export async function createTimeSkippingEnv(
  options: TimeSkippingOptions = {},
): Promise<TestWorkflowEnvironment> {
  const install = await provisionTestServer(loadConfig().cacheDir);
  const path = options.startAt ? withClockAt(install.scriptPath, options.startAt) : install.scriptPath;
  // The SDK gives the server a fixed 5 s to listen; a JVM on a busy 2-core machine sometimes needs more.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: { type: 'existing-path', path } },
      });
    } catch (error) {
      if (attempt >= STARTUP_ATTEMPTS || !/did not start within/.test((error as Error).message)) throw error;
      console.warn(
        `test server did not start in time (attempt ${attempt} of ${STARTUP_ATTEMPTS}); starting it again`,
      );
    }
  }
}

const STARTUP_ATTEMPTS = 5;

function withClockAt(scriptPath: string, startAt: string): string {
  if (!existsSync(LIBFAKETIME)) {
    throw new Error(`starting the test server at ${startAt} needs ${LIBFAKETIME}: apt-get install faketime`);
  }
  const at = new Date(startAt);
  if (Number.isNaN(at.getTime())) throw new Error(`startAt must be an ISO instant, got ${startAt}`);
  const stamp = at.toISOString().slice(0, 19).replace('T', ' ');
  const wrapper = join(mkdtempSync(join(tmpdir(), 'icp-test-server-')), 'test-server-at.sh');
  writeFileSync(
    wrapper,
    [
      '#!/bin/sh',
      `export LD_PRELOAD=${LIBFAKETIME}`,
      `export FAKETIME='@${stamp}'`,
      'export TZ=UTC',
      // Only the wall clock moves; monotonic time stays real so timeouts and GC behave.
      'export FAKETIME_DONT_FAKE_MONOTONIC=1',
      `exec "${scriptPath}" "$@"`,
      '',
    ].join('\n'),
  );
  chmodSync(wrapper, 0o755);
  return wrapper;
}
