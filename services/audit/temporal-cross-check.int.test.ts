import { type AddressInfo, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { Client, type WorkflowHandle } from '@temporalio/client';
import { verifyFilingChain } from '../../events/filing/envelope';
import type { StoredFilingEnvelope } from '../../events/filing/filing-events';
import type { RecordedEvent } from '../../events/ports/event-log.port';
import { freePort } from '../../infra/process/net';
import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import { FilingHarness, PLATFORM } from '../../test/temporal/filing-harness';
import { platformReviewUpdate } from '../../workflows/filing/filing.definitions';
import type { filingWorkflow } from '../../workflows/filing/filing.workflow';
import { editEvent, resealFrom } from '../../test/support/audit/tamper';
import { crossCheckWithTemporal } from './temporal-cross-check';
import { unreachableClient } from '../../test/support/audit/unreachable-temporal';

type Handle = WorkflowHandle<typeof filingWorkflow>;

const toEnvelopes = (events: RecordedEvent[]): StoredFilingEnvelope[] =>
  events.map(
    (e) =>
      ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata }) as unknown as StoredFilingEnvelope,
  );

describe('crossCheckWithTemporal against a filing’s workflow on the time-skipping test server', () => {
  let harness: FilingHarness;

  beforeAll(async () => {
    harness = await FilingHarness.start();
    await harness.runWorker();
  });
  afterAll(async () => harness?.stop());

  const filingIdOf = (handle: Handle) => handle.workflowId.replace(/^filing-/, '');

  it('finds every event of a running filing among its completed appends, and the same status', async () => {
    const handle = await harness.startFiling(loadValidForm('valid-app'));
    await harness.waitForStatus(handle, 'platform_review');
    await handle.executeUpdate(platformReviewUpdate, {
      args: [{ actor: PLATFORM, decision: 'approve' }],
      updateId: `approve-${handle.workflowId}`,
    });
    await harness.waitForStatus(handle, 'sms_verification');
    const filingId = filingIdOf(handle);
    const recorded = await harness.events(filingId);

    const { check, findings } = await crossCheckWithTemporal(harness.client, filingId, recorded);

    expect(findings).toEqual([]);
    expect(check).toEqual({
      checked: true,
      workflowExecution: 'RUNNING',
      workflowStatus: 'sms_verification',
      appendsCompared: expect.any(Number),
    });
    expect(check.appendsCompared).toBeGreaterThan(0);
    expect(check.appendsCompared).toBeLessThanOrEqual(recorded.length);
  });

  it('compares a closed filing with the status its workflow returned', async () => {
    const handle = await harness.startFiling(loadValidForm('valid-app'));
    await harness.waitForStatus(handle, 'platform_review');
    await handle.executeUpdate(platformReviewUpdate, {
      args: [{ actor: PLATFORM, decision: 'reject', reasons: '应用名称与实际服务不符' }],
      updateId: `reject-${handle.workflowId}`,
    });
    expect((await harness.outcome(handle)).status).toBe('rejected');
    const filingId = filingIdOf(handle);
    const recorded = await harness.events(filingId);

    const result = await crossCheckWithTemporal(harness.client, filingId, recorded);
    expect(result).toEqual({
      check: {
        checked: true,
        workflowExecution: 'COMPLETED',
        workflowStatus: 'rejected',
        appendsCompared: expect.any(Number),
      },
      findings: [],
    });

    // A log cut short before the rejection: the workflow ended somewhere the log does not.
    const cut = await crossCheckWithTemporal(harness.client, filingId, recorded.slice(0, -1));
    expect(cut.findings).toEqual([expect.objectContaining({ seq: -1, rule: 'temporal_status_mismatch' })]);
  });

  it('reports a forged, re-sealed event and every one sealed after it as appends Temporal never made', async () => {
    const handle = await harness.startFiling(loadValidForm('valid-app'));
    await harness.waitForStatus(handle, 'platform_review');
    await handle.executeUpdate(platformReviewUpdate, {
      args: [{ actor: PLATFORM, decision: 'approve' }],
      updateId: `approve-${handle.workflowId}`,
    });
    await harness.waitForStatus(handle, 'sms_verification');
    const filingId = filingIdOf(handle);
    const before = await harness.events(filingId);
    const forgedSeq = before.findIndex((e) => e.type === 'PlatformReviewStarted');
    expect(forgedSeq).toBeGreaterThan(0);

    const file = join(harness.config.dataDir, 'events.sqlite');
    editEvent(file, handle.workflowId, forgedSeq, (row) => ({
      ...row,
      data: { ...row.data, dueAt: '2099-12-31T16:00:00.000Z' },
    }));
    resealFrom(file, handle.workflowId, forgedSeq);
    const after = await harness.events(filingId);
    expect(verifyFilingChain(filingId, toEnvelopes(after))).toEqual([]);
    expect(after.map((e) => e.id)).toEqual(before.map((e) => e.id));

    const { check, findings } = await crossCheckWithTemporal(harness.client, filingId, after);

    expect(check).toMatchObject({ checked: true, workflowExecution: 'RUNNING' });
    expect(findings.map((f) => [f.seq, f.rule])).toEqual(
      after.slice(forgedSeq).map((e) => [e.revision, 'temporal_unrecorded_append']),
    );
    expect(findings[0]?.message).toContain('PlatformReviewStarted');
  });

  it('says it could not read a history whose payloads it has no key for', async () => {
    const handle = await harness.startFiling(loadValidForm('valid-app'));
    await harness.waitForStatus(handle, 'platform_review');
    const filingId = filingIdOf(handle);
    const keyless = new Client({ connection: harness.env.connection });

    const { check } = await crossCheckWithTemporal(keyless, filingId, await harness.events(filingId));
    expect(check).toEqual({ checked: false, reason: expect.stringContaining('could not be decoded') });
  });

  it('says the workflow is not in Temporal for a filing it never ran', async () => {
    const { check, findings } = await crossCheckWithTemporal(
      harness.client,
      '00000000-0000-4000-8000-000000000000',
      [],
    );
    expect(check).toEqual({ checked: false, reason: expect.stringContaining('not in Temporal') });
    expect(findings).toEqual([]);
  });

  describe('when Temporal cannot be reached', () => {
    const NO_FILING = '00000000-0000-4000-8000-000000000000';

    it('gives up within its timeout on a port nobody listens on', async () => {
      const temporal = unreachableClient(`127.0.0.1:${await freePort()}`);
      try {
        const started = Date.now();
        const result = await crossCheckWithTemporal(temporal.client, NO_FILING, [], { timeoutMs: 1_000 });
        const elapsed = Date.now() - started;

        expect(result).toEqual({
          check: { checked: false, reason: 'Temporal did not answer within 1000 ms' },
          findings: [],
        });
        expect(elapsed).toBeLessThan(5_000);
      } finally {
        await temporal.close();
      }
    });

    it('gives up within its timeout on a server that accepts the connection and never answers', async () => {
      const sockets = new Set<Socket>();
      const silent = createServer((socket) => sockets.add(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const temporal = unreachableClient(`127.0.0.1:${(silent.address() as AddressInfo).port}`);
      try {
        const started = Date.now();
        const result = await crossCheckWithTemporal(temporal.client, NO_FILING, [], { timeoutMs: 1_000 });

        expect(result.check).toEqual({ checked: false, reason: 'Temporal did not answer within 1000 ms' });
        expect(Date.now() - started).toBeLessThan(5_000);
      } finally {
        await temporal.close();
        for (const socket of sockets) socket.destroy();
        await new Promise((resolve) => silent.close(resolve));
      }
    });
  });
});
