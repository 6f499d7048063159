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

/**
 * Several runs of one route as one: the median of their rates and of their latency percentiles (on a
 * shared machine one run may fall on a burst of other work; the median shrugs it off).
 */
export function combine(runs: readonly Load[]): Load {
  const median = (pick: (run: Load) => number): number => {
    const sorted = runs.map(pick).sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    const value =
      sorted.length % 2 ? sorted[middle] : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
    return Math.round((value ?? Number.NaN) * 100) / 100;
  };
  return {
    reqPerS: Math.round(median((run) => run.reqPerS)),
    latencyMs: {
      p50: median((run) => run.latencyMs.p50),
      p90: median((run) => run.latencyMs.p90),
      p99: median((run) => run.latencyMs.p99),
      mean: median((run) => run.latencyMs.mean),
    },
    requests: runs.reduce((s, r) => s + r.requests, 0),
    non2xx: runs.reduce((s, r) => s + r.non2xx, 0),
    errors: runs.reduce((s, r) => s + r.errors, 0),
  };
}
