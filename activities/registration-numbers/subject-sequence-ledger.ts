import type { RecordedEvent } from '../../events/ports/event-log.port';
import { assertNever } from '../../events/assert-never';
import {
  EMPTY_REGISTRY_STREAM,
  type RegistryStreamHead,
  sealedMetadataOf,
} from '../../events/registry/registry-envelope';
import {
  CorruptRegistryStreamError,
  type SubjectNumberClaim,
  type SubjectNumberSource,
  decodeSubjectSequenceEvent,
} from '../../events/registry/registry-events';

export interface HeldSubjectNumber {
  readonly number: string;
  readonly source: SubjectNumberSource;
}

/**
 * What one province-year counter stream says: which subject holds which sequence. Kept between
 * allocations and caught up with the events appended since, because the stream grows with every
 * subject of the province and year.
 */
export class SubjectSequenceLedger {
  /** Where the stream ends as far as applied: the next append goes after it. */
  private end: RegistryStreamHead = EMPTY_REGISTRY_STREAM;
  private readonly numberByDigest = new Map<string, HeldSubjectNumber>();
  private readonly holderBySequence = new Map<number, string>();
  private lowestFree = 1;

  constructor(readonly streamId: string) {}

  /** The expectedRevision for the next append. */
  get revision(): number {
    return this.end.revision;
  }

  /** Where the next event is appended and chained. */
  get head(): RegistryStreamHead {
    return this.end;
  }

  /** Applies events in order; ones already applied (by a concurrent catch-up) are skipped. */
  apply(events: readonly RecordedEvent[]): void {
    for (const recorded of events) {
      if (recorded.revision <= this.end.revision) continue;
      if (recorded.revision !== this.end.revision + 1) {
        throw new CorruptRegistryStreamError(recorded, `expected revision ${this.end.revision + 1} next`);
      }
      const event = decodeSubjectSequenceEvent(recorded);
      switch (event.type) {
        case 'SubjectNumberAllocated':
          this.hold(event.data, 'allocated', recorded);
          break;
        case 'ExistingSubjectNumberRecorded':
          this.hold(event.data, 'existing', recorded);
          break;
        default:
          assertNever(event, 'subject sequence event');
      }
      const sealed = sealedMetadataOf(recorded);
      this.end = { revision: recorded.revision, lastHash: sealed ? sealed.hash : this.end.lastHash };
    }
  }

  /** The first number this counter gave or recorded for the subject. */
  numberHeldBy(subjectKeyDigest: string): HeldSubjectNumber | undefined {
    return this.numberByDigest.get(subjectKeyDigest);
  }

  holderOf(sequence: number): string | undefined {
    return this.holderBySequence.get(sequence);
  }

  /** The lowest sequence nobody holds: allocation fills 1, 2, 3, … and steps over recorded existing numbers. */
  nextFreeSequence(): number {
    return this.lowestFree;
  }

  private hold(claim: SubjectNumberClaim, source: SubjectNumberSource, recorded: RecordedEvent): void {
    const { subjectKeyDigest, sequence, number } = claim;
    const holder = this.holderBySequence.get(sequence);
    if (holder !== undefined) {
      throw new CorruptRegistryStreamError(
        recorded,
        `sequence ${sequence} is already held by another subject`,
      );
    }
    this.holderBySequence.set(sequence, subjectKeyDigest);
    if (!this.numberByDigest.has(subjectKeyDigest))
      this.numberByDigest.set(subjectKeyDigest, { number, source });
    while (this.holderBySequence.has(this.lowestFree)) this.lowestFree += 1;
  }
}
