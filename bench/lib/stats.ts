/** Latency summary in milliseconds, rounded to 0.01 ms. */
export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/** Nearest-rank percentile of ascending `sorted` (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export function summarize(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    n: sorted.length,
    p50: round2(percentile(sorted, 50)),
    p95: round2(percentile(sorted, 95)),
    p99: round2(percentile(sorted, 99)),
    mean: round2(sorted.length ? total / sorted.length : Number.NaN),
    max: round2(sorted[sorted.length - 1] ?? Number.NaN),
  };
}

/** A ratio with three significant digits (ours / bare). */
export function ratio(ours: number, bare: number): number {
  if (!Number.isFinite(ours) || !Number.isFinite(bare) || bare === 0) return Number.NaN;
  return Number((ours / bare).toPrecision(3));
}

/** A rate rounded to a whole number (or 3 significant digits when small). */
export function rate(count: number, elapsedMs: number): number {
  const perSecond = (count * 1000) / elapsedMs;
  return perSecond >= 100 ? Math.round(perSecond) : Number(perSecond.toPrecision(3));
}

/** Milliseconds since an earlier `performance.now()`. */
export function since(startMs: number): number {
  return performance.now() - startMs;
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` at once; resolves when all have. */
export async function runPool(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let index = next++; index < count; index = next++) await task(index);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
}
