import type { RecordedEvent } from '../../events/ports/event-log.port';
import { CorruptRegistryStreamError, type SubjectSequenceEvent } from '../../events/registry/registry-events';
import { SubjectSequenceLedger } from './subject-sequence-ledger';

const STREAM = 'registry-subjects-440000-2026';
const [A, B, C] = ['a', 'b', 'c'].map((letter) => letter.repeat(64)) as [string, string, string];

function recorded(revision: number, event: SubjectSequenceEvent): RecordedEvent {
  return {
    id: `00000000-0000-5000-8000-${String(revision).padStart(12, '0')}`,
    ...event,
    metadata: {},
    streamId: STREAM,
    revision,
    position: revision + 1,
    recordedAt: '2026-01-01T00:00:00.000Z',
  };
}

const allocated = (revision: number, digest: string, sequence: number) =>
  recorded(revision, {
    type: 'SubjectNumberAllocated',
    data: { subjectKeyDigest: digest, sequence, number: `粤ICP备2026${String(sequence).padStart(6, '0')}号` },
  });

describe('SubjectSequenceLedger', () => {
  it('hands out the lowest sequence nobody holds', () => {
    const ledger = new SubjectSequenceLedger(STREAM);
    expect(ledger.nextFreeSequence()).toBe(1);
    ledger.apply([
      allocated(0, A, 1),
      recorded(1, {
        type: 'ExistingSubjectNumberRecorded',
        data: { subjectKeyDigest: B, sequence: 3, number: '粤ICP备2026000003号' },
      }),
    ]);
    expect(ledger.nextFreeSequence()).toBe(2);
    ledger.apply([allocated(2, C, 2)]);
    expect(ledger.nextFreeSequence()).toBe(4);
    expect(ledger.revision).toBe(2);
    expect(ledger.holderOf(3)).toBe(B);
    expect(ledger.numberHeldBy(B)).toEqual({ number: '粤ICP备2026000003号', source: 'existing' });
    expect(ledger.numberHeldBy(A)).toEqual({ number: '粤ICP备2026000001号', source: 'allocated' });
  });

  it('skips events a concurrent catch-up already applied', () => {
    const ledger = new SubjectSequenceLedger(STREAM);
    ledger.apply([allocated(0, A, 1), allocated(1, B, 2)]);
    ledger.apply([allocated(0, A, 1), allocated(1, B, 2), allocated(2, C, 3)]);
    expect(ledger.revision).toBe(2);
    expect(ledger.nextFreeSequence()).toBe(4);
  });

  it('refuses a stream with a gap, a sequence held twice or a foreign event', () => {
    expect(() => new SubjectSequenceLedger(STREAM).apply([allocated(1, A, 1)])).toThrow(
      CorruptRegistryStreamError,
    );
    expect(() => new SubjectSequenceLedger(STREAM).apply([allocated(0, A, 1), allocated(1, B, 1)])).toThrow(
      /already held/,
    );
    const foreign = { ...allocated(0, A, 1), type: 'FilingSubmitted' };
    expect(() => new SubjectSequenceLedger(STREAM).apply([foreign])).toThrow(
      /not an event of a subject-sequence/,
    );
    const malformed = { ...allocated(0, A, 1), data: { subjectKeyDigest: A, sequence: 0, number: 'x' } };
    expect(() => new SubjectSequenceLedger(STREAM).apply([malformed])).toThrow(
      /data.sequence is not a positive integer/,
    );
  });
});
