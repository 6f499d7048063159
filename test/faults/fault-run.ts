import { subjectNumberCheck } from '../../events/form/subject-number';
import { createTokenVerifier } from '../../infra/auth/token-verifier';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import { registerImportedSubject } from '../support/registry-subjects';
import { GENERATED_PROVINCES, PLATFORM_IDS } from '../support/generated-forms';
import { type CheckReport, checkAfterFaults } from './fault-checks';
import { FaultSystem } from './fault-system';
import { FilingDriver, type DriverTokens } from './filing-driver';
import { RetryingHttpClient } from './resilient-http';

/**
 * One fault scenario end to end: a fresh system of processes, the driver running filings through
 * every path while `chaos` kills and restarts components, then every check, then one summary on the
 * console (`console.info`). Resolves with what a test asserts on.
 */

export interface Chaos {
  readonly system: FaultSystem;
  /** True until every filing has reached the end of its path (or failed). */
  driving(): boolean;
  /** Waits `ms`, or less once driving is over. */
  pause(ms: number): Promise<void>;
  /** Waits until `events` more events are in the log (the system made progress), at most `maxMs`. */
  progress(events: number, maxMs: number): Promise<void>;
}

export interface FaultRunResult {
  readonly report: CheckReport;
  readonly system: FaultSystem;
  readonly driver: FilingDriver;
  readonly http: RetryingHttpClient;
  readonly seconds: number;
}

export interface FaultRunOptions {
  readonly name: string;
  readonly seed: number;
  readonly filings?: number;
  readonly chaos: (chaos: Chaos) => Promise<void>;
  /** Extra checks on the still-running system, before the standard ones. */
  readonly afterwards?: (run: {
    system: FaultSystem;
    driver: FilingDriver;
    http: RetryingHttpClient;
    tokens: DriverTokens;
  }) => Promise<string[]>;
}

export const randomBetween = (min: number, max: number): number => min + Math.random() * (max - min);

export async function runFaultScenario(options: FaultRunOptions): Promise<FaultRunResult> {
  const started = Date.now();
  const system = await FaultSystem.start(options.name);
  const http = new RetryingHttpClient(system.apiBase);
  try {
    const tokens = await issueTokens(system);
    const driver = new FilingDriver({
      http,
      tokens,
      dataDir: system.dataDir,
      count: options.filings ?? 50,
      seed: options.seed,
      runId: `${options.name}-${options.seed}`,
    });
    let driving = true;
    let wake: () => void = () => undefined;
    const over = new Promise<void>((resolve) => (wake = resolve));
    const chaos: Chaos = {
      system,
      driving: () => driving,
      pause: (ms) => Promise.race([new Promise<void>((resolve) => setTimeout(resolve, ms)), over]),
      progress: async (events, maxMs) => {
        const target = system.logHead() + events;
        const deadline = Date.now() + maxMs;
        while (driving && Date.now() < deadline && system.logHead() < target) await chaos.pause(100);
      },
    };
    let chaosFailed: Error | undefined;
    const chaosDone = options.chaos(chaos).catch((error: unknown) => {
      chaosFailed = error as Error;
    });
    await registerExistingSubjects(system.eventLogFile, driver);
    await driver.run();
    driving = false;
    wake();
    await chaosDone;
    // Whatever the chaos left down comes back for the checks (a crashed component included), and the
    // worker starts afresh, so that reading a filing replays its history from the start.
    for (const component of ['temporal', 'worker', 'api', 'projector'] as const) {
      if (!system.isRunning(component)) await system.startComponent(component);
    }
    await system.restart('worker');
    const extra = options.afterwards ? await options.afterwards({ system, driver, http, tokens }) : [];
    const report = await checkAfterFaults({ system, filings: driver.filings, http, tokens });
    report.problems.unshift(...extra);
    if (chaosFailed) report.problems.unshift(`the chaos itself failed: ${chaosFailed.message}`);
    // A crash may make the API answer 503 (send it again); any other 5xx is a defect, even retried.
    for (const [why, count] of Object.entries(http.stats.retriedBecause)) {
      if (/^5\d\d$/.test(why) && why !== '503') {
        report.problems.push(`the API answered ${why} ×${count}: ${http.stats.serverErrors[why] ?? ''}`);
      }
    }
    for (const crash of system.crashes) {
      report.problems.push(
        `${crash.component} exited on its own at +${crash.t.toFixed(1)}s: ${crash.detail}`,
      );
    }
    const seconds = (Date.now() - started) / 1000;
    console.info(summary(options.name, seconds, system, driver, http, report));
    return { report, system, driver, http, seconds };
  } finally {
    http.close();
    await system.shutdown({ keepData: process.env.ICP_FAULTS_KEEP_DATA === '1' });
  }
}

async function issueTokens(system: FaultSystem): Promise<DriverTokens> {
  const verifier = createTokenVerifier({ dataDir: system.dataDir, env: system.env });
  const ttl = 3_600;
  const platforms = new Map<string, string>();
  for (const platformId of PLATFORM_IDS) {
    platforms.set(
      platformId,
      await verifier.issue({ sub: `faults:${platformId}`, role: 'platform', platformId }, ttl),
    );
  }
  const bureaus = new Map<string, string>();
  for (const [{ code }] of GENERATED_PROVINCES) {
    bureaus.set(
      code,
      await verifier.issue({ sub: `faults:bureau-${code}`, role: 'bureau', province: code }, ttl),
    );
  }
  const auditor = await verifier.issue({ sub: 'faults:auditor', role: 'auditor' }, ttl);
  const pick = (map: Map<string, string>, key: string, what: string): string => {
    const token = map.get(key);
    if (!token) throw new Error(`no ${what} token for ${key}`);
    return token;
  };
  return {
    auditor,
    platform: (platformId) => pick(platforms, platformId, 'platform'),
    bureau: (province) => pick(bureaus, province, 'bureau'),
  };
}

/** `a ×2, b ×1`, or `none`. */
function tally(counts: Readonly<Record<string, number>>): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? 'none' : entries.map(([what, n]) => `${what} ×${n}`).join(', ');
}

function summary(
  name: string,
  seconds: number,
  system: FaultSystem,
  driver: FilingDriver,
  http: RetryingHttpClient,
  report: CheckReport,
): string {
  const byPath: Record<string, number> = {};
  for (const filing of driver.filings) byPath[filing.path] = (byPath[filing.path] ?? 0) + 1;
  const drivenIn = Math.max(0, ...driver.filings.map((filing) => filing.finishedAt ?? 0)) / 1000;
  const conflicts = driver.filings.reduce((sum, filing) => sum + filing.conflictsAfterRetry, 0);
  const { stats } = http;
  const latency = Object.entries(stats.latency).map(
    ([method, l]) => `${method} mean ${Math.round(l.totalMs / l.count)} ms, worst ${l.maxMs} ms`,
  );
  return [
    `fault scenario "${name}": ${seconds.toFixed(1)} s, ${report.problems.length} problem(s)`,
    `filings: ${driver.filings.length} (${tally(byPath)}); all driven in ${drivenIn.toFixed(1)} s`,
    `requests: ${stats.requests} sent in ${stats.attempts} attempts; ${stats.retries} retried (${tally(stats.retriedBecause)})`,
    `answers: ${tally(stats.answered)}; ${conflicts} decision(s) found already applied on a retry`,
    `latency (first attempt to answer): ${latency.join('; ')}`,
    ...Object.entries(stats.serverErrors).map(([status, detail]) => `last ${status} said: ${detail}`),
    'timeline:',
    ...system.timelineLines().map((line) => `  ${line}`),
    'checked:',
    ...report.done.map((line) => `  ${line}`),
    ...(report.problems.length > 0 ? ['problems:', ...report.problems.map((line) => `  ${line}`)] : []),
  ].join('\n');
}

/** The subjects the driven forms name by number are in the registry, as an import would have put them. */
async function registerExistingSubjects(eventLogFile: string, driver: FilingDriver): Promise<void> {
  const eventLog = new SqliteEventLog(eventLogFile);
  try {
    for (const { submission } of driver.filings) {
      const { existingSubjectNumber, operatorCertificate } = submission.form as {
        existingSubjectNumber?: string;
        operatorCertificate?: { number: string };
      };
      if (existingSubjectNumber === undefined || operatorCertificate === undefined) continue;
      const check = subjectNumberCheck(existingSubjectNumber);
      if (!check.ok) throw new Error(`fault form ${submission.index} names ${existingSubjectNumber}`);
      await registerImportedSubject(eventLog, {
        subjectKey: `uscc:${operatorCertificate.number}`,
        provinceCode: check.province.code,
        subjectNumber: existingSubjectNumber,
        operatorName: `故障演练主体${submission.index}有限公司`,
        operatorNature: 'enterprise',
        certificateType: 'uscc',
      });
    }
  } finally {
    await eventLog.close();
  }
}
