import { sha256Hex } from '../../ids';

/**
 * A sample of `size` candidates, the same for the same campaign id and candidates whatever order
 * they come in: each is ranked by SHA-256 of `<campaignId>:<key>`, the lowest ranks taken, returned
 * in key order. A bureau or auditor can recompute it from the campaign id alone.
 */
export function sampleCandidates<T>(
  campaignId: string,
  candidates: readonly T[],
  size: number,
  keyOf: (candidate: T) => string,
): T[] {
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`sample size must be ≥ 1, got ${size}`);
  const ranked = candidates.map((candidate) => ({
    candidate,
    key: keyOf(candidate),
    rank: sha256Hex(`${campaignId}:${keyOf(candidate)}`),
  }));
  ranked.sort((a, b) => compare(a.rank, b.rank) || compare(a.key, b.key));
  return ranked
    .slice(0, size)
    .sort((a, b) => compare(a.key, b.key))
    .map((entry) => entry.candidate);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
