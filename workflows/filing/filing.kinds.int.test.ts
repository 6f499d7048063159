import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { verifyFilingChain } from '../../events/filing/envelope';
import type { StoredFilingEnvelope } from '../../events/filing/filing-events';
import type { FilingKind, FilingTarget } from '../../events/filing/filing-kind';
import { filingStreamId } from '../../events/filing/stream-ids';
import type { RecordedEvent } from '../../events/ports/event-log.port';
import { serviceStreamId } from '../../events/registry/registry-streams';
import { readOutbox } from '../../infra/notify/outbox';
import { readRegisteredVersion } from '../../services/registrations/registered-version';
import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import { createRegistryUpdater } from '../../activities/registry-updates/registry-updater';
import { APPLICANT, bureauOf, FilingHarness, PLATFORM } from '../../test/temporal/filing-harness';
import { runKindsWorker } from '../../test/temporal/kinds-worker';
import {
  bureauReviewUpdate,
  type FilingWorkflowInput,
  platformReviewUpdate,
  smsVerificationUpdate,
  withdrawalUpdate,
} from './filing.definitions';
import { filingWorkflow } from './filing.workflow';

type Handle = WorkflowHandle<typeof filingWorkflow>;
const GUANGDONG = bureauOf('440000');
/** valid-app's app principal and operator principal: mobile and the last six of the ID number. */
const APP_PRINCIPAL = { mobile: '+8613900139000', idLast6: '150043' };
const OPERATOR_PRINCIPAL = { mobile: '13800138000', idLast6: '120036' };

const toEnvelopes = (events: RecordedEvent[]): StoredFilingEnvelope[] =>
  events.map(
    (e) =>
      ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata }) as unknown as StoredFilingEnvelope,
  );

describe('filings of other kinds on the time-skipping test server', () => {
  let harness: FilingHarness;
  let worker: { stop(): Promise<void> };
  let counter = 0;
  const action = (what: string): string => `${what}-${(counter += 1)}`;

  beforeAll(async () => {
    harness = await FilingHarness.start();
    worker = await runKindsWorker(harness);
  });
  afterAll(async () => {
    if (!harness) return;
    const reports = await harness.auditStartedFilings();
    await worker?.stop();
    await harness.stop();
    expect(reports.filter((report) => report.findings.length > 0).map((report) => report.findings)).toEqual(
      [],
    );
  });

  async function start(form: unknown, kind?: FilingKind, target?: FilingTarget): Promise<Handle> {
    const filingId = randomUUID();
    harness.startedFilingIds.push(filingId);
    const input: FilingWorkflowInput = {
      filingId,
      form,
      actor: PLATFORM,
      actionId: `submit-${filingId}`,
      correlationId: filingId,
      ...(kind && { kind }),
      ...(target && { target }),
    };
    return harness.client.workflow.start(filingWorkflow, {
      args: [input],
      taskQueue: harness.taskQueue,
      workflowId: filingStreamId(filingId),
    });
  }

  /** Platform approval, the 12381 check by `person`, bureau approval. */
  async function approveThrough(handle: Handle, person: { mobile: string; idLast6: string }) {
    await harness.waitForStatus(handle, 'platform_review');
    await handle.executeUpdate(platformReviewUpdate, {
      args: [{ actor: PLATFORM, decision: 'approve' }],
      updateId: action('pr'),
    });
    await harness.waitForStatus(handle, 'sms_verification');
    const sealedAnswer = harness.seal(harness.latestCode(person.mobile), person.idLast6);
    const checked = await handle.executeUpdate(smsVerificationUpdate, {
      args: [{ actor: APPLICANT, sealedAnswer }],
      updateId: action('sms'),
    });
    expect(checked.verified).toBe(true);
    await harness.waitForStatus(handle, 'bureau_review');
    await handle.executeUpdate(bureauReviewUpdate, {
      args: [{ actor: GUANGDONG, decision: 'approve' }],
      updateId: action('br'),
    });
  }

  const filingIdOf = (handle: Handle) => handle.workflowId.replace(/^filing-/, '');

  /** A new registration of valid-app (with its own package names), carried to its number. */
  async function registered(suffix: string) {
    const form = withPackages(loadValidForm('valid-app'), suffix);
    const handle = await start(form);
    await approveThrough(handle, APP_PRINCIPAL);
    const outcome = await handle.result();
    expect(outcome.status).toBe('completed');
    const serviceNumber = String(outcome.registrationNumber);
    return {
      form,
      serviceNumber,
      subjectNumber: serviceNumber.replace(/-\d+A$/, ''),
      filingId: filingIdOf(handle),
    };
  }

  it('carries a change of the subject and the service through the same stages to the registry, keeping the number', async () => {
    const base = await registered('c1');
    const proposed = withPackages(loadValidForm('valid-app'), 'c1-new');
    (proposed.operator as Record<string, unknown>).address = '深圳市南山区新址路 8 号';
    const target: FilingTarget = {
      subjectNumber: base.subjectNumber,
      serviceNumber: base.serviceNumber,
      alters: { subject: true, service: true },
      baseFilingId: base.filingId,
    };
    const handle = await start(proposed, 'change', target);
    const codesBefore = readOutbox(harness.config.dataDir, { to: APP_PRINCIPAL.mobile, limit: 50 }).length;
    // A change of the subject's sections is verified by the subject's principal.
    await approveThrough(handle, OPERATOR_PRINCIPAL);
    const outcome = await handle.result();
    expect(readOutbox(harness.config.dataDir, { to: APP_PRINCIPAL.mobile, limit: 50 }).length).toBe(
      codesBefore,
    );

    expect(outcome).toMatchObject({ status: 'completed', registrationNumber: base.serviceNumber });
    const filingId = filingIdOf(handle);
    const events = await harness.events(filingId);
    expect(events.map((e) => e.type)).toEqual([
      'FilingSubmitted',
      'PlatformReviewStarted',
      'PlatformReviewApproved',
      'SmsVerificationSent',
      'SmsVerified',
      'BureauReviewStarted',
      'BureauReviewApproved',
      'FilingAppliedToRegistry',
      'RegistrationPublished',
      'ApplicantNotified',
    ]);
    expect(events[0]?.data).toMatchObject({ kind: 'change', target });
    expect(events[7]?.data).toEqual({
      subjectNumber: base.subjectNumber,
      serviceNumbers: [base.serviceNumber],
    });
    expect(verifyFilingChain(filingId, toEnvelopes(events))).toEqual([]);

    // The registry holds the new version, made by this filing; the first version stays in its stream.
    const service = await harness.eventLog.readStream(serviceStreamId(base.serviceNumber));
    expect(service.map((e) => e.type)).toEqual(['ServiceRegistered', 'ServiceChanged']);
    expect(service[1]?.data).toMatchObject({ filingId, version: 2 });
    const version = await readRegisteredVersion(harness.eventLog, base.serviceNumber);
    expect(version?.filing?.filingId).toBe(filingId);
    expect(version?.filing?.form.operator?.address).toBe('深圳市南山区新址路 8 号');
  });

  it('verifies a service cancellation with the app’s principal, and returns it when the registry changed meanwhile', async () => {
    const base = await registered('c2');
    const target: FilingTarget = {
      subjectNumber: base.subjectNumber,
      serviceNumber: base.serviceNumber,
      baseFilingId: base.filingId,
    };
    const handle = await start(base.form, 'cancellation', target);
    await harness.waitForStatus(handle, 'platform_review');
    await handle.executeUpdate(platformReviewUpdate, {
      args: [{ actor: PLATFORM, decision: 'approve' }],
      updateId: action('pr'),
    });
    await harness.waitForStatus(handle, 'sms_verification');
    const sealedAnswer = harness.seal(harness.latestCode(APP_PRINCIPAL.mobile), APP_PRINCIPAL.idLast6);
    await handle.executeUpdate(smsVerificationUpdate, {
      args: [{ actor: APPLICANT, sealedAnswer }],
      updateId: action('sms'),
    });
    await harness.waitForStatus(handle, 'bureau_review');

    // Another cancellation of the same service is applied before the bureau decides this one.
    const applied = await createRegistryUpdater({ eventLog: harness.eventLog }).apply({
      filingId: randomUUID(),
      kind: 'cancellation',
      target,
      provinceCode: '440000',
      subjectKey: 'uscc:91440300MA5G2K8L3X',
      at: new Date().toISOString(),
    });
    expect(applied).toEqual({ subjectNumber: base.subjectNumber, serviceNumbers: [base.serviceNumber] });

    await handle.executeUpdate(bureauReviewUpdate, {
      args: [{ actor: GUANGDONG, decision: 'approve' }],
      updateId: action('br'),
    });
    await harness.waitForStatus(handle, 'returned_for_correction');
    const last = (await harness.events(filingIdOf(handle))).at(-1);
    expect(last).toMatchObject({ type: 'RegistrationNumberRefused', data: { refusal: 'registry_changed' } });
    // A cancellation cannot be withdrawn: the platform rejects it on its next review.
    await expect(
      handle.executeUpdate(withdrawalUpdate, { args: [{ actor: PLATFORM }], updateId: action('wd') }),
    ).rejects.toThrow(/Update failed/);
  });

  it('cancels the whole subject with every active service, verified by the subject’s principal, under the subject number', async () => {
    const base = await registered('c3');
    const target: FilingTarget = { subjectNumber: base.subjectNumber, baseFilingId: base.filingId };
    const handle = await start(base.form, 'cancellation', target);
    await approveThrough(handle, OPERATOR_PRINCIPAL);
    const outcome = await handle.result();
    expect(outcome).toMatchObject({ status: 'completed', registrationNumber: base.subjectNumber });

    const applied = (await harness.events(filingIdOf(handle))).find(
      (e) => e.type === 'FilingAppliedToRegistry',
    );
    const serviceNumbers = (applied?.data as { serviceNumbers: string[] }).serviceNumbers;
    expect(serviceNumbers).toContain(base.serviceNumber);
    for (const serviceNumber of serviceNumbers) {
      const version = await readRegisteredVersion(harness.eventLog, serviceNumber);
      expect(version?.service.status).toBe('cancelled');
    }
  });
});

/** valid-app with its package names and bundle id made distinct by `suffix` (identifiers are unique). */
function withPackages(form: Record<string, unknown>, suffix: string): Record<string, unknown> {
  const app = form.app as { platforms: Array<Record<string, unknown>> };
  const tag = suffix.replace(/[^a-z0-9]/g, '');
  const platforms = app.platforms.map((platform) =>
    platform.os === 'ios'
      ? { ...platform, bundleId: `com.example.ledger.${tag}` }
      : { ...platform, packageName: `com.example.${String(platform.os)}.${tag}` },
  );
  return { ...form, app: { ...app, platforms } };
}
