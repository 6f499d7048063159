import { problemType } from '../../services/http/problem-details';
import { isolatedEnv, runIcp } from '../system/icp-process';
import { type StartedSystem, startSystem } from '../system/started-system';
import {
  type Answer,
  appForm,
  FilingApi,
  ID_LAST6,
  inBatches,
  issueTokens,
  smsCodes,
  streamProblems,
} from './filing-api';

/**
 * Decisions that meet at the same moment on one filing, over the real API of `icp start`: two bureau
 * operators of one province (approve against reject), one decision sent twice with one
 * Idempotency-Key, a platform withdrawing while its reviewer approves (withdrawal ends with the
 * platform's approval, so that is where it can still race). Ten filings per race, each pair of
 * requests sent in the same tick (the order alternating), then every stream checked exactly.
 */

const RACES_PER_KIND = 10;
const PREFIX = [
  'FilingSubmitted',
  'PlatformReviewStarted',
  'PlatformReviewApproved',
  'SmsVerificationSent',
  'SmsVerified',
  'BureauReviewStarted',
];
const APPROVED = [
  ...PREFIX,
  'BureauReviewApproved',
  'RegistrationNumberIssued',
  'RegistrationPublished',
  'ApplicantNotified',
];
const REJECTED = [...PREFIX, 'BureauReviewRejected'];
const IN_PLATFORM_REVIEW = ['FilingSubmitted', 'PlatformReviewStarted'];
const WITHDRAWN = [...IN_PLATFORM_REVIEW, 'FilingWithdrawn'];
const PLATFORM_APPROVED = [...IN_PLATFORM_REVIEW, 'PlatformReviewApproved', 'SmsVerificationSent'];
/** The statuses a decision's answer or a loser's `filingStatus` may name once a winner was recorded. */
const AFTER_APPROVAL = ['bureau_approved', 'registered', 'published', 'completed'];
const AFTER_PLATFORM_APPROVAL = ['platform_approved', 'sms_verification'];

type Kind = 'operators' | 'same-key' | 'withdraw-vs-approve';

interface Race {
  readonly kind: Kind;
  readonly index: number;
  readonly id: string;
  readonly appName: string;
  winner?: string;
  expected?: readonly string[];
  /** ms between the two answers. */
  spreadMs?: number;
}

describe('decision races over the real API (`icp start`)', () => {
  let system: StartedSystem;
  let env: NodeJS.ProcessEnv;
  let api: FilingApi;
  const races: Race[] = [];
  const timings: Record<string, number> = {};
  const checked: string[] = [];
  const started = Date.now();

  const timed = async <T>(name: string, step: () => Promise<T>): Promise<T> => {
    const at = Date.now();
    try {
      return await step();
    } finally {
      timings[name] = Date.now() - at;
    }
  };

  const racesOf = (kind: Kind): Race[] => races.filter((race) => race.kind === kind);

  /** Both requests leave in the same tick; which one is written first alternates with the index. */
  const together = async (index: number, a: () => Promise<Answer>, b: () => Promise<Answer>) => {
    const [first, second] = index % 2 === 0 ? [a, b] : [b, a];
    const answers = await Promise.all([first(), second()]);
    const [x, y] = index % 2 === 0 ? answers : [answers[1], answers[0]];
    return [x, y] as [Answer, Answer];
  };

  const expectAlreadyDecided = (loser: Answer, decidedStatuses: readonly string[]): void => {
    expect(loser.status).toBe(409);
    expect(loser.type).toMatch(/^application\/problem\+json/);
    expect(loser.json).toMatchObject({
      type: problemType('wrong-stage'),
      title: expect.any(String),
      status: 409,
      detail: expect.any(String),
    });
    expect(decidedStatuses).toContain(loser.json.filingStatus);
    // The detail names the status the winner left the filing in.
    expect(String(loser.json.detail)).toContain(String(loser.json.filingStatus));
  };

  beforeAll(async () => {
    system = await timed('start', () => startSystem('races'));
    env = isolatedEnv({ ICP_DATA_DIR: system.dataDir });
    const tokens = await issueTokens(env, {
      wechat: { sub: 'platform:wechat', role: 'platform', platformId: 'wechat' },
      officerA: { sub: 'officer-a', role: 'bureau', province: '440000' },
      officerB: { sub: 'officer-b', role: 'bureau', province: '440000' },
      officerElsewhere: { sub: 'officer-z', role: 'bureau', province: '110000' },
      auditor: { sub: 'auditor', role: 'auditor' },
    });
    api = new FilingApi(system.base, tokens);

    // Twenty filings brought to bureau review over the API, six at a time; ten left in platform review.
    const kinds: Kind[] = ['operators', 'same-key', 'withdraw-vs-approve'];
    const plan = kinds.flatMap((kind, k) =>
      Array.from({ length: RACES_PER_KIND }, (_, index) => ({
        kind,
        index,
        appName: `竞速备案${k}${index}`,
      })),
    );
    await timed('prepare', async () => {
      const submitted = await inBatches(plan, 6, async ({ kind, index, appName }) => {
        const created = await api.call('POST', '/v1/filings', 'wechat', appForm(appName), {
          'idempotency-key': `race-${kind}-${index}`,
        });
        expect(created.status).toBe(202);
        const id = String(created.json.filingId);
        await api.waitForStatus(id, ['platform_review']);
        if (kind === 'withdraw-vs-approve') return { kind, index, appName, id };
        const approved = await api.call('POST', `/v1/filings/${id}/platform-review`, 'wechat', {
          decision: 'approve',
        });
        expect(approved.status).toBe(200);
        await api.waitForStatus(id, ['sms_verification']);
        return { kind, index, appName, id };
      });
      const codes = await smsCodes(
        env,
        submitted.filter((s) => s.kind !== 'withdraw-vs-approve').map((s) => s.appName),
      );
      const toBureau = submitted.filter((s) => s.kind !== 'withdraw-vs-approve');
      await inBatches(toBureau, 6, async ({ id, appName }) => {
        const answer = { code: codes.get(appName), idLast6: ID_LAST6 };
        let verified = await api.call('POST', `/v1/filings/${id}/sms-verification`, undefined, answer);
        if (verified.status === 429) {
          // The per-client limit (30 a minute) is shared by every verification this test sends.
          await new Promise((r) => setTimeout(r, Number(verified.headers.get('retry-after') ?? 60) * 1000));
          verified = await api.call('POST', `/v1/filings/${id}/sms-verification`, undefined, answer);
        }
        expect(verified.status).toBe(200);
        await api.waitForStatus(id, ['bureau_review']);
      });
      races.push(...submitted);
    });
  });

  afterAll(async () => {
    const outcomes = (kind: Kind) =>
      racesOf(kind)
        .map((race) => race.winner ?? '?')
        .reduce<Record<string, number>>((acc, w) => ({ ...acc, [w]: (acc[w] ?? 0) + 1 }), {});
    const spreads = races.map((race) => race.spreadMs ?? 0);
    console.info(
      [
        'decision races over the real API',
        `  did: icp start (${timings.start} ms); ${races.length} filings brought to their review over HTTP ` +
          `(${timings.prepare} ms); ${RACES_PER_KIND} races of each kind, each pair sent in one tick`,
        `  operators approve|reject: winners ${JSON.stringify(outcomes('operators'))} (${timings.operators} ms)`,
        `  same Idempotency-Key twice: ${JSON.stringify(outcomes('same-key'))} (${timings['same-key']} ms)`,
        `  withdraw|approve: winners ${JSON.stringify(outcomes('withdraw-vs-approve'))} (${timings['withdraw-vs-approve']} ms)`,
        `  answers of a pair apart by ${spreads.length ? `${Math.min(...spreads)}–${Math.max(...spreads)}` : '-'} ms`,
        `  requests: ${api?.requestCount ?? 0} (${[...(api?.requests ?? [])].map(([r, n]) => `${r} ×${n}`).join(', ')})`,
        `  checked: ${checked.join('; ')}`,
        `  total ${Date.now() - started} ms`,
      ].join('\n'),
    );
    await system?.stop();
  });

  it('two operators of one province approve and reject at once: one outcome recorded, the other gets 409', async () => {
    await timed('operators', async () => {
      for (const race of racesOf('operators')) {
        const [approve, reject] = await together(
          race.index,
          () => api.call('POST', `/v1/filings/${race.id}/bureau-review`, 'officerA', { decision: 'approve' }),
          () =>
            api.call('POST', `/v1/filings/${race.id}/bureau-review`, 'officerB', {
              decision: 'reject',
              reasons: '应用服务内容与备案信息不一致',
            }),
        );
        race.spreadMs = Math.abs(approve.ms - reject.ms);
        expect([approve.status, reject.status].sort()).toEqual([200, 409]);
        if (approve.status === 200) {
          race.winner = 'approve';
          race.expected = APPROVED;
          expect(AFTER_APPROVAL).toContain(approve.json.status);
          expectAlreadyDecided(reject, AFTER_APPROVAL);
        } else {
          race.winner = 'reject';
          race.expected = REJECTED;
          expect(reject.json.status).toBe('rejected');
          expectAlreadyDecided(approve, ['rejected']);
        }
        await api.waitForStatus(race.id, [race.winner === 'approve' ? 'completed' : 'rejected']);
        expect(streamProblems(await api.events(race.id), race.expected)).toEqual([]);
      }
    });
    checked.push(
      `operators: ${RACES_PER_KIND}× exactly one 200 and one 409 wrong-stage problem+json naming the decided status, stream exact`,
    );
  });

  it('one decision sent twice at once with the same Idempotency-Key: both 200 with the same body, recorded once', async () => {
    await timed('same-key', async () => {
      for (const race of racesOf('same-key')) {
        const send = () =>
          api.call(
            'POST',
            `/v1/filings/${race.id}/bureau-review`,
            'officerA',
            { decision: 'approve' },
            { 'idempotency-key': `approve-${race.kind}-${race.index}` },
          );
        const [a, b] = await together(race.index, send, send);
        race.spreadMs = Math.abs(a.ms - b.ms);
        expect([a.status, b.status]).toEqual([200, 200]);
        expect(b.json).toEqual(a.json);
        expect(AFTER_APPROVAL).toContain(a.json.status);
        race.winner = 'approve once';
        race.expected = APPROVED;
        await api.waitForStatus(race.id, ['completed']);
        // A client retrying late, after the filing closed, still gets the recorded answer.
        const late = await send();
        expect(late.status).toBe(200);
        expect(late.json).toEqual(a.json);
        // The key now belongs to that approval: another decision under it, or the same one from
        // another operator, is refused rather than answered with the approval's result.
        const key = { 'idempotency-key': `approve-${race.kind}-${race.index}` };
        const path = `/v1/filings/${race.id}/bureau-review`;
        const reused = [
          await api.call('POST', path, 'officerA', { decision: 'reject', reasons: '材料不全' }, key),
          await api.call('POST', path, 'officerB', { decision: 'approve' }, key),
        ];
        for (const answer of reused) {
          expect(answer.status).toBe(409);
          expect(answer.json).toMatchObject({ type: problemType('idempotency-key-reused'), status: 409 });
        }
        const elsewhere = await api.call(
          'POST',
          path,
          'officerElsewhere',
          { decision: 'reject', reasons: '材料不全' },
          key,
        );
        expect(elsewhere.status).toBe(404);
        expect(streamProblems(await api.events(race.id), race.expected)).toEqual([]);
      }
    });
    checked.push(
      `same key: ${RACES_PER_KIND}× both 200 with identical bodies, a third send after completion answered alike, the key reused for a reject or by another operator 409 idempotency-key-reused (404 out of province), one BureauReviewApproved`,
    );
  });

  it('a platform withdraws while its reviewer approves: exactly one of the two recorded, the other gets 409', async () => {
    await timed('withdraw-vs-approve', async () => {
      for (const race of racesOf('withdraw-vs-approve')) {
        const [withdraw, approve] = await together(
          race.index,
          () => api.call('POST', `/v1/filings/${race.id}/withdrawal`, 'wechat', { reasons: '运营方撤回' }),
          () => api.call('POST', `/v1/filings/${race.id}/platform-review`, 'wechat', { decision: 'approve' }),
        );
        race.spreadMs = Math.abs(withdraw.ms - approve.ms);
        expect([withdraw.status, approve.status].sort()).toEqual([200, 409]);
        if (approve.status === 200) {
          // Approved by the platform, the filing can no longer be withdrawn.
          race.winner = 'approve';
          race.expected = PLATFORM_APPROVED;
          expectAlreadyDecided(withdraw, AFTER_PLATFORM_APPROVAL);
        } else {
          race.winner = 'withdraw';
          race.expected = WITHDRAWN;
          expect(withdraw.json.status).toBe('withdrawn');
          expectAlreadyDecided(approve, ['withdrawn']);
        }
        await api.waitForStatus(race.id, [race.winner === 'approve' ? 'sms_verification' : 'withdrawn']);
        expect(streamProblems(await api.events(race.id), race.expected)).toEqual([]);
      }
    });
    checked.push(`withdraw|approve: ${RACES_PER_KIND}× one 200 and one 409, exactly one of the two outcomes`);
  });

  it('leaves every stream verified, cross-checked with Temporal, and no registration number issued twice', async () => {
    const verify = await runIcp(['audit', 'verify', '--all'], env);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain(`verified ${races.length} of ${races.length} filings`);

    const numbers: string[] = [];
    await inBatches(races, 6, async (race) => {
      const audit = await api.call('GET', `/v1/audit/filings/${race.id}`, 'auditor');
      expect(audit.status).toBe(200);
      expect(audit.json).toMatchObject({ verdict: 'verified', findings: [], temporal: { checked: true } });
      if (race.expected === APPROVED) {
        const view = await api.call('GET', `/v1/filings/${race.id}`, 'auditor');
        expect(view.status).toBe(200);
        numbers.push(String(view.json.registrationNumber));
      }
    });
    expect(numbers.filter((n) => !/^粤ICP备\d{10}号-\d+A$/.test(n))).toEqual([]);
    expect(new Set(numbers).size).toBe(numbers.length);
    checked.push(
      `icp audit verify --all exit 0 (${races.length} filings); each audit verified against Temporal's history; ` +
        `${numbers.length} registration numbers, all distinct`,
    );
  });
});
