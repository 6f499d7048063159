import { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadConfig } from '../../infra/config/config';
import { provisionTestServer } from '../../infra/temporal/test-server';

/**
 * The Java time-skipping test server, provisioned into the cache by the project (`icp provision`)
 * and started through the SDK with an `existing-path` executable.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const install = await provisionTestServer(loadConfig().cacheDir);
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: install.scriptPath } },
  });
}
