import {
  type EventLog,
  type EventToAppend,
  type RecordedEvent,
  WrongExpectedRevisionError,
} from '../../events/ports/event-log.port';
import {
  type ComplianceSealContext,
  complianceStreamHead,
  sealComplianceEvent,
} from '../../events/compliance/compliance-envelope';

/** A compliance event before it is sealed: its type and data, as a decider returns it. */
export interface ComplianceEventToSeal {
  readonly type: string;
  readonly data: unknown;
}

export interface ComplianceCommand<S> {
  readonly streamId: string;
  /** The stream's state from its recorded events (the pure fold of its decider). */
  fold(recorded: readonly RecordedEvent[]): S;
  /**
   * The events the command adds to that state; [] when it is already done (a retried activity),
   * so handling a command twice appends once. Throw a domain error to refuse it.
   */
  decide(state: S): readonly ComplianceEventToSeal[];
  readonly context: ComplianceSealContext;
}

export interface ComplianceCommandResult<S> {
  readonly appended: readonly RecordedEvent[];
  /** The stream's state after the command (before it when nothing was appended). */
  readonly state: S;
  /** The stream's revision after the command; -1 when the stream does not exist. */
  readonly revision: number;
}

const MAX_ATTEMPTS = 30;

/** Up to 200 ms, jittered, so racing writers stop colliding in lock-step. */
const backOff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));

const hashOf = (metadata: unknown) => (metadata as { hash?: unknown } | undefined)?.hash;

function landed(ours: readonly EventToAppend[], stored: readonly RecordedEvent[]): boolean {
  return ours.every((event, index) => hashOf(stored[index]?.metadata) === hashOf(event.metadata));
}

/**
 * Reads the stream, folds it, decides, seals the new events after its head and appends them naming
 * that head's revision; another writer in between makes it read and decide again. Every compliance
 * append goes through here: expected revisions, deterministic ids and the hash chain in one place.
 */
export async function handleComplianceCommand<S>(
  eventLog: EventLog,
  command: ComplianceCommand<S>,
): Promise<ComplianceCommandResult<S>> {
  for (let attempt = 1; ; attempt += 1) {
    const recorded = await eventLog.readStream(command.streamId);
    const events = command.decide(command.fold(recorded));
    if (events.length === 0) {
      return { appended: [], state: command.fold(recorded), revision: recorded.length - 1 };
    }
    let head = complianceStreamHead(recorded);
    const envelopes = events.map((event) => {
      const sealed = sealComplianceEvent(command.streamId, head, event, command.context);
      head = sealed.head;
      return sealed.envelope;
    });
    let alreadyAppended: boolean;
    try {
      const expectedRevision = recorded.length === 0 ? 'no_stream' : recorded.length - 1;
      ({ alreadyAppended } = await eventLog.appendToStream(command.streamId, envelopes, {
        expectedRevision,
      }));
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_ATTEMPTS) throw error;
      await backOff(attempt);
      continue;
    }
    const after = await eventLog.readStream(command.streamId);
    // Ids name a place in the stream, not the content: another writer's events at those places read as
    // "already appended". Only our own hashes there mean ours landed; otherwise decide again.
    if (alreadyAppended && !landed(envelopes, after.slice(recorded.length))) {
      if (attempt < MAX_ATTEMPTS) {
        await backOff(attempt);
        continue;
      }
      throw new WrongExpectedRevisionError(command.streamId, recorded.length - 1, after.length - 1);
    }
    return {
      appended: after.slice(recorded.length),
      state: command.fold(after),
      revision: after.length - 1,
    };
  }
}
