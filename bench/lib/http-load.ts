import autocannon from 'autocannon';

/** One route under load: its rate and latency (ms), and the answers that were not 2xx. */
export interface Load {
  reqPerS: number;
  latencyMs: { p50: number; p90: number; p99: number; mean: number };
  requests: number;
  non2xx: number;
  errors: number;
}

/** autocannon against `url` with `connections` in flight for `durationS`. */
export async function load(
  url: string,
  durationS: number,
  request: autocannon.Request,
  connections: number,
): Promise<Load> {
  const result = await autocannon({
    url,
    connections,
    duration: durationS,
    timeout: 30,
    requests: [request],
  });
  return {
    reqPerS: Math.round(result.requests.total / result.duration),
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      mean: Math.round(result.latency.mean * 100) / 100,
    },
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** Several runs of one route as one: the mean of their rates and of their latency percentiles. */
export function combine(runs: readonly Load[]): Load {
  const n = runs.length;
  const avg = (pick: (run: Load) => number): number =>
    Math.round((runs.reduce((s, r) => s + pick(r), 0) / n) * 100) / 100;
  return {
    reqPerS: Math.round(avg((run) => run.reqPerS)),
    latencyMs: {
      p50: avg((run) => run.latencyMs.p50),
      p90: avg((run) => run.latencyMs.p90),
      p99: avg((run) => run.latencyMs.p99),
      mean: avg((run) => run.latencyMs.mean),
    },
    requests: runs.reduce((s, r) => s + r.requests, 0),
    non2xx: runs.reduce((s, r) => s + r.non2xx, 0),
    errors: runs.reduce((s, r) => s + r.errors, 0),
  };
}
