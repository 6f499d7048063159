import { Agent, request as httpRequest } from 'node:http';

/**
 * An HTTP client for an API that may be down at any moment: connection errors, 5xx and 429 are
 * retried with capped exponential backoff and jitter until a deadline, and every outcome is counted.
 * Callers make each request idempotent (an Idempotency-Key on every POST), so a retry after a lost
 * response is safe.
 */

export interface HttpAnswer {
  readonly status: number;
  readonly json: Record<string, unknown>;
  /** Attempts it took (1 = answered first time). */
  readonly attempts: number;
}

export interface HttpStats {
  requests: number;
  attempts: number;
  retries: number;
  /** Why attempts were retried: `ECONNREFUSED`, `503`, `timeout`, … */
  retriedBecause: Record<string, number>;
  /** Final statuses by method, e.g. `POST 200`. */
  answered: Record<string, number>;
  /** The last problem detail of each retried 5xx status, for a report. */
  serverErrors: Record<string, string>;
  /** Milliseconds from first attempt to final answer, by method: count, sum and worst. */
  latency: Record<string, { count: number; totalMs: number; maxMs: number }>;
}

export interface RequestOptions {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly token?: string;
  readonly body?: unknown;
  readonly idempotencyKey?: string;
  /** Source address on loopback (127.x.y.z): one per applicant, as separate phones would be. */
  readonly localAddress?: string;
  /** Give up retrying after this long (default 150 s). */
  readonly deadlineMs?: number;
}

const ATTEMPT_TIMEOUT_MS = 45_000;
const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

export class RetryingHttpClient {
  readonly stats: HttpStats = {
    requests: 0,
    attempts: 0,
    retries: 0,
    retriedBecause: {},
    answered: {},
    serverErrors: {},
    latency: {},
  };
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 96 });

  constructor(private readonly base: string) {}

  async send(options: RequestOptions): Promise<HttpAnswer> {
    const first = Date.now();
    const deadline = first + (options.deadlineMs ?? 150_000);
    this.stats.requests += 1;
    for (let attempt = 1; ; attempt += 1) {
      this.stats.attempts += 1;
      let reason: string;
      let waitMs = Math.min(2_000, 100 * 2 ** Math.min(attempt - 1, 5)) * (0.5 + Math.random() / 2);
      try {
        const answer = await this.once(options);
        if (!RETRYABLE_STATUS.has(answer.status)) {
          const key = `${options.method} ${answer.status}`;
          this.stats.answered[key] = (this.stats.answered[key] ?? 0) + 1;
          const latency = (this.stats.latency[options.method] ??= { count: 0, totalMs: 0, maxMs: 0 });
          latency.count += 1;
          latency.totalMs += Date.now() - first;
          latency.maxMs = Math.max(latency.maxMs, Date.now() - first);
          return { ...answer, attempts: attempt };
        }
        reason = String(answer.status);
        if (answer.status >= 500) {
          const { title, detail, unparsed } = answer.json;
          this.stats.serverErrors[reason] = String(detail ?? title ?? unparsed ?? '').slice(0, 300);
        }
        const retryAfter = Number(answer.retryAfter);
        if (answer.status === 429 && retryAfter > 0) waitMs = retryAfter * 1_000;
      } catch (error) {
        reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      }
      this.stats.retriedBecause[reason] = (this.stats.retriedBecause[reason] ?? 0) + 1;
      if (Date.now() + waitMs > deadline) {
        throw new Error(
          `${options.method} ${redactPath(options.path)}: still failing after ${attempt} attempts (last: ${reason})`,
        );
      }
      this.stats.retries += 1;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }

  close(): void {
    this.agent.destroy();
  }

  private once(
    options: RequestOptions,
  ): Promise<{ status: number; json: Record<string, unknown>; retryAfter?: string }> {
    const url = new URL(options.path, this.base);
    const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
    const headers: Record<string, string | number> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: `${url.pathname}${url.search}`,
          method: options.method,
          headers,
          // A fresh connection from the applicant's own address; the shared keep-alive pool otherwise.
          ...(options.localAddress
            ? { localAddress: options.localAddress, agent: false }
            : { agent: this.agent }),
          timeout: ATTEMPT_TIMEOUT_MS,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: Record<string, unknown> = {};
            try {
              json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
            } catch {
              json = { unparsed: text.slice(0, 200) };
            }
            const retryAfter = response.headers['retry-after'];
            resolve({
              status: response.statusCode ?? 0,
              json,
              retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
            });
          });
        },
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'timeout' })));
      req.on('error', reject);
      req.end(payload);
    });
  }
}

/** Paths carry filing ids only, but keep reports short. */
function redactPath(path: string): string {
  return path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id');
}
