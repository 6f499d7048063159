/** What the API answered: status, content type, the JSON body (or `{}`) and the raw text. */
export interface ApiAnswer {
  status: number;
  type: string;
  json: Record<string, unknown>;
  text: string;
}

export interface RequestOptions {
  /** An Idempotency-Key header. */
  key?: string;
  /** A raw body sent as is (e.g. NDJSON), instead of `body` as JSON. */
  raw?: { contentType: string; text: string };
  accept?: string;
}

/** method, path, the token's name (undefined: anonymous), a JSON body, options. */
export type ApiCall = (
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  options?: RequestOptions,
) => Promise<ApiAnswer>;

/**
 * Attempts of a call the API answers 503 (Temporal busy: on a loaded machine the first workflow task
 * of a cold worker can take longer than a submission waits): a GET, or a request with an Idempotency-Key.
 */
const ATTEMPTS_WHEN_UNAVAILABLE = 10;

/**
 * Calls to the API at `base` with the named tokens (read at call time). A 503 is asked again, as the
 * API says to ("send again with the same Idempotency-Key"), when the request may safely be repeated.
 */
export function apiClient(base: string, tokens: Readonly<Record<string, string>>): ApiCall {
  const once = onceClient(base, tokens);
  return async (method, path, token, body, options = {}) => {
    const repeatable = method === 'GET' || options.key !== undefined;
    for (let attempt = 1; ; attempt += 1) {
      const answer = await once(method, path, token, body, options);
      if (answer.status !== 503 || !repeatable || attempt >= ATTEMPTS_WHEN_UNAVAILABLE) return answer;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  };
}

function onceClient(base: string, tokens: Readonly<Record<string, string>>): ApiCall {
  return async (method, path, token, body, options = {}) => {
    const bearer = token === undefined ? undefined : tokens[token];
    if (token !== undefined && bearer === undefined) throw new Error(`no token minted as ${token}`);
    const contentType = options.raw?.contentType ?? (body === undefined ? undefined : 'application/json');
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(contentType ? { 'content-type': contentType } : {}),
        ...(options.key ? { 'idempotency-key': options.key } : {}),
        ...(options.accept ? { accept: options.accept } : {}),
      },
      body: options.raw?.text ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    return {
      status: response.status,
      type,
      json: /json/.test(type) && text !== '' ? (JSON.parse(text) as Record<string, unknown>) : {},
      text,
    };
  };
}

/**
 * Reads until `done` holds (every `intervalMs`, at most `timeoutMs`), else fails naming `what` and the last
 * value: how a test waits for a workflow or the projector, never with a fixed sleep. The bound is
 * generous: on a busy 2-core machine one workflow task can take seconds.
 */
export async function waitUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 120_000,
  intervalMs = 250,
): Promise<T> {
  // Monotonic: `Date` may follow the test server's clock, which jumps when time is skipped.
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (performance.now() > deadline) throw new Error(`${what}: last seen ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
