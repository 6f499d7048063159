import { ValidationProblem } from './problem-details';
import { decisionActionId, filingIdPipe, requireIdempotencyKey } from './request-keys';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationProblem) return error.problem.errors?.map((e) => `${e.path}:${e.rule}`);
    throw error;
  }
  return undefined;
};

describe('request keys', () => {
  it('takes a decision’s Idempotency-Key as its action id, or a fresh UUID without one', () => {
    expect(decisionActionId(' pr-1 ')).toBe('pr-1');
    expect(decisionActionId(undefined)).toMatch(/^[0-9a-f-]{36}$/);
    expect(decisionActionId('   ')).toMatch(/^[0-9a-f-]{36}$/);
  });

  // Temporal refuses update ids over 1,000 characters: a long key used to answer 500.
  it.each(['k'.repeat(129), 'k'.repeat(2_000), 'two words', 'tab\there', 'ünïcode'])(
    'refuses the decision key %#, as a submission’s, with 400',
    (key) => {
      expect(refusal(() => decisionActionId(key))).toEqual(['Idempotency-Key:idempotency_key_format']);
      expect(refusal(() => requireIdempotencyKey(key))).toEqual(['Idempotency-Key:idempotency_key_format']);
    },
  );

  it('requires a submission’s key', () => {
    expect(refusal(() => requireIdempotencyKey(undefined))).toEqual(['Idempotency-Key:required']);
    expect(requireIdempotencyKey('k'.repeat(128))).toHaveLength(128);
  });

  it('names the id when a filing id is not a UUID v4', async () => {
    const metadata = { type: 'param' as const, data: 'id' };
    await expect(filingIdPipe.transform('c9b1f5e2-6a2d-4c1e-9b7a-2f4d8e6a1b3c', metadata)).resolves.toBe(
      'c9b1f5e2-6a2d-4c1e-9b7a-2f4d8e6a1b3c',
    );
    for (const id of ['x', '__proto__', 'c9b1f5e2-6a2d-1c1e-9b7a-2f4d8e6a1b3c']) {
      await expect(filingIdPipe.transform(id, metadata)).rejects.toMatchObject({
        problem: { status: 400, errors: [{ path: 'id', rule: 'uuid_v4' }] },
      });
    }
  });
});
