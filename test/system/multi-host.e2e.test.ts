import { Pool } from 'pg';
import { subjectNumberCheck } from '../../events/form/subject-number';
import { openEventLog } from '../../infra/event-log/open-event-log';
import { PgOutbox } from '../../infra/postgres/pg-outbox';
import { endsPool } from '../../infra/postgres/pg-pool';
import { checkWorkflowRuns } from '../faults/fault-checks';
import type { DriverTokens } from '../faults/filing-driver';
import { GENERATED_PROVINCES, PLATFORM_IDS } from '../support/generated-forms';
import { ApiRoundRobin } from '../support/multi-host/api-round-robin';
import { MultiHostCluster } from '../support/multi-host/hosts';
import { registerImportedSubject } from '../support/registry-subjects';
import {
  type Checked,
  checkEventStreams,
  checkNothingOnDisk,
  checkOpsEndpoints,
  checkOutcomes,
  checkReadModelsAgree,
  checkSmsCrossing,
  checkWithCli,
  smsProvenance,
  tally,
} from './multi-host-checks';
import { type HostedFiling, MultiHostDriver } from './multi-host-driver';

/**
 * Issue 18's deployment on one machine: two `icp api` and two `icp worker` processes, each with a data
 * directory of its own, one `icp projector`, one Temporal dev server and one PostgreSQL holding the
 * event log, the read models and every shared store. 50 filings are driven over HTTP, each request to
 * either API host in turn; then one API host and one worker host are SIGKILLed while filings are in
 * flight, and the rest is driven through the survivors. It prints what it did and what it checked.
 */

const FILINGS_PER_WAVE = 25;
/** Wave 2's SMS answers are held until this many of its filings wait for one, then the hosts die. */
const AT_GATE_BEFORE_KILL = 8;
const SEED = 1818;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Kill {
  readonly at: string;
  readonly hosts: readonly string[];
  /** Where wave 2's filings stood when the hosts died. */
  readonly statuses: Record<string, number>;
  /** How many of them were on their way (submitted, not yet completed). */
  readonly inFlight: number;
}

describe('several hosts: two API and two worker processes, one projector, one Temporal, one PostgreSQL', () => {
  let cluster: MultiHostCluster;
  let api: ApiRoundRobin;
  let outboxPool: Pool;
  let outbox: PgOutbox;
  const started = Date.now();

  beforeAll(async () => {
    cluster = await MultiHostCluster.start('multi-host', { apis: 2, workers: 2, projectors: 1 });
    api = new ApiRoundRobin(cluster.byRole('api'));
    outboxPool = new Pool({ connectionString: cluster.postgres.url, max: 2 });
    outbox = await PgOutbox.open(outboxPool, endsPool(outboxPool));
  }, 240_000);

  afterAll(async () => {
    api?.close();
    await outbox?.close();
    await cluster?.stop();
  }, 60_000);

  it('drives 50 filings through either host, survives losing an API and a worker mid-flight, and agrees everywhere', async () => {
    const startedUp = (Date.now() - started) / 1000;
    const tokens = await issueTokens(cluster);
    const driver = new MultiHostDriver({
      api,
      tokens,
      outbox,
      seed: SEED,
      runId: `multi-host-${SEED}`,
      waveBudgetMs: 150_000,
    });
    const report: Checked = { problems: [], done: [] };
    const phases: Record<string, number> = {};
    const timed = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
      const from = Date.now();
      try {
        return await work();
      } finally {
        phases[phase] = Math.round((Date.now() - from) / 100) / 10;
      }
    };

    const wave1 = driver.addWave(1, FILINGS_PER_WAVE);
    await timed('wave 1', async () => {
      await registerNamedSubjects(cluster, wave1);
      await driver.drive(wave1);
    });
    await timed('read models compared', () =>
      checkReadModelsAgree(api, cluster.byRole('api'), tokens, wave1, report),
    );

    const wave2 = driver.addWave(2, FILINGS_PER_WAVE);
    const kill = await timed('wave 2', async () => {
      await registerNamedSubjects(cluster, wave2);
      let openGate: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (openGate = resolve));
      const driving = driver.drive(wave2, gate);
      const killed = await killMidFlight(cluster, driver, wave2).finally(openGate);
      await driving;
      return killed;
    });

    const filings = driver.filings;
    await timed('checks', async () => {
      checkOutcomes(filings, report);
      await checkEventStreams(api, tokens, filings, report);
      report.problems.push(...(await checkWorkflowRuns(cluster.temporal.address, filings)));
      report.done.push('Temporal: one run per filing, closed');
      checkSmsCrossing(await smsProvenance(cluster, filings), report);
      const survivors = cluster.byRole('api').filter((host) => host.alive);
      await checkReadModelsAgree(api, survivors, tokens, filings, report);
      await checkWithCli(cluster, report);
      checkNothingOnDisk(cluster, report);
      await checkOpsEndpoints(cluster, report);
      report.problems.push(...unexpected(cluster, api));
    });

    const seconds = (Date.now() - started) / 1000;
    console.info(summary({ cluster, api, driver, kill, report, startedUp, phases, seconds }));
    expect(kill.hosts).toHaveLength(2);
    expect(kill.inFlight).toBeGreaterThanOrEqual(AT_GATE_BEFORE_KILL);
    expect(report.problems).toEqual([]);
  }, 420_000);
});

/** Tokens from `icp token` on an operator's host, signed with the shared ICP_SECRET_JWT. */
async function issueTokens(cluster: MultiHostCluster): Promise<DriverTokens> {
  const token = async (...args: string[]) => {
    const result = await cluster.runCli(['token', ...args, '--ttl', '3600']);
    if (result.code !== 0) throw new Error(`icp token ${args.join(' ')}: ${result.stderr}`);
    return result.stdout.trim();
  };
  const provinces = GENERATED_PROVINCES.map(([{ code }]) => code);
  const [auditor, ...rest] = await Promise.all([
    token('--role', 'auditor'),
    ...PLATFORM_IDS.map((id) => token('--role', 'platform', '--platform', id)),
    ...provinces.map((code) => token('--role', 'bureau', '--province', code)),
  ]);
  const platforms = new Map(PLATFORM_IDS.map((id, n) => [id, rest[n] as string]));
  const bureaus = new Map(provinces.map((code, n) => [code, rest[PLATFORM_IDS.length + n] as string]));
  const pick = (map: Map<string, string>, key: string) => {
    const found = map.get(key);
    if (!found) throw new Error(`no token for ${key}`);
    return found;
  };
  return {
    auditor: auditor as string,
    platform: (id) => pick(platforms, id),
    bureau: (code) => pick(bureaus, code),
  };
}

/** The subjects some forms name by number are in the registry, as an import put them (in the shared log). */
async function registerNamedSubjects(cluster: MultiHostCluster, filings: readonly HostedFiling[]) {
  const eventLog = openEventLog(cluster.sharedEnv.EVENT_STORE_URL as string);
  try {
    for (const { submission } of filings) {
      const { existingSubjectNumber, operatorCertificate } = submission.form as {
        existingSubjectNumber?: string;
        operatorCertificate?: { number: string };
      };
      if (existingSubjectNumber === undefined || operatorCertificate === undefined) continue;
      const check = subjectNumberCheck(existingSubjectNumber);
      if (!check.ok) throw new Error(`form ${submission.index} names ${existingSubjectNumber}`);
      await registerImportedSubject(eventLog, {
        subjectKey: `uscc:${operatorCertificate.number}`,
        provinceCode: check.province.code,
        subjectNumber: existingSubjectNumber,
        operatorName: `多主机演练主体${submission.index}有限公司`,
        operatorNature: 'enterprise',
        certificateType: 'uscc',
      });
    }
  } finally {
    await eventLog.close();
  }
}

/**
 * Once enough of wave 2 wait at the SMS gate (codes sent, others still being submitted or reviewed),
 * SIGKILLs the second API host and the worker host that sent most of the waiting codes, so those codes
 * can only be checked by the other worker. Neither is restarted.
 */
async function killMidFlight(
  cluster: MultiHostCluster,
  driver: MultiHostDriver,
  wave: readonly HostedFiling[],
): Promise<Kill> {
  const deadline = Date.now() + 120_000;
  while (driver.atGate.size < AT_GATE_BEFORE_KILL) {
    if (Date.now() > deadline) throw new Error(`only ${driver.atGate.size} filings reached the SMS step`);
    await pause(200);
  }
  const senders: Record<string, number> = {};
  for (const { sentBy } of await smsProvenance(cluster, [...driver.atGate]))
    senders[sentBy] = (senders[sentBy] ?? 0) + 1;
  const worker = Object.entries(senders).sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'worker-1';
  const statuses: Record<string, number> = {};
  for (const filing of wave) {
    const status = filing.filingId ? (filing.status ?? 'submitted') : 'not yet submitted';
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
  const hosts = ['api-2', worker];
  await Promise.all(hosts.map((name) => cluster.kill(name)));
  const inFlight = wave.filter((filing) => filing.filingId && filing.status !== 'completed').length;
  return { at: new Date().toISOString(), hosts, statuses, inFlight };
}

/** Hosts that died on their own, and 5xx answers other than 503 (a host down or Temporal busy). */
function unexpected(cluster: MultiHostCluster, api: ApiRoundRobin): string[] {
  const problems = [...cluster.crashes];
  for (const [why, count] of Object.entries(api.stats().retriedBecause)) {
    if (/ 5\d\d$/.test(why) && !why.endsWith(' 503'))
      problems.push(`${why} ×${count}: ${api.stats().serverErrors[why] ?? ''}`);
  }
  return problems;
}

function summary(run: {
  cluster: MultiHostCluster;
  api: ApiRoundRobin;
  driver: MultiHostDriver;
  kill: Kill;
  report: Checked;
  startedUp: number;
  phases: Record<string, number>;
  seconds: number;
}): string {
  const { cluster, api, driver, kill, report } = run;
  const hosts = cluster.hosts.map(
    (host) => `${host.name} pid ${host.pid}${host.killed ? ' (SIGKILLed)' : ''}`,
  );
  const paths: Record<string, number> = {};
  for (const filing of driver.filings) paths[filing.path] = (paths[filing.path] ?? 0) + 1;
  return [
    `multi-host run: ${run.seconds.toFixed(1)} s, ${report.problems.length} problem(s); hosts up in ${run.startedUp.toFixed(1)} s, then ${Object.entries(
      run.phases,
    )
      .map(([phase, s]) => `${phase} ${s} s`)
      .join(', ')}`,
    `shared: Temporal ${cluster.temporal.address}, PostgreSQL (event log, read models, Idempotency-Keys, SMS challenges and rate limits, outbox)`,
    `hosts, each with its own data directory: ${hosts.join(', ')}`,
    `filings: ${driver.filings.length} in 2 waves of ${FILINGS_PER_WAVE} (${tally(paths)})`,
    `answers by host: ${tally(api.answeredBy)}`,
    `requests moved to the other API host after a failure: ${api.movedToAnotherHost}; retries: ${tally(api.stats().retriedBecause)}`,
    `killed at ${kill.at.slice(11, 23)}: ${kill.hosts.join(' and ')} (SIGKILL, not restarted) with ${kill.inFlight} filings in flight; wave 2 then: ${tally(kill.statuses)}`,
    'checked:',
    ...report.done.map((line) => `  ${line}`),
    ...(report.problems.length > 0 ? ['problems:', ...report.problems.map((line) => `  ${line}`)] : []),
  ].join('\n');
}
