import { ANY, NO_STREAM } from '@kurrent/kurrentdb-client';
import { firstRevisionAfter, fromCurrentRevision, toAppendRevision, toRevision } from './esdb-revisions';

describe('EventStoreDB revisions', () => {
  it('passes the exact expected revision: no_stream, any, or the last revision as a bigint', () => {
    expect(toAppendRevision('no_stream')).toBe(NO_STREAM);
    expect(toAppendRevision('any')).toBe(ANY);
    expect(toAppendRevision(0)).toBe(0n);
    expect(toAppendRevision(41)).toBe(41n);
  });

  it('reads the actual revision of a refused append; no_stream is undefined', () => {
    expect(fromCurrentRevision(NO_STREAM)).toBeUndefined();
    expect(fromCurrentRevision(7n)).toBe(7);
  });

  it('converts stream revisions to numbers only while they are exact', () => {
    expect(toRevision(0n)).toBe(0);
    expect(toRevision(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toRevision(BigInt(Number.MAX_SAFE_INTEGER) + 1n)).toThrow(RangeError);
    expect(() => toRevision(-1n)).toThrow(RangeError);
  });

  it('knows where an append lands when its expected revision holds', () => {
    expect(firstRevisionAfter('no_stream')).toBe(0);
    expect(firstRevisionAfter(0)).toBe(1);
    expect(firstRevisionAfter(9)).toBe(10);
  });
});
