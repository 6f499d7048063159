/** An event id is already recorded elsewhere: ids are unique in the whole log, not per stream. */
export class EventIdConflictError extends Error {
  override readonly name = 'EventIdConflictError';
  constructor(
    readonly eventId: string,
    readonly streamId: string,
    readonly revision: number,
    readonly existing: { streamId: string; revision: number },
  ) {
    super(
      `stream ${streamId}: event id ${eventId} cannot be appended at revision ${revision}; ` +
        `it is already recorded in stream ${existing.streamId} at revision ${existing.revision}`,
    );
  }
}
