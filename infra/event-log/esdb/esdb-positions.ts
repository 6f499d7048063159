import { type Position, type ReadPosition, START } from '@kurrent/kurrentdb-client';

/*
 * How an EventStoreDB $all position becomes the port's one number. What the server source shows
 * (github.com/EventStore/EventStore, now kurrent-io/KurrentDB, read at 3f1acb7, March 2025):
 *
 * - src/EventStore.Core/Services/Storage/StorageWriterService.cs, WritePrepares: one append writes one
 *   prepare record per event, each at its own log position, every one flagged IsCommitted; since v20
 *   no separate commit record follows.
 * - src/EventStore.Core/Services/Storage/ReaderIndex/AllReader.cs: a prepare flagged IsCommitted is
 *   "commit-alike" and is read back as CommitEventRecord(event, prepare.LogPosition), and
 *   src/EventStore.Core/Data/ResolvedEvent.cs gives a self-committed event TFPos(LogPosition, LogPosition).
 *   So the events of one multi-event append do NOT share a commit position: each has commit == prepare
 *   == its own log position. Only pre-v20 explicit transactions (prepares, then a CommitLogRecord) give
 *   several events one commit position; this adapter refuses such events rather than number them wrongly.
 * - AllReader reads $all forwards inclusively (`TFPos(...) >= pos`); a catch-up subscription skips
 *   `position <= checkpoint` (Services/Transport/Enumerators/Enumerator.AllSubscriptionFiltered.cs).
 * - Filtered subscriptions also send checkpoints like (c, 0), "everything before log position c", where
 *   c is where the next record starts (see kurrent-io/KurrentDB#3989). Reads must start on a record
 *   boundary (StorageReaderWorker.cs answers InvalidPosition otherwise), so such a checkpoint cannot be
 *   stored as c - 1, and storing it as c would skip the event later written at c.
 *
 * Hence: an event at (c, c) is 2c + 1, a checkpoint before c is 2c. The numbers are strictly increasing
 * over $all, at least 1 for any event, and each converts back to a position a read may start from.
 */

/** The largest commit position whose number (2c + 1) is still a safe integer. */
export const MAX_COMMIT_POSITION = (Number.MAX_SAFE_INTEGER - 1) / 2;
// Where the server has no position it sends -1 as an unsigned 64-bit number.
const UNKNOWN_POSITION = 2n ** 63n;

/** The position of an event as the port numbers it. */
export function eventLogPosition(position: Position | undefined): number {
  if (!position || position.commit >= UNKNOWN_POSITION) {
    throw new Error(
      'KurrentDB did not report the position of an event; this adapter needs KurrentDB, or EventStoreDB 23.10 or later',
    );
  }
  const { commit, prepare } = position;
  if (commit > BigInt(MAX_COMMIT_POSITION)) {
    throw new RangeError(`KurrentDB position ${commit}/${prepare} is beyond what this adapter can number`);
  }
  if (commit !== prepare) {
    throw new RangeError(
      `KurrentDB position ${commit}/${prepare} belongs to an event of a pre-v20 explicit transaction, ` +
        'which shares its commit position with other events; such events cannot be numbered in commit order',
    );
  }
  return 2 * Number(commit) + 1;
}

/**
 * The number of a subscription checkpoint: everything at or below it has been considered. Undefined
 * when the server had no position to send.
 */
export function checkpointLogPosition(position: Position): number | undefined {
  const { commit, prepare } = position;
  if (commit > BigInt(MAX_COMMIT_POSITION)) return undefined;
  return 2 * Number(commit) + (prepare >= commit ? 1 : 0);
}

/** Where a read or subscription starts so that it yields what lies after `logPosition` (0: everything). */
export function toReadPosition(logPosition: number): ReadPosition {
  if (!Number.isSafeInteger(logPosition) || logPosition < 0) {
    throw new RangeError(`fromPosition must be an integer ≥ 0; got ${String(logPosition)}`);
  }
  if (logPosition === 0) return START;
  const commit = BigInt(Math.floor(logPosition / 2));
  return { commit, prepare: logPosition % 2 === 1 ? commit : 0n };
}
