import { runIcp } from './icp-process';
import type { StartedSystem } from './started-system';

export interface ApiAnswer {
  status: number;
  type: string;
  json: Record<string, unknown>;
}

/**
 * A JSON call to a started system's API: as the named token's holder (none: anonymous), with a body
 * and an Idempotency-Key when given. The system is read at call time (tests start it in beforeAll).
 */
export function apiCaller(system: () => StartedSystem, tokens: Readonly<Record<string, string>>) {
  return async (
    method: string,
    path: string,
    token?: string,
    body?: unknown,
    key?: string,
  ): Promise<ApiAnswer> => {
    const response = await fetch(`${system().base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${tokens[token]}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      type,
      json: /json/.test(type) ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  };
}

/** Reads until `done` holds (every 150 ms, at most 30 s), else fails naming `what` and the last value. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: last seen ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Waits until the filing's status, as the auditor reads it, is `status`. */
export function statusWaiter(call: ReturnType<typeof apiCaller>) {
  return (id: string, status: string) =>
    eventually(
      async () => (await call('GET', `/v1/filings/${id}`, 'auditor')).json,
      (view) => view.status === status,
      `filing ${id} reaching ${status}`,
    );
}

/** The latest 12381 code sent to a mobile (`icp outbox` lists the most recent first). */
export async function latestSmsCode(env: NodeJS.ProcessEnv, mobile: string): Promise<string | undefined> {
  const outbox = await runIcp(['outbox', '--to', mobile, '--json'], env);
  const texts = (JSON.parse(outbox.stdout) as Array<{ text: string }>).map((message) => message.text);
  return texts.map((text) => /核验码为(\d{6})/.exec(text)?.[1]).find((code) => code !== undefined);
}
