import { isCalendarDate } from '../../events/calendar-date';
import type { RecordedEvent } from '../../events/ports/event-log.port';
import {
  CorruptRegistryStreamError,
  decodeIdentifierEvent,
  decodeServiceEvent,
  decodeSubjectEvent,
  decodeSubjectSequenceEvent,
  type RegistryEvent,
} from '../../events/registry/registry-events';

/**
 * Reads a stored registry event with the shared decoders, whichever stream it is in (the replay
 * reports an event out of its stream), and checks the digests, signatures and dates the decoders take
 * as written: an auditor reports what does not fit (`unreadable_event`) rather than folding a guess.
 */

type Decoder = (recorded: RecordedEvent) => RegistryEvent;

const DECODERS: Readonly<Record<RegistryEvent['type'], Decoder>> = {
  SubjectNumberAllocated: decodeSubjectSequenceEvent,
  ExistingSubjectNumberRecorded: decodeSubjectSequenceEvent,
  SubjectRegistered: decodeSubjectEvent,
  ServiceNumberAllocated: decodeSubjectEvent,
  ExistingServiceRecorded: decodeSubjectEvent,
  SubjectChanged: decodeSubjectEvent,
  SubjectCancelled: decodeSubjectEvent,
  SubjectLeftWithoutServices: decodeSubjectEvent,
  ServiceRegistered: decodeServiceEvent,
  ServiceChanged: decodeServiceEvent,
  ServiceAccessAdded: decodeServiceEvent,
  ServiceAccessWithdrawn: decodeServiceEvent,
  ServiceCancelled: decodeServiceEvent,
  ServiceIdentifierClaimed: decodeIdentifierEvent,
  ServiceIdentifierReleased: decodeIdentifierEvent,
};

const HEX = (length: number) => new RegExp(`^[0-9a-f]{${length}}$`);

function notDate(field: string, value: string): string | undefined {
  return isCalendarDate(value) ? undefined : `${field} is not a date written YYYY-MM-DD`;
}

/** The first field a sound writer could not have written, though the decoder reads it. */
function unsoundField(event: RegistryEvent): string | undefined {
  const notOfForm = (field: string, value: string, pattern: RegExp) =>
    pattern.test(value) ? undefined : `${field} is not of the form ${pattern.source}`;
  switch (event.type) {
    case 'SubjectNumberAllocated':
    case 'ExistingSubjectNumberRecorded':
    case 'SubjectRegistered':
      return notOfForm('data.subjectKeyDigest', event.data.subjectKeyDigest, HEX(64));
    case 'ServiceRegistered':
    case 'ServiceChanged': {
      const { packages, bundles } = event.data.identifiers;
      const unsound = [
        ...packages.map((item, index) =>
          notOfForm(`data.identifiers.packages[${index}].signatureMd5`, item.signatureMd5, HEX(32)),
        ),
        ...bundles.map((item, index) =>
          notOfForm(`data.identifiers.bundles[${index}].signatureSha1`, item.signatureSha1, HEX(40)),
        ),
      ].find((problem) => problem !== undefined);
      if (unsound !== undefined) return unsound;
      return event.type === 'ServiceRegistered'
        ? notDate('data.approvedOn', event.data.approvedOn)
        : notDate('data.changedOn', event.data.changedOn);
    }
    case 'ServiceAccessAdded':
      return notDate('data.addedOn', event.data.addedOn);
    case 'ServiceAccessWithdrawn':
      return notDate('data.withdrawnOn', event.data.withdrawnOn);
    case 'ServiceCancelled':
    case 'SubjectCancelled':
      return notDate('data.cancelledOn', event.data.cancelledOn);
    case 'SubjectChanged':
      return notDate('data.changedOn', event.data.changedOn);
    case 'SubjectLeftWithoutServices':
      return notDate('data.flaggedOn', event.data.flaggedOn);
    default:
      return undefined;
  }
}

/** The event as its type declares it, or the first thing about it that does not fit. */
export function readRegistryEvent(recorded: RecordedEvent): { event: RegistryEvent } | { problem: string } {
  const decode = Object.hasOwn(DECODERS, recorded.type)
    ? DECODERS[recorded.type as RegistryEvent['type']]
    : undefined;
  if (decode === undefined) return { problem: `${recorded.type} is not a registry event` };
  let event: RegistryEvent;
  try {
    event = decode(recorded);
  } catch (error) {
    if (error instanceof CorruptRegistryStreamError) return { problem: error.problem };
    throw error;
  }
  const problem = unsoundField(event);
  return problem === undefined ? { event } : { problem };
}
