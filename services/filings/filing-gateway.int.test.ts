import { randomUUID } from 'node:crypto';
import type { Actor } from '../../events/filing/actor';
import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import { FilingHarness, PLATFORM } from '../../test/temporal/filing-harness';
import { platformReviewUpdate, withdrawalUpdate } from '../../workflows/filing/filing.definitions';
import type { FilingWorkflowInput } from '../../workflows/filing/filing.definitions';
import { ProblemException } from '../http/problem-details';
import { problemFromTemporalError } from '../http/temporal-problems';
import { FilingGateway } from './filing-gateway';

/** The gateway on the time-skipping test server, with the production workflow and activities. */
describe('FilingGateway', () => {
  let harness: FilingHarness;
  let gateway: FilingGateway;
  const target = (taskQueue: string) => ({ address: '', namespace: 'default', mode: 'embedded', taskQueue });
  const submission = (filingId = randomUUID()): FilingWorkflowInput => ({
    filingId,
    form: loadValidForm('valid-app'),
    actor: PLATFORM,
    actionId: `submit-${filingId}`,
    correlationId: filingId,
  });

  beforeAll(async () => {
    harness = await FilingHarness.start();
    await harness.runWorker();
    gateway = new FilingGateway(target(harness.taskQueue), harness.client);
  });
  afterAll(async () => harness?.stop());

  it('answers a submission once FilingSubmitted is recorded, in one update-with-start', async () => {
    const input = submission();
    harness.startedFilingIds.push(input.filingId);

    const view = await gateway.submit(input);

    expect(view).toMatchObject({ filingId: input.filingId, status: 'submitted', revision: 0 });
    expect((await harness.eventTypes(input.filingId))[0]).toBe('FilingSubmitted');
  });

  it('answers the same submission again with the filing as it stands, running or closed, starting nothing', async () => {
    const input = submission();
    harness.startedFilingIds.push(input.filingId);
    await gateway.submit(input);
    const handle = harness.client.workflow.getHandle(`filing-${input.filingId}`);
    await harness.waitForStatus(handle, 'platform_review');

    expect(await gateway.submit(input)).toMatchObject({ status: 'platform_review', revision: 1 });

    await gateway.update(PLATFORM, input.filingId, withdrawalUpdate, [{ actor: PLATFORM }], randomUUID());
    await handle.result();
    expect(await gateway.submit(input)).toMatchObject({ status: 'withdrawn', revision: 2 });
    expect(await harness.eventTypes(input.filingId)).toEqual([
      'FilingSubmitted',
      'PlatformReviewStarted',
      'FilingWithdrawn',
    ]);
  });

  it('tells a caller a closed filing is closed if theirs to see, else that it does not exist', async () => {
    const input = submission();
    harness.startedFilingIds.push(input.filingId);
    await gateway.submit(input);
    await gateway.update(PLATFORM, input.filingId, withdrawalUpdate, [{ actor: PLATFORM }], randomUUID());
    await harness.client.workflow.getHandle(`filing-${input.filingId}`).result();
    const approve = (actor: Actor) =>
      gateway.update(
        actor,
        input.filingId,
        platformReviewUpdate,
        [{ actor, decision: 'approve' }],
        randomUUID(),
      );

    const own = await approve(PLATFORM).catch((error: unknown) => error);
    expect(own).toBeInstanceOf(ProblemException);
    expect((own as ProblemException).problem).toMatchObject({ status: 409, filingStatus: 'withdrawn' });
    const other = await approve({ ...PLATFORM, platformId: 'alipay' }).catch((error: unknown) => error);
    expect(other).toBeInstanceOf(ProblemException);
    expect((other as ProblemException).problem).toMatchObject({ status: 404 });
  });

  it('answers 503 once the wait is over when no worker has run the filing', async () => {
    const idle = new FilingGateway(target(`unpolled-${randomUUID()}`), harness.client);
    const input = submission();
    const startedAt = Date.now();

    const error = await idle.submit(input).catch((e: unknown) => e);

    expect(problemFromTemporalError(error)).toMatchObject({ status: 503 });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(10_000);
    await harness.client.workflow.getHandle(`filing-${input.filingId}`).terminate('test: no worker polls it');
  });
});
