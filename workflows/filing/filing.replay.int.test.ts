import { readFileSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../infra/worker/create-worker';
import { HAPPY_PATH_HISTORY } from '../../test/fixtures/histories/histories';

describe('recorded filing histories replay with today’s workflow code', () => {
  it('replays a complete app filing (with retried appends) without nondeterminism', async () => {
    const history = temporal.api.history.v1.History.decode(readFileSync(HAPPY_PATH_HISTORY));
    const workflowBundle = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      logger: new DefaultLogger('WARN'),
    });

    await expect(Worker.runReplayHistory({ workflowBundle }, history)).resolves.toBeUndefined();
    expect(history.events?.length).toBeGreaterThan(20);
  });
});
