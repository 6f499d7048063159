import { setTimeout as sleep } from 'node:timers/promises';

export type Attempt<T> = { readonly settled: true; readonly value: T } | { readonly settled: false };

export const CONTENDED: Attempt<never> = { settled: false };

export function settled<T>(value: T): Attempt<T> {
  return { settled: true, value };
}

export interface ContentionRetryOptions {
  maxAttempts: number;
  /** Upper bound of the first back-off; doubles per attempt up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** [0, 1); full jitter spreads writers that lost the same race. */
  random: () => number;
}

export const DEFAULT_CONTENTION_RETRY: ContentionRetryOptions = {
  maxAttempts: 100,
  baseDelayMs: 2,
  maxDelayMs: 100,
  random: Math.random,
};

/** Every attempt lost its optimistic-concurrency race; the activity may be retried later. */
export class RegistryContentionError extends Error {
  override readonly name = 'RegistryContentionError';
}

/** Runs `attempt` until it settles, backing off with jitter each time another writer got in first. */
export async function retryWhileContended<T>(
  attempt: () => Promise<Attempt<T>>,
  options: ContentionRetryOptions,
  what: string,
): Promise<T> {
  for (let index = 0; index < options.maxAttempts; index += 1) {
    const outcome = await attempt();
    if (outcome.settled) return outcome.value;
    if (index === options.maxAttempts - 1) break;
    const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.min(index, 30));
    await sleep(options.random() * ceiling);
  }
  throw new RegistryContentionError(`${what}: still contended after ${options.maxAttempts} attempts`);
}
