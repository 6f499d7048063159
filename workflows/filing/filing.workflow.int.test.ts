import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { foldFiling } from '../../events/filing/evolve';
import { verifyFilingChain } from '../../events/filing/envelope';
import { FILING_SCHEMA_VERSION, type StoredFilingEnvelope } from '../../events/filing/filing-events';
import { upcastFilingEnvelope } from '../../events/filing/upcast';
import { filingStatusView } from '../../events/filing/filing-view';
import type { RecordedEvent } from '../../events/ports/event-log.port';
import { filingDataConverter } from '../../infra/temporal/payload-keys';
import { WORKFLOWS_PATH } from '../../main/worker/create-worker';
import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import { EXISTING_SUBJECT_OF_FIXTURE, registerImportedSubject } from '../../test/support/registry-subjects';
import { APPLICANT, bureauOf, FilingHarness, PLATFORM } from '../../test/temporal/filing-harness';
import {
  bureauReviewUpdate,
  correctionUpdate,
  platformReviewUpdate,
  resubmissionUpdate,
  smsResendUpdate,
  smsVerificationUpdate,
  statusQuery,
  withdrawalUpdate,
} from './filing.definitions';
import type { filingWorkflow } from './filing.workflow';

type Handle = WorkflowHandle<typeof filingWorkflow>;
const HOUR = 3_600_000;
const GUANGDONG = bureauOf('440000');
const APP_MOBILE = '+8613900139000';
const APP_ID_LAST6 = '150043';

/** The envelopes as stored: what the hash chain covers. */
const toEnvelopes = (events: RecordedEvent[]): StoredFilingEnvelope[] =>
  events.map(
    (e) =>
      ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata }) as unknown as StoredFilingEnvelope,
  );

describe('filingWorkflow on the time-skipping test server', () => {
  let harness: FilingHarness;
  let bundle: WorkflowBundleWithSourceMap;
  let counter = 0;
  const action = (what: string): string => `${what}-${(counter += 1)}`;

  beforeAll(async () => {
    bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
    harness = await FilingHarness.start();
    await harness.runWorker(bundle);
  });
  afterAll(async () => {
    if (!harness) return;
    // Whatever each test did, an auditor replaying the log finds nothing wrong with it.
    const reports = await harness.auditStartedFilings();
    await harness.stop();
    expect(reports.filter((report) => report.findings.length > 0).map((report) => report.findings)).toEqual(
      [],
    );
    expect(reports.length).toBeGreaterThan(0);
  });

  const approvePlatform = (h: Handle) =>
    h.executeUpdate(platformReviewUpdate, {
      args: [{ actor: PLATFORM, decision: 'approve' }],
      updateId: action('pr'),
    });
  const verifySms = async (h: Handle, mobile = APP_MOBILE, idLast6 = APP_ID_LAST6) => {
    await harness.waitForStatus(h, 'sms_verification');
    const sealedAnswer = harness.seal(harness.latestCode(mobile), idLast6);
    return h.executeUpdate(smsVerificationUpdate, {
      args: [{ actor: APPLICANT, sealedAnswer }],
      updateId: action('sms'),
    });
  };
  /** Today's code replays the history it just recorded (patch markers where it calls `patched`). */
  const expectReplays = async (h: Handle) => {
    const history = await h.fetchHistory();
    await expect(
      Worker.runReplayHistory(
        { workflowBundle: bundle, dataConverter: filingDataConverter(harness.config) },
        history,
        h.workflowId,
      ),
    ).resolves.toBeUndefined();
    return history;
  };
  const patchMarkers = (history: Awaited<ReturnType<Handle['fetchHistory']>>): string[] =>
    (history.events ?? []).flatMap((event) => {
      const marker = event.markerRecordedEventAttributes;
      const payload = marker?.details?.['patch-data']?.payloads?.[0]?.data;
      if (marker?.markerName !== 'core_patch' || !payload) return [];
      return [(JSON.parse(Buffer.from(payload).toString('utf8')) as { id: string }).id];
    });

  /** Withdrawal ends with the platform's approval: a filing past it is closed by the bureau. */
  const refuseWithdrawal = async (h: Handle) => {
    const before = await harness.eventTypes(h.workflowId.slice(7));
    const late = h.executeUpdate(withdrawalUpdate, { args: [{ actor: PLATFORM }], updateId: action('wd') });
    await expect(late).rejects.toMatchObject({ cause: { type: 'wrong_stage' } });
    expect(await harness.eventTypes(h.workflowId.slice(7))).toEqual(before);
  };
  const rejectInBureau = async (h: Handle) => {
    await harness.waitForStatus(h, 'bureau_review');
    await h.executeUpdate(bureauReviewUpdate, {
      args: [{ actor: GUANGDONG, decision: 'reject', reasons: '测试结束，驳回' }],
      updateId: action('br'),
    });
    expect((await harness.outcome(h)).status).toBe('rejected');
  };
  const approveBureau = async (h: Handle, bureau = GUANGDONG) => {
    await harness.waitForStatus(h, 'bureau_review');
    return h.executeUpdate(bureauReviewUpdate, {
      args: [{ actor: bureau, decision: 'approve' }],
      updateId: action('br'),
    });
  };

  async function runToRegistration(
    form: Record<string, unknown>,
    bureau = GUANGDONG,
    mobile = APP_MOBILE,
    id6 = APP_ID_LAST6,
  ) {
    const handle = await harness.startFiling(form);
    await harness.waitForStatus(handle, 'platform_review');
    await approvePlatform(handle);
    expect((await verifySms(handle, mobile, id6)).verified).toBe(true);
    await approveBureau(handle, bureau);
    return { handle, outcome: await harness.outcome(handle) };
  }

  it('carries an app from submission to 粤ICP备…号-1A with a verifiable log', async () => {
    const { handle, outcome } = await runToRegistration(loadValidForm('valid-app'));
    const filingId = handle.workflowId.replace(/^filing-/, '');
    const events = await harness.events(filingId);

    expect(outcome.status).toBe('completed');
    expect(outcome.registrationNumber).toMatch(/^粤ICP备\d{4}\d{6}号-1A$/);
    expect(events.map((e) => e.type)).toEqual([
      'FilingSubmitted',
      'PlatformReviewStarted',
      'PlatformReviewApproved',
      'SmsVerificationSent',
      'SmsVerified',
      'BureauReviewStarted',
      'BureauReviewApproved',
      'RegistrationNumberIssued',
      'RegistrationPublished',
      'ApplicantNotified',
    ]);
    expect(verifyFilingChain(filingId, toEnvelopes(events))).toEqual([]);
    expect(outcome.revision).toBe(events.length - 1);
    expect(events.map((e) => (e.metadata as { schemaVersion: number }).schemaVersion)).toEqual(
      events.map(() => FILING_SCHEMA_VERSION),
    );
    // Each review records the working-day allowance its deadline was computed with.
    expect(events.filter((e) => e.type.endsWith('ReviewStarted')).map((e) => e.data)).toEqual([
      { dueAt: expect.any(String), provisional: expect.any(Boolean), workingDays: 2, round: 1 },
      {
        dueAt: expect.any(String),
        provisional: expect.any(Boolean),
        workingDays: 20,
        province: '440000',
      },
    ]);

    const folded = foldFiling(toEnvelopes(events).map(upcastFilingEnvelope));
    const head = {
      revision: events.length - 1,
      lastHash: String((events.at(-1)?.metadata as { hash: string }).hash),
    };
    expect(await handle.query(statusQuery)).toEqual(filingStatusView(filingId, folded, head));
  });

  it('numbers a mini program with X, and a subject’s second app -2A', async () => {
    const mini = await runToRegistration(
      loadValidForm('valid-mini-program'),
      bureauOf('510000'),
      '13600136000',
      '180020',
    );
    expect(mini.outcome.registrationNumber).toMatch(/^川ICP备\d{10}号-1X$/);

    const first = await runToRegistration(loadValidForm('valid-app'));
    const second = await runToRegistration({
      ...loadValidForm('valid-app'),
      app: { ...(loadValidForm('valid-app').app as object), name: '示例记账二' },
    });
    const subject = (n?: string) => n?.replace(/-\d+A$/, '');
    expect(subject(second.outcome.registrationNumber)).toBe(subject(first.outcome.registrationNumber));
    const n = (x?: string) => Number(/-(\d+)A$/.exec(x ?? '')?.[1]);
    expect(n(second.outcome.registrationNumber)).toBe(n(first.outcome.registrationNumber) + 1);
  });

  it('keeps the subject number an operator already holds, publishing the registry’s operator name', async () => {
    await registerImportedSubject(harness.eventLog, EXISTING_SUBJECT_OF_FIXTURE);
    const { handle, outcome } = await runToRegistration(
      loadValidForm('valid-existing-subject'),
      bureauOf('310000'),
      '13500135000',
      '090052',
    );
    expect(outcome.registrationNumber).toBe('沪ICP备2021012345号-1A');
    const events = await harness.events(handle.workflowId.replace(/^filing-/, ''));
    expect(events.find((e) => e.type === 'RegistrationPublished')?.data).toMatchObject({
      registrationNumber: '沪ICP备2021012345号-1A',
      operatorName: EXISTING_SUBJECT_OF_FIXTURE.operatorName,
    });
  });

  it('returns the filing to its platform when the registry does not back its subject number at issuance', async () => {
    // A form that passed the submission check can still lose its subject to a race; here none was
    // ever registered under this certificate in Zhejiang.
    const form = { ...loadValidForm('valid-existing-subject'), existingSubjectNumber: '浙ICP备2021012345号' };
    const handle = await harness.startFiling(form);
    await harness.waitForStatus(handle, 'platform_review');
    await approvePlatform(handle);
    expect((await verifySms(handle, '13500135000', '090052')).verified).toBe(true);
    await approveBureau(handle, bureauOf('330000'));
    await harness.waitForStatus(handle, 'returned_for_correction');

    const filingId = handle.workflowId.replace(/^filing-/, '');
    const refused = (await harness.events(filingId)).at(-1);
    expect(refused).toMatchObject({
      type: 'RegistrationNumberRefused',
      data: { refusal: 'subject_not_registered', reasons: expect.stringContaining('浙ICP备2021012345号') },
    });
    await handle.executeUpdate(withdrawalUpdate, { args: [{ actor: PLATFORM }], updateId: action('wd') });
    expect((await harness.outcome(handle)).status).toBe('withdrawn');
  });

  it('ends a filing the platform rejects', async () => {
    const handle = await harness.startFiling(loadValidForm('valid-app'));
    await harness.waitForStatus(handle, 'platform_review');
    await handle.executeUpdate(platformReviewUpdate, {
      args: [{ actor: PLATFORM, decision: 'reject', reasons: '应用名称与实际服务不符' }],
      updateId: action('pr'),
    });
    const outcome = await harness.outcome(handle);
    expect(outcome.status).toBe('rejected');
    expect((await harness.eventTypes(handle.workflowId.slice(7))).at(-1)).toBe('PlatformReviewRejected');
  });

  it('returns a filing for correction and reviews the corrected form again', async () => {
    const handle = await harness.startFiling(loadValidForm('valid-app'));
    await harness.waitForStatus(handle, 'platform_review');
    await handle.executeUpdate(platformReviewUpdate, {
      args: [{ actor: PLATFORM, decision: 'return', reasons: '请补充服务内容说明' }],
      updateId: action('pr'),
    });
    const corrected = await handle.executeUpdate(correctionUpdate, {
      args: [{ actor: PLATFORM, form: loadValidForm('valid-app') }],
      updateId: action('fix'),
    });
    expect(corrected.status).toBe('submitted');
    await harness.waitForStatus(handle, 'platform_review');
    await approvePlatform(handle);
    await harness.waitForStatus(handle, 'sms_verification');
    expect(await harness.eventTypes(handle.workflowId.slice(7))).toEqual([
      'FilingSubmitted',
      'PlatformReviewStarted',
      'FilingReturnedForCorrection',
      'FilingCorrected',
      'PlatformReviewStarted',
      'PlatformReviewApproved',
      'SmsVerificationSent',
    ]);
    await refuseWithdrawal(handle);
    expect((await verifySms(handle)).verified).toBe(true);
    await rejectInBureau(handle);
  });

  it('requires the bureau’s explanation to reject, and ends the filing with it', async () => {
    const handle = await harness.startFiling(loadValidForm('valid-app'));
    await harness.waitForStatus(handle, 'platform_review');
    await approvePlatform(handle);
    await verifySms(handle);
    await harness.waitForStatus(handle, 'bureau_review');
    const filingId = handle.workflowId.slice(7);
    const before = (await harness.events(filingId)).length;

    const empty = handle.executeUpdate(bureauReviewUpdate, {
      args: [{ actor: GUANGDONG, decision: 'reject', reasons: '  ' }],
      updateId: action('br'),
    });
    await expect(empty).rejects.toThrow(WorkflowUpdateFailedError);
    await expect(empty).rejects.toMatchObject({ cause: { type: 'invalid_command' } });
    expect(await harness.events(filingId)).toHaveLength(before);

    await handle.executeUpdate(bureauReviewUpdate, {
      args: [{ actor: GUANGDONG, decision: 'reject', reasons: '前置审批文件与服务内容不符' }],
      updateId: action('br'),
    });
    const outcome = await harness.outcome(handle);
    expect(outcome.status).toBe('rejected');
    const last = (await harness.events(filingId)).at(-1);
    expect(last).toMatchObject({
      type: 'BureauReviewRejected',
      data: { reasons: '前置审批文件与服务内容不符' },
    });
  });

  it('refuses a decision in the wrong stage or out of the caller’s scope, writing nothing', async () => {
    const handle = await harness.startFiling(loadValidForm('valid-app'));
    await harness.waitForStatus(handle, 'platform_review');
    const filingId = handle.workflowId.slice(7);
    const before = await harness.eventTypes(filingId);

    const early = handle.executeUpdate(bureauReviewUpdate, {
      args: [{ actor: GUANGDONG, decision: 'approve' }],
      updateId: action('x'),
    });
    await expect(early).rejects.toMatchObject({ cause: { type: 'wrong_stage' } });
    const otherPlatform = { ...PLATFORM, platformId: 'alipay' };
    const foreign = handle.executeUpdate(platformReviewUpdate, {
      args: [{ actor: otherPlatform, decision: 'approve' }],
      updateId: action('x'),
    });
    await expect(foreign).rejects.toMatchObject({ cause: { type: 'out_of_scope' } });
    expect(await harness.eventTypes(filingId)).toEqual(before);

    const id = action('pr');
    const once = await handle.executeUpdate(platformReviewUpdate, {
      args: [{ actor: PLATFORM, decision: 'approve' }],
      updateId: id,
    });
    const again = await handle.executeUpdate(platformReviewUpdate, {
      args: [{ actor: PLATFORM, decision: 'approve' }],
      updateId: id,
    });
    expect(again).toEqual(once);
    expect((await harness.eventTypes(filingId)).filter((t) => t === 'PlatformReviewApproved')).toHaveLength(
      1,
    );
    // Approved by the platform, the filing can no longer be withdrawn: not in SMS, not in bureau review.
    await harness.waitForStatus(handle, 'sms_verification');
    await refuseWithdrawal(handle);
    expect((await verifySms(handle)).verified).toBe(true);
    await harness.waitForStatus(handle, 'bureau_review');
    await refuseWithdrawal(handle);
    await rejectInBureau(handle);
    await expectReplays(handle);
  });

  it('lets exactly one of an approval and a withdrawal sent together through, and replays either outcome', async () => {
    const handle = await harness.startFiling(loadValidForm('valid-app'));
    await harness.waitForStatus(handle, 'platform_review');
    const [approve, withdraw] = await Promise.allSettled([
      handle.executeUpdate(platformReviewUpdate, {
        args: [{ actor: PLATFORM, decision: 'approve' }],
        updateId: action('pr'),
      }),
      handle.executeUpdate(withdrawalUpdate, { args: [{ actor: PLATFORM }], updateId: action('wd') }),
    ]);
    expect([approve.status, withdraw.status].sort()).toEqual(['fulfilled', 'rejected']);
    const loser = approve.status === 'rejected' ? approve : withdraw;
    expect((loser as PromiseRejectedResult).reason).toMatchObject({ cause: { type: 'wrong_stage' } });
    const types = await harness.eventTypes(handle.workflowId.slice(7));
    if (withdraw.status === 'fulfilled') {
      expect(types).toEqual(['FilingSubmitted', 'PlatformReviewStarted', 'FilingWithdrawn']);
    } else {
      expect(types.slice(0, 3)).toEqual([
        'FilingSubmitted',
        'PlatformReviewStarted',
        'PlatformReviewApproved',
      ]);
      expect(types).not.toContain('FilingWithdrawn');
      expect((await verifySms(handle)).verified).toBe(true);
      await rejectInBureau(handle);
    }
    await harness.outcome(handle);
    await expectReplays(handle);
  });

  it('returns the filing after five wrong codes; after resubmission only the new code works', async () => {
    const handle = await harness.startFiling(loadValidForm('valid-app'));
    await harness.waitForStatus(handle, 'platform_review');
    await approvePlatform(handle);
    await harness.waitForStatus(handle, 'sms_verification');
    const firstCode = harness.latestCode(APP_MOBILE);
    const wrongCode = firstCode === '000000' ? '111111' : '000000';

    const attemptsLeft: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const result = await handle.executeUpdate(smsVerificationUpdate, {
        args: [{ actor: APPLICANT, sealedAnswer: harness.seal(wrongCode, APP_ID_LAST6) }],
        updateId: action('sms'),
      });
      attemptsLeft.push(result.attemptsLeft);
    }
    expect(attemptsLeft).toEqual([4, 3, 2, 1, 0]);
    expect((await handle.query(statusQuery)).status).toBe('returned_to_platform');

    await handle.executeUpdate(resubmissionUpdate, { args: [{ actor: PLATFORM }], updateId: action('re') });
    await harness.waitForStatus(handle, 'platform_review');
    await approvePlatform(handle);
    await harness.waitForStatus(handle, 'sms_verification');
    const stale = await handle.executeUpdate(smsVerificationUpdate, {
      args: [{ actor: APPLICANT, sealedAnswer: harness.seal(firstCode, APP_ID_LAST6) }],
      updateId: action('sms'),
    });
    expect(stale.verified).toBe(false);
    expect((await verifySms(handle)).verified).toBe(true);

    const types = await harness.eventTypes(handle.workflowId.slice(7));
    expect(types.filter((t) => t === 'SmsVerificationSent')).toHaveLength(2);
    expect(types).toContain('FilingReturnedToPlatform');
    expect(types).toContain('FilingResubmitted');
    await rejectInBureau(handle);
  });

  it('returns the filing when 24 hours pass without a correct code', async () => {
    const handle = await harness.startFiling(loadValidForm('valid-app'));
    await harness.waitForStatus(handle, 'platform_review');
    await approvePlatform(handle);
    const sms = await harness.waitForStatus(handle, 'sms_verification');

    await harness.env.sleep(24 * HOUR + 60_000);
    await harness.waitForStatus(handle, 'returned_to_platform');

    const events = await harness.events(handle.workflowId.slice(7));
    const expired = events.find((e) => e.type === 'SmsVerificationExpired');
    expect(expired?.data).toMatchObject({ expiresAt: sms.dueBy });
    expect(
      Date.parse(String((expired?.metadata as { occurredAt: string }).occurredAt)),
    ).toBeGreaterThanOrEqual(Date.parse(String(sms.dueBy)));
    expect(events.at(-1)).toMatchObject({
      type: 'FilingReturnedToPlatform',
      data: { reason: 'sms_expired' },
    });
    await handle.executeUpdate(withdrawalUpdate, { args: [{ actor: PLATFORM }], updateId: action('wd') });
    await harness.outcome(handle);
  });

  it('after the SMS window expired, takes a form with a new mobile, reviews it again and texts the new mobile', async () => {
    const handle = await harness.startFiling(loadValidForm('valid-app'));
    await harness.waitForStatus(handle, 'platform_review');
    await approvePlatform(handle);
    await harness.waitForStatus(handle, 'sms_verification');
    await harness.env.sleep(24 * HOUR + 60_000);
    await harness.waitForStatus(handle, 'returned_to_platform');
    // The last code the old mobile got (a noon resend may have replaced the first within the window).
    const oldCode = harness.latestCode(APP_MOBILE);

    const newMobile = '+8613600136000';
    const form = loadValidForm('valid-app');
    (form.appPrincipal as Record<string, unknown>).mobile = newMobile;
    const corrected = await handle.executeUpdate(correctionUpdate, {
      args: [{ actor: PLATFORM, form }],
      updateId: action('fix'),
    });
    expect(corrected.status).toBe('submitted');
    await harness.waitForStatus(handle, 'platform_review');
    await approvePlatform(handle);
    await harness.waitForStatus(handle, 'sms_verification');

    // The new round's code went to the new mobile; the old mobile got nothing new, its code is dead.
    expect(harness.latestCode(APP_MOBILE)).toBe(oldCode);
    const stale = await handle.executeUpdate(smsVerificationUpdate, {
      args: [{ actor: APPLICANT, sealedAnswer: harness.seal(oldCode, APP_ID_LAST6) }],
      updateId: action('sms'),
    });
    expect(stale.verified).toBe(oldCode === harness.latestCode(newMobile));
    expect((await verifySms(handle, newMobile)).verified).toBe(true);
    await harness.waitForStatus(handle, 'bureau_review');
    // Whether the noon resend came within the first window depends on the hour the test runs.
    const types = await harness.eventTypes(handle.workflowId.slice(7));
    expect(types.filter((type) => type !== 'SmsVerificationResent')).toEqual([
      'FilingSubmitted',
      'PlatformReviewStarted',
      'PlatformReviewApproved',
      'SmsVerificationSent',
      'SmsVerificationExpired',
      'FilingReturnedToPlatform',
      'FilingCorrected',
      'PlatformReviewStarted',
      'PlatformReviewApproved',
      'SmsVerificationSent',
      ...(oldCode === harness.latestCode(newMobile) ? [] : ['SmsVerificationFailed']),
      'SmsVerified',
      'BureauReviewStarted',
    ]);
    await rejectInBureau(handle);
  });

  it('takes a filing the bureau returned through correction, platform review and a new SMS round back to the bureau', async () => {
    const handle = await harness.startFiling(loadValidForm('valid-app'));
    await harness.waitForStatus(handle, 'platform_review');
    await approvePlatform(handle);
    expect((await verifySms(handle)).verified).toBe(true);
    await harness.waitForStatus(handle, 'bureau_review');
    const filingId = handle.workflowId.slice(7);

    const withoutFields = handle.executeUpdate(bureauReviewUpdate, {
      args: [{ actor: GUANGDONG, decision: 'return', reasons: '请修改' }],
      updateId: action('br'),
    });
    await expect(withoutFields).rejects.toMatchObject({ cause: { type: 'invalid_command' } });
    const fieldReasons = [
      { path: 'app.platforms.0.packageName', problem: '包名与安装包不一致', suggestion: '按安装包填写' },
    ];
    const returned = await handle.executeUpdate(bureauReviewUpdate, {
      args: [{ actor: GUANGDONG, decision: 'return', reasons: '请核对应用信息', fieldReasons }],
      updateId: action('br'),
    });
    expect(returned).toMatchObject({
      status: 'returned_for_correction',
      returnedBy: 'bureau',
      reasons: '请核对应用信息',
      fieldReasons,
    });

    await handle.executeUpdate(correctionUpdate, {
      args: [{ actor: PLATFORM, form: loadValidForm('valid-app') }],
      updateId: action('fix'),
    });
    await harness.waitForStatus(handle, 'platform_review');
    await approvePlatform(handle);
    expect((await verifySms(handle)).verified).toBe(true);
    const again = await harness.waitForStatus(handle, 'bureau_review');
    expect(again).toMatchObject({ status: 'bureau_review', stage: 'bureau_review' });

    const events = await harness.events(filingId);
    expect(events.map((e) => e.type)).toEqual([
      'FilingSubmitted',
      'PlatformReviewStarted',
      'PlatformReviewApproved',
      'SmsVerificationSent',
      'SmsVerified',
      'BureauReviewStarted',
      'BureauReviewReturned',
      'FilingCorrected',
      'PlatformReviewStarted',
      'PlatformReviewApproved',
      'SmsVerificationSent',
      'SmsVerified',
      'BureauReviewStarted',
    ]);
    expect(events.find((e) => e.type === 'BureauReviewReturned')?.data).toEqual({
      reasons: '请核对应用信息',
      fieldReasons,
    });
    expect(
      events.filter((e) => e.type === 'SmsVerificationSent').map((e) => (e.data as { round: number }).round),
    ).toEqual([1, 2]);
    await approveBureau(handle);
    expect((await harness.outcome(handle)).status).toBe('completed');
    await expectReplays(handle);
  });

  it('resends the code once on request: a new code, the old one dead, the window unchanged', async () => {
    const handle = await harness.startFiling(loadValidForm('valid-app'));
    await harness.waitForStatus(handle, 'platform_review');
    await approvePlatform(handle);
    const sms = await harness.waitForStatus(handle, 'sms_verification');
    const filingId = handle.workflowId.slice(7);
    const firstCode = harness.latestCode(APP_MOBILE);

    const resent = await handle.executeUpdate(smsResendUpdate, {
      args: [{ actor: PLATFORM }],
      updateId: action('resend'),
    });
    expect(resent).toMatchObject({ status: 'sms_verification', dueBy: sms.dueBy });
    const again = handle.executeUpdate(smsResendUpdate, {
      args: [{ actor: PLATFORM }],
      updateId: action('resend'),
    });
    await expect(again).rejects.toMatchObject({ cause: { type: 'wrong_stage' } });
    const foreign = handle.executeUpdate(smsResendUpdate, {
      args: [{ actor: { ...PLATFORM, platformId: 'alipay' } }],
      updateId: action('resend'),
    });
    await expect(foreign).rejects.toMatchObject({ cause: { type: 'out_of_scope' } });

    const events = await harness.events(filingId);
    expect(events.at(-1)).toMatchObject({
      type: 'SmsVerificationResent',
      data: {
        challengeId: `${filingId}:sms:1:1`,
        previousChallengeId: `${filingId}:sms:1`,
        trigger: 'requested',
        expiresAt: sms.dueBy,
      },
    });
    const newCode = harness.latestCode(APP_MOBILE);
    // The old code counts as a wrong answer (unless the new one happens to be the same six digits).
    const stale = await handle.executeUpdate(smsVerificationUpdate, {
      args: [{ actor: APPLICANT, sealedAnswer: harness.seal(firstCode, APP_ID_LAST6) }],
      updateId: action('sms'),
    });
    expect(stale.verified).toBe(firstCode === newCode);
    if (firstCode !== newCode) expect(stale.attemptsLeft).toBe(4);
    if (!stale.verified) expect((await verifySms(handle)).verified).toBe(true);
    await rejectInBureau(handle);
  });

  it('resends the code by itself at noon China time the next day, while the window is open', async () => {
    // Send the SMS after noon China time, so the next day's noon falls inside its 24-hour window.
    const chinaMs = (await harness.env.currentTimeMs()) + 8 * HOUR;
    const sinceMidnight = chinaMs % (24 * HOUR);
    if (sinceMidnight < 13 * HOUR) await harness.env.sleep(13 * HOUR - sinceMidnight);

    const handle = await harness.startFiling(loadValidForm('valid-app'));
    await harness.waitForStatus(handle, 'platform_review');
    await approvePlatform(handle);
    const sms = await harness.waitForStatus(handle, 'sms_verification');
    const filingId = handle.workflowId.slice(7);
    const firstCode = harness.latestCode(APP_MOBILE);
    const sentChina = Date.parse(String(sms.dueBy)) - 24 * HOUR + 8 * HOUR;
    const noon = sentChina - (sentChina % (24 * HOUR)) + 24 * HOUR + 12 * HOUR - 8 * HOUR;

    await harness.env.sleep(noon - (await harness.env.currentTimeMs()) - 60_000);
    expect((await harness.eventTypes(filingId)).at(-1)).toBe('SmsVerificationSent');
    await harness.env.sleep(2 * 60_000);
    const resent = (await harness.events(filingId)).at(-1);
    expect(resent).toMatchObject({
      type: 'SmsVerificationResent',
      data: { challengeId: `${filingId}:sms:1:1`, trigger: 'scheduled', expiresAt: sms.dueBy },
      metadata: { actor: { role: 'system' } },
    });
    expect(
      Date.parse(String((resent?.metadata as { occurredAt: string }).occurredAt)),
    ).toBeGreaterThanOrEqual(noon);

    // The platform may still ask once; then the old codes are dead and the newest verifies.
    await handle.executeUpdate(smsResendUpdate, { args: [{ actor: PLATFORM }], updateId: action('resend') });
    const newest = harness.latestCode(APP_MOBILE);
    const stale = await handle.executeUpdate(smsVerificationUpdate, {
      args: [{ actor: APPLICANT, sealedAnswer: harness.seal(firstCode, APP_ID_LAST6) }],
      updateId: action('sms'),
    });
    expect(stale.verified).toBe(firstCode === newest);
    if (!stale.verified) expect((await verifySms(handle)).verified).toBe(true);
    expect(
      (await harness.events(filingId))
        .filter((e) => e.type === 'SmsVerificationResent')
        .map((e) => (e.data as { challengeId: string }).challengeId),
    ).toEqual([`${filingId}:sms:1:1`, `${filingId}:sms:1:2`]);
    await rejectInBureau(handle);
    expect(patchMarkers(await expectReplays(handle))).toContain('filing-sms-auto-resend');
  });

  it('escalates overdue reviews exactly once, at the working-day deadline, and still waits for a human', async () => {
    const handle = await harness.startFiling(loadValidForm('valid-app'));
    const review = await harness.waitForStatus(handle, 'platform_review');
    const filingId = handle.workflowId.slice(7);

    await harness.env.sleep(Date.parse(String(review.dueBy)) - (await harness.env.currentTimeMs()) + 60_000);
    await harness.env.sleep(3 * 24 * HOUR);
    const overdue = await handle.query(statusQuery);
    expect(overdue).toMatchObject({ status: 'platform_review', overdue: true });

    const overdueEvents = (await harness.events(filingId)).filter((e) => e.type === 'PlatformReviewOverdue');
    expect(overdueEvents).toHaveLength(1);
    expect(overdueEvents[0]?.data).toEqual({ dueAt: review.dueBy });
    expect(
      Date.parse(String((overdueEvents[0]?.metadata as { occurredAt: string }).occurredAt)),
    ).toBeGreaterThanOrEqual(Date.parse(String(review.dueBy)));

    await approvePlatform(handle);
    await verifySms(handle);
    const bureau = await harness.waitForStatus(handle, 'bureau_review');
    await harness.env.sleep(Date.parse(String(bureau.dueBy)) - (await harness.env.currentTimeMs()) + 60_000);
    await harness.env.sleep(7 * 24 * HOUR);
    expect(await handle.query(statusQuery)).toMatchObject({ status: 'bureau_review', overdue: true });
    expect((await harness.eventTypes(filingId)).filter((t) => t === 'BureauReviewOverdue')).toHaveLength(1);

    await approveBureau(handle);
    expect((await harness.outcome(handle)).status).toBe('completed');
  });
});
