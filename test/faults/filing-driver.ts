import { readOutbox } from '../../infra/notify/outbox';
import { correctedForm } from '../support/generated-forms';
import { faultSubmission, type FaultSubmission } from './fault-forms';
import { FAULT_PATHS, type FaultPathName, type FaultStep, pathOf } from './fault-paths';
import type { HttpAnswer, RetryingHttpClient } from './resilient-http';

/**
 * Drives filings concurrently through their paths over the real HTTP API, as platforms, bureaus and
 * applicants would: every POST carries an Idempotency-Key (a retry after a lost answer is the same
 * action), every status is read back with GET /v1/filings/:id as the auditor, every 12381 code comes
 * from the outbox, every applicant answers from an address of their own.
 */

export interface DriverTokens {
  readonly auditor: string;
  platform(platformId: string): string;
  bureau(province: string): string;
}

export interface DrivenFiling {
  readonly index: number;
  readonly path: FaultPathName;
  readonly submission: FaultSubmission;
  filingId?: string;
  province?: string;
  status?: string;
  /** Decisions answered 409 after a retry: the first attempt had gone through, its answer was lost. */
  conflictsAfterRetry: number;
  error?: string;
  finishedAt?: number;
}

export interface DriverOptions {
  readonly http: RetryingHttpClient;
  readonly tokens: DriverTokens;
  readonly dataDir: string;
  readonly count: number;
  readonly seed: number;
  /** Prefix of Idempotency-Keys: one run's keys never collide with another's. */
  readonly runId: string;
  /** How long the whole run may take before every filing still on its way is reported stuck. */
  readonly budgetMs?: number;
}

/** Status polls start quick and back off while nothing changes (each poll is a query a worker answers). */
const POLL_MS = { first: 300, max: 2_000, factor: 1.5 };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class FilingDriver {
  readonly filings: DrivenFiling[];
  private deadline = Number.POSITIVE_INFINITY;

  constructor(private readonly options: DriverOptions) {
    this.filings = Array.from({ length: options.count }, (_, index) => ({
      index,
      path: pathOf(index),
      submission: faultSubmission(index, options.seed),
      conflictsAfterRetry: 0,
    }));
  }

  /** Runs every filing to the end of its path; resolves when all are done (each failure is recorded). */
  async run(): Promise<void> {
    const started = Date.now();
    this.deadline = started + (this.options.budgetMs ?? 170_000);
    await Promise.all(
      this.filings.map(async (filing) => {
        await pause(filing.index * 40); // a burst, not one instant
        try {
          await this.drive(filing);
        } catch (error) {
          filing.error = (error as Error).message;
        }
        filing.finishedAt = Date.now() - started;
      }),
    );
  }

  private async drive(filing: DrivenFiling): Promise<void> {
    const { submission } = filing;
    const platform = this.options.tokens.platform(submission.platformId);
    const created = await this.options.http.send({
      method: 'POST',
      path: '/v1/filings',
      token: platform,
      body: submission.form,
      idempotencyKey: this.keyOf(filing, 'submit'),
      deadlineMs: this.remaining(),
    });
    expectStatus(created, [202], 'submission');
    filing.filingId = String(created.json.filingId);

    const path = FAULT_PATHS[filing.path];
    for (const [n, step] of (path.steps as readonly FaultStep[]).entries()) {
      await this.perform(filing, step, `${n}`);
    }
    await this.waitFor(filing, [path.finalStatus]);
  }

  private async perform(filing: DrivenFiling, step: FaultStep, n: string): Promise<void> {
    const id = filing.filingId as string;
    const platform = this.options.tokens.platform(filing.submission.platformId);
    switch (step.kind) {
      case 'platform': {
        await this.waitFor(filing, ['platform_review']);
        const reasons = step.decision === 'approve' ? undefined : '应用服务内容描述不完整，请补充。';
        await this.decide(filing, `/v1/filings/${id}/platform-review`, platform, n, {
          decision: step.decision,
          ...(reasons ? { reasons } : {}),
        });
        return;
      }
      case 'correct': {
        await this.waitFor(filing, ['returned_for_correction']);
        await this.decide(filing, `/v1/filings/${id}/correction`, platform, n, {
          form: correctedForm(filing.submission.form),
        });
        return;
      }
      case 'resubmit': {
        await this.waitFor(filing, ['returned_to_platform']);
        await this.decide(filing, `/v1/filings/${id}/resubmission`, platform, n, {
          reasons: '申请人已确认手机号码，请重新发送核验短信。',
        });
        return;
      }
      case 'withdraw': {
        await this.waitFor(filing, [step.from]);
        await this.decide(filing, `/v1/filings/${id}/withdrawal`, platform, n, {
          reasons: '主体撤回备案申请。',
        });
        return;
      }
      case 'bureau': {
        const view = await this.waitFor(filing, ['bureau_review']);
        const bureau = this.options.tokens.bureau(String(view.province));
        const reasons = step.decision === 'reject' ? '主办者证件信息与登记信息不一致。' : undefined;
        await this.decide(filing, `/v1/filings/${id}/bureau-review`, bureau, n, {
          decision: step.decision,
          ...(reasons ? { reasons } : {}),
        });
        return;
      }
      case 'sms':
        return this.answerSms(filing, step, n);
    }
  }

  /** A decision: 200, or 409 when a retried attempt finds its first attempt already took effect. */
  private async decide(filing: DrivenFiling, path: string, token: string, n: string, body: unknown) {
    const answer = await this.options.http.send({
      method: 'POST',
      path,
      token,
      body,
      idempotencyKey: this.keyOf(filing, n),
      deadlineMs: this.remaining(),
    });
    if (answer.status === 409 && answer.attempts > 1) filing.conflictsAfterRetry += 1;
    else expectStatus(answer, [200], path.split('/').at(-1) ?? path);
  }

  private async answerSms(filing: DrivenFiling, step: Extract<FaultStep, { kind: 'sms' }>, n: string) {
    const id = filing.filingId as string;
    await this.waitFor(filing, ['sms_verification']);
    const code = this.codeFromOutbox(filing, step.round);
    const answer = (attempt: string, value: string) =>
      this.options.http.send({
        method: 'POST',
        path: `/v1/filings/${id}/sms-verification`,
        body: { code: value, idLast6: filing.submission.idLast6 },
        idempotencyKey: this.keyOf(filing, `${n}-${attempt}`),
        localAddress: applicantAddress(filing.index),
        deadlineMs: this.remaining(),
      });
    for (let wrong = 0; wrong < step.wrong; wrong += 1) {
      const value = String((Number(code) + 1 + wrong) % 1_000_000).padStart(6, '0');
      for (let send = 0; send < (step.resend ? 2 : 1); send += 1) {
        const refused = await answer(`wrong-${wrong}`, value);
        expectStatus(refused, [422], 'wrong SMS code');
        const left = refused.json.attemptsLeft;
        if (left !== 5 - (wrong + 1)) {
          throw new Error(
            `wrong SMS code ${wrong + 1}${send > 0 ? ' (resent)' : ''} left ${String(left)} attempts, not ${5 - (wrong + 1)}`,
          );
        }
      }
    }
    if (step.giveUp) return;
    const verified = await answer('right', code);
    if (verified.status === 409 && verified.attempts > 1) filing.conflictsAfterRetry += 1;
    else expectStatus(verified, [200], 'SMS code');
  }

  /** The code of the challenge's latest issuance (a crash between sending and recording resends). */
  private codeFromOutbox(filing: DrivenFiling, round: number): string {
    const prefix = `sms-code:${filing.filingId}:sms:${round}:`;
    const sent = readOutbox(this.options.dataDir, { to: filing.submission.mobile, limit: 50 })
      .filter((message) => message.channel === 'sms' && message.idempotencyKey.startsWith(prefix))
      .sort((a, b) => issuance(b.idempotencyKey) - issuance(a.idempotencyKey));
    const code = /核验码为(\d{6})/.exec(sent[0]?.text ?? '')?.[1];
    if (!code) throw new Error(`no 12381 code in the outbox for SMS round ${round}`);
    return code;
  }

  /** Polls the live state (auditor) until the filing is in one of `statuses`. */
  private async waitFor(filing: DrivenFiling, statuses: readonly string[]): Promise<Record<string, unknown>> {
    let interval = POLL_MS.first;
    for (;;) {
      const answer = await this.options.http.send({
        method: 'GET',
        path: `/v1/filings/${filing.filingId}?consistency=strong`,
        token: this.options.tokens.auditor,
        deadlineMs: this.remaining(),
      });
      expectStatus(answer, [200], 'status read');
      filing.status = String(answer.json.status);
      filing.province = String(answer.json.province);
      if (statuses.includes(filing.status)) return answer.json;
      if (Date.now() > this.deadline) {
        throw new Error(
          `stuck in ${filing.status}: did not reach ${statuses.join('|')} within the run's budget`,
        );
      }
      await pause(interval * (0.75 + Math.random() / 2));
      interval = Math.min(POLL_MS.max, interval * POLL_MS.factor);
    }
  }

  private remaining(): number {
    return Math.max(1_000, this.deadline - Date.now());
  }

  /** The Idempotency-Key of one step of a filing: the same on every retry of that step. */
  keyOf(filing: DrivenFiling, step: string): string {
    return `${this.options.runId}-${filing.index}-${step}`;
  }
}

/** 127.0.x.y, one per applicant (the whole 127/8 block is loopback on Linux). */
export function applicantAddress(index: number): string {
  return `127.0.${1 + Math.floor(index / 200)}.${10 + (index % 200)}`;
}

function issuance(idempotencyKey: string): number {
  return Number(idempotencyKey.split(':').at(-1));
}

function expectStatus(answer: HttpAnswer, statuses: readonly number[], what: string): void {
  if (statuses.includes(answer.status)) return;
  const detail = typeof answer.json.detail === 'string' ? `: ${answer.json.detail}` : '';
  throw new Error(
    `${what} answered ${answer.status} after ${answer.attempts} attempt(s), expected ${statuses.join('|')}${detail}`,
  );
}
