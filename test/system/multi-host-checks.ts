import { Client, Connection } from '@temporalio/client';
import { filingStreamId } from '../../events/filing/stream-ids';
import { FAULT_PATHS } from '../faults/fault-paths';
import type { DriverTokens } from '../faults/filing-driver';
import type { ApiRoundRobin } from '../support/multi-host/api-round-robin';
import type { Host, MultiHostCluster } from '../support/multi-host/hosts';
import type { HostedFiling } from './multi-host-driver';

/**
 * What must hold after a multi-host run. Each check adds to the report every problem it found (so a
 * failing run shows them all at once) and one line saying what it checked.
 */

export interface Checked {
  readonly problems: string[];
  readonly done: string[];
}

const SERVICE_NUMBER = /^\p{Script=Han}ICP备\d{10}号-\d+[AX]$/u;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every filing at its path's end, its retried submission the same filing, one number each. */
export function checkOutcomes(filings: readonly HostedFiling[], report: Checked): void {
  const numbers = new Set<string>();
  for (const filing of filings) {
    const label = `filing #${filing.index}`;
    if (filing.error) report.problems.push(`${label}: ${filing.error}`);
    if (filing.retriedAs !== filing.filingId)
      report.problems.push(`${label}: sent again it answered ${filing.retriedAs}, not ${filing.filingId}`);
    if (filing.status !== FAULT_PATHS[filing.path].finalStatus)
      report.problems.push(`${label}: ended ${filing.status}`);
    const number = filing.registrationNumber ?? '';
    if (!SERVICE_NUMBER.test(number)) report.problems.push(`${label}: no service number (${number})`);
    numbers.add(number);
  }
  const crossed = filings.filter((f) => f.hosts.submit && f.hosts.submit !== f.hosts['submit again']);
  report.done.push(
    `${filings.length} filings completed with ${numbers.size} distinct service numbers; ` +
      `each submission sent again with its Idempotency-Key named the same filing (${crossed.length} of them to the other API host)`,
  );
}

/** Each stream, read over HTTP: exactly its path's event types, seq 0…n-1, no event id twice anywhere. */
export async function checkEventStreams(
  api: ApiRoundRobin,
  tokens: DriverTokens,
  filings: readonly HostedFiling[],
  report: Checked,
): Promise<void> {
  const seen = new Map<string, number>();
  let events = 0;
  for (const filing of filings) {
    const answer = await api.send({
      method: 'GET',
      path: `/v1/filings/${filing.filingId}/events`,
      token: tokens.auditor,
      turn: filing.index,
    });
    const stream = (answer.json.events ?? []) as Array<{ seq: number; id: string; type: string }>;
    const types = stream.map((event) => event.type).join(' → ');
    const expected = FAULT_PATHS[filing.path].events.join(' → ');
    if (answer.status !== 200 || types !== expected)
      report.problems.push(`filing #${filing.index}: events ${answer.status} ${types}; expected ${expected}`);
    stream.forEach((event, position) => {
      if (event.seq !== position)
        report.problems.push(`filing #${filing.index}: seq ${event.seq} at ${position}`);
      seen.set(event.id, (seen.get(event.id) ?? 0) + 1);
    });
    events += stream.length;
  }
  const twice = [...seen.values()].filter((count) => count > 1).length;
  if (twice > 0) report.problems.push(`${twice} event id(s) stored more than once`);
  report.done.push(
    `event log (over GET /v1/filings/:id/events): ${events} events in ${filings.length} streams, each exactly its path's types, seq without gap, no event id twice`,
  );
}

export interface SmsProvenance {
  readonly filing: HostedFiling;
  /** The worker host whose `sendSmsChallenge` attempt completed (the code it issued is the one answered). */
  readonly sentBy: string;
  /** The worker hosts of each `checkSmsAnswer`, in order. */
  readonly checkedBy: readonly string[];
}

/** Which worker sent each 12381 code and which checked each answer, from the workflow histories. */
export async function smsProvenance(
  cluster: MultiHostCluster,
  filings: readonly HostedFiling[],
): Promise<SmsProvenance[]> {
  const connection = await Connection.connect({ address: cluster.temporal.address });
  try {
    const client = new Client({ connection });
    return await Promise.all(
      filings.map(async (filing) => {
        const history = await client.workflow
          .getHandle(filingStreamId(filing.filingId as string))
          .fetchHistory();
        const activityOf = new Map<string, string>();
        const by: Record<string, string[]> = { sendSmsChallenge: [], checkSmsAnswer: [] };
        for (const event of history.events ?? []) {
          const scheduled = event.activityTaskScheduledEventAttributes;
          if (scheduled) activityOf.set(String(event.eventId), scheduled.activityType?.name ?? '');
          const started = event.activityTaskStartedEventAttributes;
          if (!started) continue;
          const name = activityOf.get(String(started.scheduledEventId)) ?? '';
          by[name]?.push(cluster.hostOfIdentity(started.identity ?? ''));
        }
        return { filing, sentBy: by.sendSmsChallenge?.at(-1) ?? 'none', checkedBy: by.checkSmsAnswer ?? [] };
      }),
    );
  } finally {
    await connection.close();
  }
}

/**
 * Every answer checked, as many times as the path answers; the right answer sent through the API host
 * that had not taken the platform's approval (required while both were up: wave 1); and some answers
 * checked by the worker host that did not send the code.
 */
export function checkSmsCrossing(provenance: readonly SmsProvenance[], report: Checked): void {
  const sent: Record<string, number> = {};
  const checked: Record<string, number> = {};
  const crossings: Record<string, number> = {};
  let crossedFilings = 0;
  let viaOtherHost = 0;
  for (const { filing, sentBy, checkedBy } of provenance) {
    const label = `filing #${filing.index}`;
    const expectedChecks = FAULT_PATHS[filing.path].steps.reduce(
      (sum, step) => sum + (step.kind === 'sms' ? step.wrong + 1 : 0),
      0,
    );
    if (checkedBy.length !== expectedChecks)
      report.problems.push(`${label}: ${checkedBy.length} SMS checks, expected ${expectedChecks}`);
    if (filing.hosts.sms !== filing.hosts.platform) viaOtherHost += 1;
    else if (filing.wave === 1) report.problems.push(`${label}: SMS answered through the approving host`);
    sent[sentBy] = (sent[sentBy] ?? 0) + 1;
    for (const worker of checkedBy) {
      checked[worker] = (checked[worker] ?? 0) + 1;
      if (worker !== sentBy)
        crossings[`${sentBy} → ${worker}`] = (crossings[`${sentBy} → ${worker}`] ?? 0) + 1;
    }
    if (checkedBy.some((worker) => worker !== sentBy)) crossedFilings += 1;
  }
  if (crossedFilings === 0)
    report.problems.push('no SMS answer was checked by a worker other than the sender');
  report.done.push(
    `12381 codes sent by ${tally(sent)}; answers checked by ${tally(checked)}; ` +
      `${crossedFilings} of ${provenance.length} filings had an answer checked by the worker host that did not send the code (${tally(crossings)})`,
    `right answers through the API host that had not taken the platform's approval: ${viaOtherHost} of ${provenance.length} (every one while both API hosts were up)`,
  );
}

/** `a ×2, b ×1`, or `none`. */
export function tally(counts: Readonly<Record<string, number>>): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? 'none' : entries.map(([what, n]) => `${what} ×${n}`).join(', ');
}

/** What a read-model route answers on one API host, by route. */
async function readModelAnswers(
  api: ApiRoundRobin,
  host: Host,
  tokens: DriverTokens,
  filings: readonly HostedFiling[],
): Promise<Record<string, string>> {
  const turn = api.turnOf(host.name);
  const get = async (path: string, token?: string) => {
    const answer = await api.send({ method: 'GET', path, token, turn });
    if (answer.host !== host.name) throw new Error(`${host.name} did not answer ${path}`);
    return JSON.stringify({ status: answer.status, json: answer.json });
  };
  const answers: Record<string, string> = {
    'GET /v1/filings': await get('/v1/filings?limit=200', tokens.auditor),
    'GET /v1/dashboard/sla': await get('/v1/dashboard/sla', tokens.auditor),
  };
  for (const filing of filings) {
    const number = encodeURIComponent(filing.registrationNumber ?? '');
    answers[`GET /v1/public/services?serviceNumber=(#${filing.index})`] = await get(
      `/v1/public/services?serviceNumber=${number}`,
    );
  }
  return answers;
}

/**
 * The projector has caught up (every filing listed in its end state on every API host), and every
 * API host answers the read-model routes identically.
 */
export async function checkReadModelsAgree(
  api: ApiRoundRobin,
  hosts: readonly Host[],
  tokens: DriverTokens,
  filings: readonly HostedFiling[],
  report: Checked,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  let answers: Array<Record<string, string>> = [];
  for (;;) {
    answers = await Promise.all(hosts.map((host) => readModelAnswers(api, host, tokens, filings)));
    const listed = answers.map((byRoute) => listedStatuses(byRoute['GET /v1/filings'] ?? '{}'));
    const behind = filings.filter((f) =>
      listed.some((statuses) => statuses.get(f.filingId ?? '') !== f.status),
    );
    if (behind.length === 0) break;
    if (Date.now() > deadline) {
      report.problems.push(
        `read models: ${behind.length} filing(s) not listed in their end state after 30 s`,
      );
      return;
    }
    await pause(500);
  }
  const [first, ...others] = answers;
  for (const [n, other] of others.entries()) {
    for (const [route, answer] of Object.entries(first ?? {})) {
      if (other[route] !== answer)
        report.problems.push(
          `read models: ${route} differs between ${hosts[0]?.name} and ${hosts[n + 1]?.name}`,
        );
    }
  }
  report.done.push(
    `read models on ${hosts.map((host) => host.name).join(' and ')}: all ${filings.length} filings listed in their end state` +
      (hosts.length > 1
        ? `; ${Object.keys(first ?? {}).length} read-model answers (filing list, SLA dashboard, each public service) identical on both`
        : ''),
  );
}

function listedStatuses(answer: string): Map<string, string> {
  const { json } = JSON.parse(answer) as { json: { items?: Array<{ filingId: string; status: string }> } };
  return new Map((json.items ?? []).map((item) => [item.filingId, item.status]));
}

/** `icp audit verify --all` exit 0 and `icp projections rebuild --verify` identical, run from an operator's host. */
export async function checkWithCli(cluster: MultiHostCluster, report: Checked): Promise<void> {
  const audit = await cluster.runCli(['audit', 'verify', '--all']);
  if (audit.code !== 0)
    report.problems.push(`icp audit verify --all exited ${audit.code}: ${tail(audit.stdout + audit.stderr)}`);
  const verified = audit.stdout.split('\n').filter((line) => line.startsWith('verified'));
  report.done.push(`icp audit verify --all: exit ${audit.code} (${verified.join('; ')})`);
  const rebuild = await cluster.runCli(['projections', 'rebuild', '--verify']);
  const lines = rebuild.stdout.trim().split('\n');
  if (rebuild.code !== 0 || lines.some((line) => !/^\w+: identical \(/.test(line)))
    report.problems.push(
      `icp projections rebuild --verify exited ${rebuild.code}: ${tail(rebuild.stdout + rebuild.stderr)}`,
    );
  report.done.push(
    `icp projections rebuild --verify: exit ${rebuild.code} (${lines.map((line) => line.split(' (')[0]).join(', ')})`,
  );
}

function tail(text: string): string {
  return text.trim().split('\n').slice(-6).join(' | ');
}

/** No host keeps a store on its own disk: every SQLite file would be state another host cannot see. */
export function checkNothingOnDisk(cluster: MultiHostCluster, report: Checked): void {
  const contents = cluster.dataDirectoryContents();
  for (const [host, files] of Object.entries(contents)) {
    const stores = files.filter((file) => /\.sqlite/.test(file));
    if (stores.length > 0) report.problems.push(`${host} keeps ${stores.join(', ')} in its data directory`);
  }
  report.done.push(
    `data directories: ${Object.entries(contents)
      .map(([host, files]) => `${host} ${files.length === 0 ? 'empty' : files.join(' ')}`)
      .join('; ')}`,
  );
}

/**
 * The worker and projector hosts still up answer their ops port: /livez and /readyz 200 (the body
 * names the worker's state or the projector's role), and /metrics; the projector's lag is 0 events.
 */
export async function checkOpsEndpoints(cluster: MultiHostCluster, report: Checked): Promise<void> {
  const seen: string[] = [];
  for (const host of cluster.hosts.filter((h) => h.alive && h.ops)) {
    const [livez, readyz, metrics] = await Promise.all(
      ['/livez', '/readyz', '/metrics'].map((path) => fetch(`${host.ops}${path}`)),
    );
    const body = (await (readyz as Response).json()) as { worker?: string; projector?: string };
    const text = await (metrics as Response).text();
    if (livez?.status !== 200 || readyz?.status !== 200 || metrics?.status !== 200)
      report.problems.push(
        `${host.name} ops: /livez ${livez?.status}, /readyz ${readyz?.status}, /metrics ${metrics?.status}`,
      );
    if (host.role === 'projector' && /^icp_projection_lag_events\{[^}]*\} [1-9]/m.test(text))
      report.problems.push(`${host.name}: a projection lags (${lagLines(text)})`);
    seen.push(`${host.name} ${body.worker ?? body.projector ?? JSON.stringify(body)}`);
  }
  report.done.push(`ops ports: /livez, /readyz, /metrics 200 on ${seen.join(', ')}; projector lag 0 events`);
}

function lagLines(metrics: string): string {
  return metrics
    .split('\n')
    .filter((line) => line.startsWith('icp_projection_lag_events'))
    .join('; ');
}
