import { CONTENDED, RegistryContentionError, retryWhileContended, settled } from './contention-retry';

const fast = { baseDelayMs: 1, maxDelayMs: 2, random: () => 0.5 };

describe('retryWhileContended', () => {
  it('tries again until the attempt settles', async () => {
    let attempts = 0;
    const value = await retryWhileContended(
      async () => (++attempts < 3 ? CONTENDED : settled('won')),
      { ...fast, maxAttempts: 5 },
      'test',
    );
    expect([value, attempts]).toEqual(['won', 3]);
  });

  it('gives up after maxAttempts with a retryable error', async () => {
    let attempts = 0;
    const outcome = retryWhileContended(
      async () => {
        attempts += 1;
        return CONTENDED;
      },
      { ...fast, maxAttempts: 4 },
      'allocation for F-1',
    );
    await expect(outcome).rejects.toThrow(RegistryContentionError);
    await expect(outcome).rejects.toThrow(/allocation for F-1: still contended after 4 attempts/);
    expect(attempts).toBe(4);
  });
});
