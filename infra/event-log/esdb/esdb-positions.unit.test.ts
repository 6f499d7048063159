import { START } from '@kurrent/kurrentdb-client';
import fc from 'fast-check';
import {
  checkpointLogPosition,
  eventLogPosition,
  MAX_COMMIT_POSITION,
  toReadPosition,
} from './esdb-positions';

describe('EventStoreDB positions as log positions', () => {
  it('numbers an event at log position c as 2c + 1', () => {
    expect(eventLogPosition({ commit: 0n, prepare: 0n })).toBe(1);
    expect(eventLogPosition({ commit: 1_234n, prepare: 1_234n })).toBe(2_469);
    expect(
      eventLogPosition({ commit: BigInt(MAX_COMMIT_POSITION), prepare: BigInt(MAX_COMMIT_POSITION) }),
    ).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('gives each event of one multi-event append its own, increasing number', () => {
    // Three self-committed prepares of one append, as StorageWriterService writes them.
    const append = [1_000n, 1_180n, 1_377n].map((at) => ({ commit: at, prepare: at }));
    const numbers = append.map(eventLogPosition);
    expect(numbers).toEqual([2_001, 2_361, 2_755]);
  });

  it('refuses events it cannot number in commit order, saying why', () => {
    expect(() => eventLogPosition({ commit: 500n, prepare: 320n })).toThrow(/pre-v20 explicit transaction/);
    expect(() => eventLogPosition(undefined)).toThrow(/did not report the position/);
    // What an old server sends for "no position" in stream reads: -1 as an unsigned 64-bit number.
    expect(() => eventLogPosition({ commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n })).toThrow(
      /did not report the position/,
    );
    const beyond = BigInt(MAX_COMMIT_POSITION) + 1n;
    expect(() => eventLogPosition({ commit: beyond, prepare: beyond })).toThrow(RangeError);
  });

  it('numbers a checkpoint "before c" as 2c, between the events before and at c', () => {
    const before = eventLogPosition({ commit: 900n, prepare: 900n });
    const checkpoint = checkpointLogPosition({ commit: 1_000n, prepare: 0n });
    const next = eventLogPosition({ commit: 1_000n, prepare: 1_000n });
    expect(checkpoint).toBe(2_000);
    expect(before).toBeLessThan(checkpoint as number);
    expect(checkpoint).toBeLessThan(next);
    expect(checkpointLogPosition({ commit: 1_000n, prepare: 1_000n })).toBe(next);
    expect(checkpointLogPosition({ commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n })).toBeUndefined();
  });

  it('starts reads at a record boundary: the event itself, or the checkpoint position', () => {
    expect(toReadPosition(0)).toBe(START);
    expect(toReadPosition(2_469)).toEqual({ commit: 1_234n, prepare: 1_234n });
    expect(toReadPosition(2_000)).toEqual({ commit: 1_000n, prepare: 0n });
    expect(() => toReadPosition(-1)).toThrow(RangeError);
    expect(() => toReadPosition(1.5)).toThrow(RangeError);
  });

  it('round-trips: an event or checkpoint read back from its number is the same position', () => {
    const commit = fc.bigInt({ min: 0n, max: BigInt(MAX_COMMIT_POSITION) });
    fc.assert(
      fc.property(commit, (c) => {
        expect(toReadPosition(eventLogPosition({ commit: c, prepare: c }))).toEqual({
          commit: c,
          prepare: c,
        });
        if (c > 0n) {
          expect(toReadPosition(checkpointLogPosition({ commit: c, prepare: 0n }) as number)).toEqual({
            commit: c,
            prepare: 0n,
          });
        }
      }),
    );
  });

  it('keeps $all order: (commit, prepare) order and number order agree', () => {
    const position = fc
      .bigInt({ min: 1n, max: 1n << 40n })
      .chain((c) => fc.constantFrom({ commit: c, prepare: c }, { commit: c, prepare: 0n }));
    fc.assert(
      fc.property(position, position, (a, b) => {
        const byPosition =
          a.commit === b.commit
            ? Math.sign(Number(a.prepare - b.prepare))
            : Math.sign(Number(a.commit - b.commit));
        const na = checkpointLogPosition(a) as number;
        const nb = checkpointLogPosition(b) as number;
        expect(Math.sign(na - nb)).toBe(byPosition);
      }),
    );
  });
});
