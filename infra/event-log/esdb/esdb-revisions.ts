import { ANY, type AppendStreamState, type CurrentStreamState, NO_STREAM } from '@kurrent/kurrentdb-client';
import type { ExpectedRevision } from '../../../events/ports/event-log.port';

/** The port's expected revision as the client takes it: exact, never `stream_exists`. */
export function toAppendRevision(expected: ExpectedRevision): AppendStreamState {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  return BigInt(expected);
}

/** A stream revision as a number (0-based); revisions beyond 2^53 cannot occur in a filing's stream. */
export function toRevision(revision: bigint): number {
  if (revision < 0n || revision > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`KurrentDB stream revision ${revision} is out of range`);
  }
  return Number(revision);
}

/** The stream's actual last revision as WrongExpectedRevisionError reports it; undefined: no stream. */
export function fromCurrentRevision(current: CurrentStreamState): number | undefined {
  return current === NO_STREAM ? undefined : toRevision(current);
}

/** The revision the first appended event gets when expectedRevision holds: -1 + 1 for no_stream. */
export function firstRevisionAfter(expected: number | 'no_stream'): number {
  return expected === 'no_stream' ? 0 : expected + 1;
}
