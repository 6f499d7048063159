import type { Outbox } from '../../infra/notify/outbox';
import { faultSubmission } from '../faults/fault-forms';
import { FAULT_PATHS, type FaultPathName, type FaultStep } from '../faults/fault-paths';
import { applicantAddress, type DrivenFiling, type DriverTokens } from '../faults/filing-driver';
import type { ApiRoundRobin, RoutedAnswer, RoutedRequest } from '../support/multi-host/api-round-robin';

/**
 * Drives filings over HTTP through two (or more) API hosts, each request of a filing to the next host
 * in turn: the submission, then the same submission with the same Idempotency-Key to the other host
 * (it must name the same filing), the platform's approval, the 12381 answer (through the host that did
 * not take the approval; with one wrong code first for every fifth filing, sent twice, once to each
 * host, counted once), the bureau's approval, until the registration number is issued. Codes come from
 * the shared outbox in PostgreSQL, whichever worker sent them.
 */

export interface HostedFiling extends DrivenFiling {
  readonly wave: number;
  /** The API host that answered each step: `submit`, `submit again`, `platform`, `sms`, `bureau`. */
  readonly hosts: Record<string, string>;
  /** The filing id the retried submission answered with. */
  retriedAs?: string;
  registrationNumber?: string;
  /** The next request's turn (which API host it goes to). */
  turn: number;
}

export interface MultiHostDriverOptions {
  readonly api: ApiRoundRobin;
  readonly tokens: DriverTokens;
  /** Where the workers' messages are (the PostgreSQL outbox every worker host sends into). */
  readonly outbox: Pick<Outbox, 'list'>;
  readonly seed: number;
  readonly runId: string;
  /** How long a wave may take before a filing still on its way is reported stuck. */
  readonly waveBudgetMs: number;
}

const POLL_MS = { first: 300, max: 2_000, factor: 1.5 };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Four in five filings go straight through; every fifth answers a wrong code first. */
export function multiHostPath(index: number): FaultPathName {
  return index % 5 === 4 ? 'one_wrong_code_then_completed' : 'completed';
}

export class MultiHostDriver {
  readonly filings: HostedFiling[] = [];
  /** Filings of the current wave standing at the SMS gate (code sent, answer held back). */
  readonly atGate = new Set<HostedFiling>();
  private deadline = 0;

  constructor(private readonly options: MultiHostDriverOptions) {}

  /** `count` new filings of wave `wave`, numbered after the ones before. */
  addWave(wave: number, count: number): HostedFiling[] {
    const from = this.filings.length;
    const added = Array.from({ length: count }, (_, n): HostedFiling => {
      const index = from + n;
      return {
        index,
        wave,
        path: multiHostPath(index),
        submission: faultSubmission(index, this.options.seed),
        conflictsAfterRetry: 0,
        hosts: {},
        turn: index,
      };
    });
    this.filings.push(...added);
    return added;
  }

  /**
   * Drives `filings` to their end, started 300 ms apart; each one failing is recorded on it. With a
   * `smsGate`, every filing waits at its SMS step, once its code is sent, until the gate opens.
   */
  async drive(filings: readonly HostedFiling[], smsGate?: Promise<void>): Promise<void> {
    const started = Date.now();
    this.deadline = started + this.options.waveBudgetMs;
    await Promise.all(
      filings.map(async (filing, n) => {
        await pause(n * 300);
        try {
          await this.driveOne(filing, smsGate);
        } catch (error) {
          filing.error = (error as Error).message;
        }
        filing.finishedAt = Date.now() - started;
      }),
    );
  }

  private async driveOne(filing: HostedFiling, smsGate?: Promise<void>): Promise<void> {
    const { submission } = filing;
    const submit = (turn: number, step: string) =>
      this.send(filing, step, {
        method: 'POST',
        path: '/v1/filings',
        token: this.options.tokens.platform(submission.platformId),
        body: submission.form,
        idempotencyKey: this.keyOf(filing, 'submit'),
        turn,
      });
    const created = await submit(filing.turn++, 'submit');
    expectStatus(created, [202], 'submission');
    filing.filingId = String(created.json.filingId);
    const again = await submit(this.options.api.turnAfter(created.host), 'submit again');
    expectStatus(again, [202], 'the same submission sent again');
    filing.retriedAs = String(again.json.filingId);

    const path = FAULT_PATHS[filing.path];
    for (const [n, step] of (path.steps as readonly FaultStep[]).entries()) {
      if (step.kind === 'platform') await this.approve(filing, 'platform', n);
      else if (step.kind === 'bureau') await this.approve(filing, 'bureau', n);
      else if (step.kind === 'sms') await this.answerSms(filing, step, n, smsGate);
      else throw new Error(`multi-host filings take no ${step.kind} step`);
    }
    const final = await this.waitFor(filing, path.finalStatus);
    filing.registrationNumber = String(final.registrationNumber);
  }

  private async approve(filing: HostedFiling, who: 'platform' | 'bureau', n: number): Promise<void> {
    const stage = who === 'platform' ? 'platform_review' : 'bureau_review';
    const view = await this.waitFor(filing, stage);
    const token =
      who === 'platform'
        ? this.options.tokens.platform(filing.submission.platformId)
        : this.options.tokens.bureau(String(view.province));
    const answer = await this.send(filing, who, {
      method: 'POST',
      path: `/v1/filings/${filing.filingId}/${who}-review`,
      token,
      body: { decision: 'approve' },
      idempotencyKey: this.keyOf(filing, String(n)),
      turn: filing.turn++,
    });
    this.expectDecision(filing, answer, `${who} approval`);
  }

  private async answerSms(
    filing: HostedFiling,
    step: Extract<FaultStep, { kind: 'sms' }>,
    n: number,
    gate?: Promise<void>,
  ): Promise<void> {
    await this.waitFor(filing, 'sms_verification');
    if (gate) {
      this.atGate.add(filing);
      await gate;
      this.atGate.delete(filing);
    }
    const code = await this.codeFromOutbox(filing, step.round);
    const answer = (attempt: string, value: string, turn: number, label = `sms ${attempt}`) =>
      this.send(filing, label, {
        method: 'POST',
        path: `/v1/filings/${filing.filingId}/sms-verification`,
        body: { code: value, idLast6: filing.submission.idLast6 },
        idempotencyKey: this.keyOf(filing, `${n}-${attempt}`),
        localAddress: applicantAddress(filing.index),
        turn,
      });
    for (let wrong = 0; wrong < step.wrong; wrong += 1) {
      const value = String((Number(code) + 1 + wrong) % 1_000_000).padStart(6, '0');
      // Sent twice with its key, to each host in turn: it must count once.
      for (let send = 0; send < (step.resend ? 2 : 1); send += 1) {
        const label = `sms wrong ${wrong + 1}${send > 0 ? ' again' : ''}`;
        const refused = await answer(`wrong-${wrong}`, value, filing.turn++, label);
        expectStatus(refused, [422], 'wrong SMS code');
        if (refused.json.attemptsLeft !== 4 - wrong) {
          throw new Error(
            `wrong SMS code left ${String(refused.json.attemptsLeft)} attempts, not ${4 - wrong}`,
          );
        }
      }
    }
    const afterApproval = this.options.api.turnAfter(filing.hosts.platform ?? '');
    const verified = await answer('right', code, afterApproval, 'sms');
    this.expectDecision(filing, verified, 'SMS code');
  }

  /** 200, or 409 when a request moved to another host finds its first attempt took effect. */
  private expectDecision(filing: HostedFiling, answer: RoutedAnswer, what: string): void {
    if (answer.status === 409 && answer.attempts > 1) filing.conflictsAfterRetry += 1;
    else expectStatus(answer, [200], what);
  }

  /** The code of the round's latest issuance, from the outbox every worker host writes to. */
  private async codeFromOutbox(filing: HostedFiling, round: number): Promise<string> {
    const prefix = `sms-code:${filing.filingId}:sms:${round}:`;
    const sent = (await this.options.outbox.list({ to: filing.submission.mobile, limit: 50 }))
      .filter((message) => message.channel === 'sms' && message.idempotencyKey.startsWith(prefix))
      .sort((a, b) => issuance(b.idempotencyKey) - issuance(a.idempotencyKey));
    const code = /核验码为(\d{6})/.exec(sent[0]?.text ?? '')?.[1];
    if (!code) throw new Error(`no 12381 code in the outbox for SMS round ${round}`);
    return code;
  }

  /** Polls the live state (auditor), each poll to the next host, until the filing is in `status`. */
  private async waitFor(filing: HostedFiling, status: string): Promise<Record<string, unknown>> {
    let interval = POLL_MS.first;
    for (;;) {
      const answer = await this.options.api.send({
        method: 'GET',
        path: `/v1/filings/${filing.filingId}?consistency=strong`,
        token: this.options.tokens.auditor,
        deadlineMs: this.remaining(),
        turn: filing.turn++,
      });
      expectStatus(answer, [200], 'status read');
      filing.status = String(answer.json.status);
      filing.province = String(answer.json.province);
      if (filing.status === status) return answer.json;
      if (Date.now() > this.deadline) {
        throw new Error(`stuck in ${filing.status}: did not reach ${status} within the wave's budget`);
      }
      await pause(interval * (0.75 + Math.random() / 2));
      interval = Math.min(POLL_MS.max, interval * POLL_MS.factor);
    }
  }

  private async send(filing: HostedFiling, step: string, request: RoutedRequest): Promise<RoutedAnswer> {
    const answer = await this.options.api.send({ ...request, deadlineMs: this.remaining() });
    filing.hosts[step] = answer.host;
    return answer;
  }

  private remaining(): number {
    return Math.max(1_000, this.deadline - Date.now());
  }

  keyOf(filing: HostedFiling, step: string): string {
    return `${this.options.runId}-${filing.index}-${step}`;
  }
}

function issuance(idempotencyKey: string): number {
  return Number(idempotencyKey.split(':').at(-1));
}

function expectStatus(answer: RoutedAnswer, statuses: readonly number[], what: string): void {
  if (statuses.includes(answer.status)) return;
  const detail = typeof answer.json.detail === 'string' ? `: ${answer.json.detail}` : '';
  throw new Error(
    `${what} answered ${answer.status} (${answer.host}, ${answer.attempts} attempt(s)), expected ${statuses.join('|')}${detail}`,
  );
}
