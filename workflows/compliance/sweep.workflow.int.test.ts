import { createInventoryReporter } from '../../activities/compliance/inventory/report-inventory';
import { sweepStreamId } from '../../events/compliance/compliance-streams';
import { loadChineseCalendar } from '../../infra/calendar/chinese-holidays';
import { openReadModels } from '../../main/read-models';
import { startProjector } from '../../services/projections/projector';
import { FilingHarness } from '../../test/temporal/filing-harness';
import { seedVerificationRegistry } from '../../test/support/verification-registry';
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
