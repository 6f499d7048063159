import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { type ApplicationFailure } from '@temporalio/common';
import { createInspectionActivities, type InspectionStep } from '../../activities/compliance/inspection';
import type { ComplianceParty } from '../../events/compliance/compliance-party';
import { verifyComplianceChain } from '../../events/compliance/compliance-envelope';
import { inspectionStreamId } from '../../events/compliance/compliance-streams';
import { complianceMetadataOf } from '../../events/compliance/compliance-envelope';
import type { InventoryLineRecord } from '../../events/ports/compliance-store.port';
import { addWorkingDays } from '../../events/working-days/add-working-days';
import { loadChineseCalendar } from '../../infra/calendar/chinese-holidays';
import { VERIFY_SUBJECT } from '../../test/support/verification-registry';
import { InspectionHarness } from '../../test/temporal/inspection-harness';
import {
  answerFindingUpdate,
  decideFindingUpdate,
  type InspectionWorkflowInput,
  inspectionStateQuery,
  inspectionWorkflowId,
  openedUpdate,
} from './inspection.definitions';
import type { inspectionWorkflow } from './inspection.workflow';

const STORE: ComplianceParty = { role: 'store', id: 'huawei-appgallery' };
const BUREAU = { role: 'bureau', id: 'officer-gd' } as const;
const PARTY_USER = { role: 'store', id: 'appgallery-ops' } as const;
const OPENED_AT = '2026-09-29T02:00:00.000Z';
const DUE_AT = '2026-10-08T15:59:59.999Z';
const DAY_MS = 86_400_000;

/**
 * The next Friday, 10:00 in Beijing, after `nowMs`. (The test server's clock can only be moved
 * forward, and starting it at a chosen instant through faketime is too slow on a loaded machine.)
 */
function nextFridayMorning(nowMs: number): number {
  const china = new Date(nowMs + 8 * 3_600_000);
  const daysAhead = ((5 - china.getUTCDay() + 7) % 7) + 7;
  const day = Date.UTC(china.getUTCFullYear(), china.getUTCMonth(), china.getUTCDate()) + daysAhead * DAY_MS;
  return day + 2 * 3_600_000;
}

const line = (lineNo: number, fields: Partial<InventoryLineRecord>): InventoryLineRecord => ({
  lineNo,
  kind: 'package',
  value: 'com.example.maps',
  province: '440000',
  statusAtReport: 'registered',
  ...fields,
});

/** One registered app, then three the registry does not back, and a line of another province. */
const INVENTORY = [
  line(1, { signatureMd5: 'a'.repeat(32) }),
  line(2, { value: 'com.example.unlisted', name: '未备案应用', statusAtReport: 'not_registered' }),
  line(3, { signatureMd5: 'e'.repeat(32), statusAtReport: 'identifier_mismatch' }),
  line(4, { value: 'com.example.weather', statusAtReport: 'cancelled' }),
  line(5, { value: 'com.example.beijing-only', province: '110000', statusAtReport: 'not_registered' }),
];

describe('inspectionWorkflow on the time-skipping server', () => {
  let harness: InspectionHarness;

  beforeAll(async () => {
    harness = await InspectionHarness.start();
    harness.inventories.report(STORE, '2026-09-20', INVENTORY);
    await harness.runWorker();
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const input = (inspectionId: string): InspectionWorkflowInput => ({
    inspectionId,
    province: '440000',
    party: STORE,
    answerWithinWorkingDays: 1,
    openedBy: BUREAU,
    requestId: `request-${inspectionId}`,
  });

  function open(inspectionId: string) {
    const start = new WithStartWorkflowOperation<typeof inspectionWorkflow>('inspectionWorkflow', {
      taskQueue: harness.taskQueue,
      workflowId: inspectionWorkflowId(inspectionId),
      args: [input(inspectionId)],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    return harness.client.workflow.executeUpdateWithStart(openedUpdate, { startWorkflowOperation: start });
  }

  const handleOf = (inspectionId: string) =>
    harness.client.workflow.getHandle<typeof inspectionWorkflow>(inspectionWorkflowId(inspectionId));

  async function refusalOf(send: Promise<unknown>): Promise<string | undefined> {
    const error = await send.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    return ((error as WorkflowUpdateFailedError).cause as ApplicationFailure).type ?? undefined;
  }

  it('lists three findings, takes answers and decisions, escalates the unanswered one exactly at the end of the due day after the weekend, then closes on the decision', async () => {
    const now = await harness.env.currentTimeMs();
    const friday = nextFridayMorning(now);
    await harness.env.sleep(friday - now);
    const opened = await open('insp-1');
    // One working day after a Friday: the Monday (or the next working day after it), end of day in Beijing.
    const { dueAt } = addWorkingDays(new Date(friday).toISOString(), 1, loadChineseCalendar());
    expect(Date.parse(dueAt) - friday).toBeGreaterThan(3 * DAY_MS);
    expect(new Date(Date.parse(dueAt) + 8 * 3_600_000).toISOString()).toMatch(/T23:59:59\.999Z$/);
    expect(opened).toMatchObject({
      status: 'open',
      openedOn: new Date(friday + 8 * 3_600_000).toISOString().slice(0, 10),
      dueOn: new Date(Date.parse(dueAt) + 8 * 3_600_000).toISOString().slice(0, 10),
      dueAt,
    });
    expect(
      opened.findings.map(({ findingId, value, problem, serviceNumber }) => ({
        findingId,
        value,
        problem,
        serviceNumber,
      })),
    ).toEqual([
      { findingId: 'f1', value: 'com.example.unlisted', problem: 'unregistered', serviceNumber: undefined },
      {
        findingId: 'f2',
        value: 'com.example.maps',
        problem: 'mismatched',
        serviceNumber: `${VERIFY_SUBJECT}-1A`,
      },
      {
        findingId: 'f3',
        value: 'com.example.weather',
        problem: 'cancelled_but_served',
        serviceNumber: `${VERIFY_SUBJECT}-5A`,
      },
    ]);
    const handle = handleOf('insp-1');
    const answer = (findingId: string, answer: 'removed' | 'disputed', note?: string) =>
      handle.executeUpdate(answerFindingUpdate, {
        args: [
          {
            findingId,
            answer,
            ...(note ? { note } : {}),
            answeredBy: PARTY_USER,
            requestId: `answer-${findingId}`,
          },
        ],
      });
    const decide = (findingId: string) =>
      handle.executeUpdate(decideFindingUpdate, {
        args: [
          {
            findingId,
            decision: 'upheld',
            note: '责令下架',
            decidedBy: BUREAU,
            requestId: `decide-${findingId}`,
          },
        ],
      });

    expect(await answer('f1', 'removed')).toMatchObject({ findingId: 'f1', state: 'answered' });
    expect(await answer('f2', 'disputed', '该签名为正式渠道包')).toMatchObject({ state: 'answered' });
    expect(await refusalOf(answer('f1', 'disputed', '改口'))).toBe('finding_already_answered');
    expect(await refusalOf(decide('f1'))).toBe('finding_not_decidable');
    expect(await decide('f2')).toMatchObject({ state: 'decided', decision: { decision: 'upheld' } });

    // A minute before the end of the due day nothing has escalated.
    const untilDue = Date.parse(dueAt) - (await harness.env.currentTimeMs());
    await harness.env.sleep(untilDue - 60_000);
    expect((await handle.query(inspectionStateQuery))?.findings[2]?.state).toBe('open');
    await harness.env.sleep(120_000);
    const escalated = await eventually(async () => {
      const events = await harness.events('insp-1');
      return events.find((event) => event.type === 'FindingEscalated');
    });
    expect(escalated.data).toEqual({ findingId: 'f3', reason: 'overdue', dueAt: dueAt });
    const escalatedAt = Date.parse(complianceMetadataOf(escalated)?.occurredAt ?? '');
    expect(escalatedAt).toBeGreaterThan(Date.parse(dueAt));
    expect(escalatedAt).toBeLessThanOrEqual(Date.parse(dueAt) + 61_000);
    expect(complianceMetadataOf(escalated)?.recordedBy).toEqual({
      role: 'system',
      id: 'inspection-workflow',
    });
    expect(await handle.query(inspectionStateQuery)).toMatchObject({ status: 'escalated' });
    expect(await refusalOf(answer('f3', 'removed'))).toBe('finding_escalated');

    await decide('f3');
    expect(await handle.result()).toEqual({ status: 'closed', findings: 3, escalated: 1 });
    const events = await harness.events('insp-1');
    expect(events.map((event) => event.type)).toEqual([
      'InspectionOpened',
      'InspectionFindingsListed',
      'FindingAnswered',
      'FindingAnswered',
      'FindingDecided',
      'FindingEscalated',
      'FindingDecided',
      'InspectionClosed',
    ]);
    expect(verifyComplianceChain(inspectionStreamId('insp-1'), events)).toEqual([]);
  });

  it('a retried activity appends once: the second run decides on the stream as it is', async () => {
    const activities = createInspectionActivities(harness.activityDeps);
    const context = {
      inspectionId: 'insp-retry',
      at: OPENED_AT,
      recordedBy: BUREAU,
      causationId: 'request-retry',
    };
    const opening = {
      ...context,
      province: '440000',
      party: STORE,
      answerWithinWorkingDays: 2,
      due: { dueAt: DUE_AT, dueOn: '2026-10-08', provisional: false },
    };
    const first = await activities.openInspection(opening);
    const second = await activities.openInspection(opening);
    expect(revisionOf(second)).toBe(revisionOf(first));
    const answer = { ...context, recordedBy: PARTY_USER, findingId: 'f1', answer: 'removed' as const };
    await activities.recordFindingAnswer(answer);
    await activities.recordFindingAnswer(answer);
    expect((await harness.events('insp-retry')).map((event) => event.type)).toEqual([
      'InspectionOpened',
      'InspectionFindingsListed',
      'FindingAnswered',
    ]);
  });
});

function revisionOf(step: InspectionStep): number {
  if ('refused' in step) throw new Error(step.message);
  return step.revision;
}

async function eventually<T>(read: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
