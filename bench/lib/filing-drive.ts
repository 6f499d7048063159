import { type Client, type WorkflowHandle } from '@temporalio/client';
import { defineQuery } from '@temporalio/workflow';
import type { Actor } from '../../events/filing/actor';
import { filingStreamId } from '../../events/filing/stream-ids';
import { uuidv5 } from '../../events/ids';
import { subjectNumberCheck } from '../../events/form/subject-number';
import type { EventLog } from '../../events/ports/event-log.port';
import { formatSubjectNumber } from '../../events/registration-number';
import { readOutbox } from '../../infra/notify/outbox';
import { sealSmsAnswer } from '../../infra/verification/sealed-answer';
import {
  bureauReviewUpdate,
  type FilingWorkflowInput,
  platformReviewUpdate,
  smsVerificationUpdate,
} from '../../workflows/filing/filing.definitions';
import { filingWorkflow } from '../../workflows/filing/filing.workflow';
import { APPLICANT, platformSubmitter } from '../../test/support/filing-histories';
import { generateSubmission, type GeneratedSubmission } from '../../test/support/generated-forms';
import { registerImportedSubject } from '../../test/support/registry-subjects';
import { SeededRandom } from '../../test/support/seeded-random';
import {
  bareBureauReviewUpdate,
  bareFilingWorkflow,
  barePlatformReviewUpdate,
  bareSmsVerificationUpdate,
} from '../workflows/bare-filing.workflow';

/**
 * Drives filings through their stages with the Temporal client, as the API would on behalf of a
 * platform, the applicant and a bureau: start, platform review, the 12381 SMS answer, bureau review.
 * Between steps the client polls the `status` query until the workflow is ready for the next one.
 */

export const STAGES = [
  'submission',
  'platformReview',
  'smsVerification',
  'bureauReviewToCompletion',
] as const;
export type Stage = (typeof STAGES)[number];

/** Both workflows answer the `status` query with at least this. */
const statusQuery = defineQuery<{ status: string }>('status');

export interface FilingTarget {
  readonly label: string;
  start(index: number): Promise<WorkflowHandle>;
  platformReview(handle: WorkflowHandle, index: number): Promise<void>;
  smsAnswer(handle: WorkflowHandle, index: number): Promise<void>;
  bureauReview(handle: WorkflowHandle, index: number): Promise<void>;
  /** Waits for the workflow's result and returns its final status. */
  finish(handle: WorkflowHandle): Promise<string>;
}

export interface DriveOptions {
  /** How often the client asks the `status` query while waiting for the next stage. */
  pollMs: number;
  /**
   * Wait most of the usual time before the first query (0.7 × the mean wait for that stage so far):
   * far fewer queries when only the end state matters (the memory benchmark), coarser stage times.
   */
  adaptiveFirstPoll?: boolean;
  /** Stop once the filing waits in bureau review (the memory benchmark) or drive it to completion. */
  until: 'bureau_review' | 'completed';
  timeoutMs?: number;
}

export class DriveTimings {
  readonly stages: Record<Stage, number[]> = {
    submission: [],
    platformReview: [],
    smsVerification: [],
    bureauReviewToCompletion: [],
  };
  readonly totals: number[] = [];
  queries = 0;
  /** Queries that failed (timed out) and were asked again. */
  queryErrors = 0;
  filings = 0;
  readonly failures: string[] = [];
  wallMs = 0;
  /** Time spent waiting for each status, for adaptive polling. */
  readonly waits = new Map<string, { totalMs: number; count: number }>();

  add(other: DriveTimings): void {
    for (const stage of STAGES) this.stages[stage].push(...other.stages[stage]);
    this.totals.push(...other.totals);
    this.queries += other.queries;
    this.queryErrors += other.queryErrors;
    this.filings += other.filings;
    this.failures.push(...other.failures);
    this.wallMs += other.wallMs;
  }
}

async function waitForStatus(
  handle: WorkflowHandle,
  wanted: string,
  options: DriveOptions,
  timings: DriveTimings,
): Promise<void> {
  const started = performance.now();
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  const usual = timings.waits.get(wanted);
  if (options.adaptiveFirstPoll && usual && usual.count >= 5) {
    await new Promise((resolve) => setTimeout(resolve, (0.7 * usual.totalMs) / usual.count));
  }
  for (;;) {
    timings.queries += 1;
    let status: string;
    try {
      ({ status } = await handle.query(statusQuery));
    } catch (error) {
      // A query can time out while the machine is overloaded; the next poll asks again.
      if (Date.now() > deadline) throw error;
      timings.queryErrors += 1;
      status = 'unknown';
    }
    if (status === wanted) break;
    if (Date.now() > deadline)
      throw new Error(`${handle.workflowId} did not reach ${wanted}; it is ${status}`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
  const waited = timings.waits.get(wanted) ?? { totalMs: 0, count: 0 };
  timings.waits.set(wanted, {
    totalMs: waited.totalMs + performance.now() - started,
    count: waited.count + 1,
  });
}

/** One filing through the stages, each stage timed from the client's step to the next stage's readiness. */
export async function driveFiling(
  target: FilingTarget,
  index: number,
  options: DriveOptions,
  timings: DriveTimings,
): Promise<void> {
  try {
    const t0 = performance.now();
    const handle = await target.start(index);
    await waitForStatus(handle, 'platform_review', options, timings);
    const t1 = performance.now();
    await target.platformReview(handle, index);
    await waitForStatus(handle, 'sms_verification', options, timings);
    const t2 = performance.now();
    await target.smsAnswer(handle, index);
    await waitForStatus(handle, 'bureau_review', options, timings);
    const t3 = performance.now();
    timings.stages.submission.push(t1 - t0);
    timings.stages.platformReview.push(t2 - t1);
    timings.stages.smsVerification.push(t3 - t2);
    if (options.until === 'completed') {
      await target.bureauReview(handle, index);
      const status = await target.finish(handle);
      if (status !== 'completed') throw new Error(`${handle.workflowId} ended ${status}`);
      const t4 = performance.now();
      timings.stages.bureauReviewToCompletion.push(t4 - t3);
      timings.totals.push(t4 - t0);
    } else {
      timings.totals.push(t3 - t0);
    }
    timings.filings += 1;
  } catch (error) {
    timings.failures.push(`${target.label} #${index}: ${(error as Error).message}`);
  }
}

/** Runs filings `from`…`to - 1` with `concurrency` in flight. */
export async function driveFilings(
  target: FilingTarget,
  range: { from: number; to: number },
  concurrency: number,
  options: DriveOptions,
): Promise<DriveTimings> {
  const timings = new DriveTimings();
  let next = range.from;
  const started = performance.now();
  const lane = async (): Promise<void> => {
    for (let index = next++; index < range.to; index = next++)
      await driveFiling(target, index, options, timings);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, range.to - range.from) }, lane));
  timings.wallMs = performance.now() - started;
  return timings;
}

/** The generated form of filing `index` with a mobile of its own, so its SMS code can be found. */
export function benchSubmission(seed: number, index: number, filingId: string): GeneratedSubmission {
  const submission = generateSubmission({
    index,
    seed,
    filingId,
    random: new SeededRandom(seed, index),
    existingSubjectNumber: (provinceCode) =>
      formatSubjectNumber({ provinceCode, year: 2021, sequence: index + 1 }),
  });
  const principal = submission.form.appPrincipal as Record<string, unknown>;
  submission.form.appPrincipal = { ...principal, mobile: `158${String(index).padStart(8, '0')}` };
  return submission;
}

/**
 * The subjects the bench forms of `range` name by number, registered as an import would have: the
 * submission and the issuance refuse a subject number the registry does not hold.
 */
export async function registerBenchSubjects(
  eventLog: EventLog,
  range: { from: number; to: number },
  seed = 1,
): Promise<void> {
  for (let index = range.from; index < range.to; index += 1) {
    const { form } = benchSubmission(seed, index, `bench-subject-${index}`);
    const { existingSubjectNumber, operatorCertificate } = form as {
      existingSubjectNumber?: string;
      operatorCertificate?: { number: string };
    };
    if (existingSubjectNumber === undefined || operatorCertificate === undefined) continue;
    const check = subjectNumberCheck(existingSubjectNumber);
    if (!check.ok) throw new Error(`bench form ${index} names ${existingSubjectNumber}`);
    await registerImportedSubject(eventLog, {
      subjectKey: `uscc:${operatorCertificate.number}`,
      provinceCode: check.province.code,
      subjectNumber: existingSubjectNumber,
      operatorName: `基准测试主体${index}有限公司`,
      operatorNature: 'enterprise',
      certificateType: 'uscc',
    });
  }
}

/** The filing workflow with the real worker: the form is validated, appended, the SMS code sent to the outbox. */
export class FilingWorkflowTarget implements FilingTarget {
  readonly label = 'ours';
  private readonly submissions = new Map<number, GeneratedSubmission>();

  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly dataDir: string,
    private readonly smsAnswerSecret: Buffer,
    private readonly runId: string,
    private readonly seed = 1,
  ) {}

  private submission(index: number): GeneratedSubmission {
    let submission = this.submissions.get(index);
    if (!submission) {
      submission = benchSubmission(this.seed, index, this.filingId(index));
      this.submissions.set(index, submission);
    }
    return submission;
  }

  private filingId(index: number): string {
    return uuidv5(`bench:${this.runId}:${index}`);
  }

  /** The workflow id of filing `index`, to query it again after the drive. */
  workflowId(index: number): string {
    return filingStreamId(this.filingId(index));
  }

  async start(index: number): Promise<WorkflowHandle> {
    const filingId = this.filingId(index);
    const submission = this.submission(index);
    const input: FilingWorkflowInput = {
      filingId,
      form: submission.form,
      actor: platformSubmitter(submission.platformId),
      actionId: `submit-${filingId}`,
      correlationId: filingId,
    };
    return this.client.workflow.start(filingWorkflow, {
      args: [input],
      taskQueue: this.taskQueue,
      workflowId: this.workflowId(index),
    });
  }

  async platformReview(handle: WorkflowHandle, index: number): Promise<void> {
    const reviewer: Actor = {
      role: 'platform',
      id: 'bench-reviewer',
      platformId: this.submission(index).platformId,
    };
    await handle.executeUpdate(platformReviewUpdate, { args: [{ actor: reviewer, decision: 'approve' }] });
  }

  /** Reads the code from the outbox as the applicant's phone shows it and seals it as the API does. */
  async smsAnswer(handle: WorkflowHandle, index: number): Promise<void> {
    const submission = this.submission(index);
    const principal = submission.form.appPrincipal as { mobile: string; idNumber: string };
    const [message] = readOutbox(this.dataDir, { to: principal.mobile, limit: 1 });
    const code = message && /核验码为(\d{6})/.exec(message.text)?.[1];
    if (!code) throw new Error(`no 12381 code for ${principal.mobile} in the outbox`);
    const sealedAnswer = sealSmsAnswer(this.smsAnswerSecret, {
      code,
      idLast6: principal.idNumber.slice(-6).toUpperCase(),
    });
    const result = await handle.executeUpdate(smsVerificationUpdate, {
      args: [{ actor: APPLICANT, sealedAnswer }],
    });
    if (!result.verified) throw new Error(`${handle.workflowId}: the SMS answer was not accepted`);
  }

  async bureauReview(handle: WorkflowHandle, index: number): Promise<void> {
    const province = this.submission(index).province;
    const officer: Actor = { role: 'bureau', id: `officer-${province}`, province };
    await handle.executeUpdate(bureauReviewUpdate, { args: [{ actor: officer, decision: 'approve' }] });
  }

  async finish(handle: WorkflowHandle): Promise<string> {
    return ((await handle.result()) as { status: string }).status;
  }
}

/** The bare workflow: the same steps, nothing done in them. */
export class BareWorkflowTarget implements FilingTarget {
  readonly label = 'bare';

  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly runId: string,
  ) {}

  start(index: number): Promise<WorkflowHandle> {
    const filingId = uuidv5(`bench-bare:${this.runId}:${index}`);
    return this.client.workflow.start(bareFilingWorkflow, {
      args: [{ filingId }],
      taskQueue: this.taskQueue,
      workflowId: `bare-${filingId}`,
    });
  }

  async platformReview(handle: WorkflowHandle): Promise<void> {
    await handle.executeUpdate(barePlatformReviewUpdate, { args: [{ decision: 'approve' }] });
  }

  async smsAnswer(handle: WorkflowHandle): Promise<void> {
    await handle.executeUpdate(bareSmsVerificationUpdate, { args: [{ sealedAnswer: '' }] });
  }

  async bureauReview(handle: WorkflowHandle): Promise<void> {
    await handle.executeUpdate(bareBureauReviewUpdate, { args: [{ decision: 'approve' }] });
  }

  async finish(handle: WorkflowHandle): Promise<string> {
    return ((await handle.result()) as { status: string }).status;
  }
}
