import { createTokenVerifier } from '../../infra/auth/token-verifier';
import type { TokenClaims } from '../../events/auth/token-claims';
import { loadValidForm } from '../fixtures/forms/form-fixtures';
import { withDistinctIdentifiers } from '../support/distinct-identifiers';
import { runIcp } from '../system/icp-process';
import type { RecordedEvent } from '../../events/ports/event-log.port';

/**
 * A caller of the real HTTP API as the outage and race tests drive it: bearer tokens as `icp token`
 * signs them, 12381 codes read with `icp outbox`, every request counted and timed.
 */

export interface Answer {
  readonly status: number;
  readonly type: string;
  readonly json: Record<string, unknown>;
  readonly headers: Headers;
  readonly ms: number;
}

export class FilingApi {
  /** Requests sent, by `METHOD route-template` (ids replaced by `:id`). */
  readonly requests = new Map<string, number>();

  constructor(
    readonly base: string,
    readonly tokens: Readonly<Record<string, string>>,
  ) {}

  get requestCount(): number {
    return [...this.requests.values()].reduce((sum, n) => sum + n, 0);
  }

  async call(
    method: string,
    path: string,
    who?: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const route = `${method} ${path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id').replace(/\?.*$/, '')}`;
    this.requests.set(route, (this.requests.get(route) ?? 0) + 1);
    const token = who === undefined ? undefined : this.tokens[who];
    if (who !== undefined && !token) throw new Error(`no token for ${who}`);
    const started = Date.now();
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      type,
      json: text && /json/.test(type) ? (JSON.parse(text) as Record<string, unknown>) : {},
      headers: response.headers,
      ms: Date.now() - started,
    };
  }

  /** Polls `GET /v1/filings/:id` (the workflow's live state) until one of `statuses`. */
  async waitForStatus(id: string, statuses: readonly string[], timeoutMs = 60_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      const answer = await this.call('GET', `/v1/filings/${id}`, 'auditor');
      last = answer.status === 200 ? String(answer.json.status) : `HTTP ${answer.status}`;
      if (statuses.includes(last)) return last;
      if (Date.now() > deadline)
        throw new Error(`filing ${id} did not reach ${statuses.join('|')}; last ${last}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The filing's stream as the auditor's route gives it. */
  async events(id: string): Promise<StreamEvent[]> {
    const answer = await this.call('GET', `/v1/filings/${id}/events`, 'auditor');
    if (answer.status !== 200) throw new Error(`events of ${id}: HTTP ${answer.status}`);
    return answer.json.events as StreamEvent[];
  }
}

export interface StreamEvent {
  readonly seq: number;
  readonly id: string;
  readonly type: string;
  readonly hash: string;
  readonly metadata: { readonly prevHash?: string; readonly seq?: number };
}

/** Recorded events as `streamProblems` reads them. */
export function asStreamEvents(events: readonly RecordedEvent[]): StreamEvent[] {
  return events.map((e) => ({
    seq: e.revision,
    id: e.id,
    type: e.type,
    hash: (e.metadata as { hash: string }).hash,
    metadata: e.metadata as { prevHash?: string; seq?: number },
  }));
}

/**
 * A bearer token for each name, signed as `icp token` signs them (the same verifier's `issue`, with
 * the data directory's local secret), in process: a CLI start per token costs seconds on 2 cores.
 */
export async function issueTokens(
  env: NodeJS.ProcessEnv,
  claims: Readonly<Record<string, TokenClaims>>,
): Promise<Record<string, string>> {
  const dataDir = env.ICP_DATA_DIR;
  if (!dataDir) throw new Error('issueTokens needs the system’s ICP_DATA_DIR');
  const verifier = createTokenVerifier({ dataDir, env });
  const entries = await Promise.all(
    Object.entries(claims).map(async ([name, c]) => [name, await verifier.issue(c, 1800)] as const),
  );
  return Object.fromEntries(entries);
}

/** The valid app form under an app name of its own, so its 12381 SMS can be told from the others'. */
export function appForm(appName: string): Record<string, unknown> {
  // A service of its own: a package name already in another filing is refused at submission.
  const form = withDistinctIdentifiers(loadValidForm('valid-app'), appName);
  (form.app as { name: string }).name = appName;
  return form;
}

/** The newest 12381 code of each app named, read with one `icp outbox --json`. */
export async function smsCodes(
  env: NodeJS.ProcessEnv,
  appNames: readonly string[],
): Promise<Map<string, string>> {
  const result = await runIcp(['outbox', '--json', '--limit', '1000'], env);
  if (result.code !== 0) throw new Error(`icp outbox exited ${result.code}: ${result.stderr}`);
  const messages = JSON.parse(result.stdout) as Array<{ channel: string; text: string }>;
  const codes = new Map<string, string>();
  for (const name of appNames) {
    const text = messages.find((m) => m.channel === 'sms' && m.text.includes(`「${name}」`))?.text ?? '';
    const code = /核验码为(\d{6})/.exec(text)?.[1];
    if (code) codes.set(name, code);
  }
  return codes;
}

/** The app principal's last six ID characters in every form built by `appForm`. */
export const ID_LAST6 = '150043';

/** Runs `task` over `items`, at most `limit` at a time. */
export async function inBatches<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  });
  await Promise.all(lanes);
  return results;
}

/**
 * What is wrong with a filing's stream against the exact event types expected: other types or order,
 * an id twice, a seq out of place, a link of the hash chain that does not hold.
 */
export function streamProblems(events: readonly StreamEvent[], expectedTypes: readonly string[]): string[] {
  const problems: string[] = [];
  const types = events.map((e) => e.type);
  if (types.join(',') !== expectedTypes.join(',')) {
    problems.push(`types [${types.join(', ')}], expected [${expectedTypes.join(', ')}]`);
  }
  if (new Set(events.map((e) => e.id)).size !== events.length) problems.push('an event id appears twice');
  events.forEach((event, index) => {
    if (event.seq !== index || event.metadata.seq !== index)
      problems.push(`event ${index} has seq ${event.seq}`);
    const previous = events[index - 1];
    if (previous && event.metadata.prevHash !== previous.hash)
      problems.push(`event ${index} breaks the chain`);
  });
  return problems;
}
