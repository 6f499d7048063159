import { createInventoryReporter } from '../../activities/compliance/inventory/report-inventory';
import { sweepStreamId } from '../../events/compliance/compliance-streams';
import { loadChineseCalendar } from '../../infra/calendar/chinese-holidays';
import { openReadModels } from '../../main/read-models';
import { startProjector } from '../../services/projections/projector';
import { FilingHarness } from '../../test/temporal/filing-harness';
import { seedVerificationRegistry } from '../../test/support/verification-registry';
import { Global, Module } from '@nestjs/common';
import { createTokenVerifier } from '../../infra/auth/token-verifier';
import { AuthModule } from '../../services/auth/auth.module';
import { TOKEN_VERIFIER } from '../../services/auth/auth.tokens';
import { ComplianceModule } from '../../services/compliance/compliance.module';
import {
  COMPLIANCE_STORE,
  INVENTORY_REPORTER,
  TEMPORAL_CLIENT,
  TEMPORAL_TARGET,
} from '../../services/tokens';
import { type HttpTestApp, startHttpTestApp } from '../../test/support/http/http-test-app';
import { deadlineSweepWorkflowId } from './sweep.definitions';
import { deadlineSweepWorkflow } from './sweep.workflow';

/** The sweep's workflow on the time-skipping server, with the production activities and stores. */
describe('deadlineSweepWorkflow', () => {
  let harness: FilingHarness;

  beforeAll(async () => {
    harness = await FilingHarness.start();
    await seedVerificationRegistry(harness.eventLog);
    const readModels = openReadModels(harness.config.dataDir, loadChineseCalendar());
    const projector = startProjector({ eventLog: harness.eventLog, store: readModels });
    await projector.caughtUp();
    await projector.stop();
    await readModels.close();
    const compliance = harness.deps.compliance!;
    await createInventoryReporter(compliance).reportInventory({
      party: { role: 'device_maker', id: 'xiaomi' },
      reportedOn: '2026-12-06',
      lines: [
        { kind: 'package', value: 'com.example.maps', province: '440000' },
        { kind: 'quick_app', value: 'com.example.unlisted', province: '310000' },
      ],
      recordedBy: { role: 'device_maker', id: 'xiaomi-ops' },
      causationId: 'test',
    });
    await harness.runWorker();
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
  });

  it('runs through POST /v1/compliance/sweeps for a bureau, which then reads it back', async () => {
    const compliance = harness.deps.compliance!;
    const verifier = createTokenVerifier({ dataDir: harness.config.dataDir });
    const token = await verifier.issue({ sub: 'sh', role: 'bureau', province: '310000' });
    @Global()
    @Module({
      providers: [
        { provide: TOKEN_VERIFIER, useValue: verifier },
        { provide: COMPLIANCE_STORE, useValue: compliance.store },
        { provide: INVENTORY_REPORTER, useValue: createInventoryReporter(compliance) },
        { provide: TEMPORAL_CLIENT, useValue: harness.client },
        { provide: TEMPORAL_TARGET, useValue: { taskQueue: harness.taskQueue } },
      ],
      exports: [TOKEN_VERIFIER, COMPLIANCE_STORE, INVENTORY_REPORTER, TEMPORAL_CLIENT, TEMPORAL_TARGET],
    })
    class TestInfraModule {}
    const server: HttpTestApp = await startHttpTestApp({
      imports: [TestInfraModule, AuthModule, ComplianceModule],
    });
    try {
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const posted = await fetch(server.url('/v1/compliance/sweeps'), {
        method: 'POST',
        headers,
        body: JSON.stringify({ asOf: '2026-12-08' }),
      });
      expect(posted.status).toBe(201);
      const summary = (await posted.json()) as Record<string, unknown>;
      expect(summary).toMatchObject({
        sweepId: 'compliance-sweep-2026-12-08',
        counts: { lines: 2, overdue: 1 },
      });
      const read = await fetch(server.url('/v1/compliance/sweeps/2026-12-08'), { headers });
      expect(await read.json()).toEqual(summary);
      const items = await fetch(server.url('/v1/compliance/sweeps/2026-12-08/items'), { headers });
      expect(await items.json()).toEqual({
        items: [
          expect.objectContaining({ province: '310000', value: 'com.example.unlisted', daysPast: 982 }),
        ],
      });
      const recorded = await harness.eventLog.readStream(sweepStreamId('2026-12-08'));
      expect(recorded[0]!.metadata).toMatchObject({ recordedBy: { role: 'bureau', id: 'sh' } });
    } finally {
      await server.close();
    }
  });

  it('sweeps as of the date asked, stores the result and records SweepCompleted once', async () => {
    const run = () =>
      harness.client.workflow.execute(deadlineSweepWorkflow, {
        args: [{ asOf: '2026-12-07', requestedBy: { role: 'bureau', id: 'gd' } }],
        taskQueue: harness.taskQueue,
        workflowId: deadlineSweepWorkflowId('2026-12-07'),
      });
    const summary = await run();
    expect(summary).toMatchObject({
      asOf: '2026-12-07',
      counts: { lines: 2, overdue: 1 },
      byProvince: [{ province: '310000', overdue: 1 }],
      byParty: [{ party: 'device_maker:xiaomi', overdue: 1 }],
    });
    expect(await harness.deps.compliance!.store.sweep('2026-12-07')).toEqual(summary);
    await run();
    const recorded = await harness.eventLog.readStream(sweepStreamId('2026-12-07'));
    expect(recorded.map((event) => event.type)).toEqual(['SweepCompleted']);
    expect(recorded[0]!.metadata).toMatchObject({ recordedBy: { role: 'bureau', id: 'gd' } });
  });

  it('sweeps as of the day it runs (China time) when the schedule starts it without a date', async () => {
    const summary = await harness.client.workflow.execute(deadlineSweepWorkflow, {
      args: [{}],
      taskQueue: harness.taskQueue,
      workflowId: 'compliance-deadline-sweep-scheduled-test',
    });
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    expect(summary.asOf).toBe(today);
  });
});
