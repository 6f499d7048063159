import { assertNever } from '../assert-never';
import { formatSubjectNumber, SERVICE_SUFFIXES } from '../registration-number';
import { isProvinceCode } from '../provinces';
import type { RegistryRecorder } from './registry-envelope';
import type {
  IdentifierEvent,
  RegistryEvent,
  ServiceEvent,
  SubjectEvent,
  SubjectNumberSource,
  SubjectSequenceEvent,
} from './registry-events';
import {
  IDENTIFIER_STREAM_PREFIX,
  SERVICE_STREAM_PREFIX,
  serviceStreamId,
  SUBJECT_SEQUENCE_STREAM_PREFIX,
  SUBJECT_STREAM_PREFIX,
  subjectStreamId,
} from './registry-streams';

/**
 * What may be recorded in each kind of registry stream, in which order and by whom: the table the
 * auditors replay a registry stream against (docs/registry.md). A new event of a stream (a service's
 * change or cancellation) is one more row.
 */

export type RegistryStreamKind = 'subject_sequence' | 'subject' | 'service' | 'identifier_claim';

export const REGISTRY_STREAM_KINDS: readonly RegistryStreamKind[] = [
  'subject_sequence',
  'subject',
  'service',
  'identifier_claim',
];

const KIND_PREFIXES: ReadonlyArray<readonly [string, RegistryStreamKind]> = [
  [SUBJECT_SEQUENCE_STREAM_PREFIX, 'subject_sequence'],
  [SUBJECT_STREAM_PREFIX, 'subject'],
  [SERVICE_STREAM_PREFIX, 'service'],
  [IDENTIFIER_STREAM_PREFIX, 'identifier_claim'],
];

/** The kind of a registry stream by its id; undefined for any other stream. */
export function registryStreamKindOf(streamId: string): RegistryStreamKind | undefined {
  return KIND_PREFIXES.find(([prefix]) => streamId.startsWith(prefix))?.[1];
}

type RecorderRole = RegistryRecorder['role'];

interface StreamEvents {
  subject_sequence: SubjectSequenceEvent;
  subject: SubjectEvent;
  service: ServiceEvent;
  identifier_claim: IdentifierEvent;
}

/** `opens`: only as the stream's first event; `follows`: only after it; `anywhere`: in any order. */
export type RegistryEventPlace = 'opens' | 'follows' | 'anywhere';

export interface RegistryEventRule<E> {
  readonly place: RegistryEventPlace;
  /** Who may record the event; for some it depends on where the fact came from. */
  readonly recordedBy: readonly RecorderRole[] | ((event: E) => readonly RecorderRole[]);
}

type TransitionTable = {
  readonly [K in RegistryStreamKind]: {
    readonly [T in StreamEvents[K]['type']]: RegistryEventRule<Extract<StreamEvents[K], { type: T }>>;
  };
};

const SYSTEM = ['system'] as const;
const ADMIN = ['admin'] as const;
const ISP = ['isp'] as const;

/** A filing's issuance is recorded by the system; an import by an admin. */
const SUBJECT_RECORDERS: Readonly<Record<SubjectNumberSource, readonly RecorderRole[]>> = {
  allocated: SYSTEM,
  existing: SYSTEM,
  imported: ADMIN,
};

export const REGISTRY_TRANSITIONS: TransitionTable = {
  subject_sequence: {
    SubjectNumberAllocated: { place: 'anywhere', recordedBy: SYSTEM },
    // A number a subject brings: from its filing (system) or from an import (admin).
    ExistingSubjectNumberRecorded: { place: 'anywhere', recordedBy: ['system', 'admin'] },
  },
  subject: {
    SubjectRegistered: { place: 'opens', recordedBy: (event) => SUBJECT_RECORDERS[event.data.source] },
    ServiceNumberAllocated: { place: 'follows', recordedBy: SYSTEM },
    ExistingServiceRecorded: { place: 'follows', recordedBy: ADMIN },
    // Applied filings (change, cancellation), recorded by the system; SubjectCancelled is final.
    SubjectChanged: { place: 'follows', recordedBy: SYSTEM },
    SubjectCancelled: { place: 'follows', recordedBy: SYSTEM },
    SubjectLeftWithoutServices: { place: 'follows', recordedBy: SYSTEM },
  },
  service: {
    ServiceRegistered: {
      place: 'opens',
      recordedBy: (event) => (event.data.source === 'imported' ? ADMIN : SYSTEM),
    },
    ServiceChanged: { place: 'follows', recordedBy: SYSTEM },
    ServiceAccessAdded: { place: 'follows', recordedBy: SYSTEM },
    // The ISP itself stops serving the service (no filing, no review).
    ServiceAccessWithdrawn: { place: 'follows', recordedBy: ISP },
    // Final: nothing may follow.
    ServiceCancelled: { place: 'follows', recordedBy: SYSTEM },
  },
  identifier_claim: {
    ServiceIdentifierClaimed: { place: 'anywhere', recordedBy: SYSTEM },
    ServiceIdentifierReleased: { place: 'follows', recordedBy: SYSTEM },
  },
};

function ruleOf(kind: RegistryStreamKind, type: string): RegistryEventRule<RegistryEvent> | undefined {
  const rules = REGISTRY_TRANSITIONS[kind] as Readonly<Record<string, RegistryEventRule<RegistryEvent>>>;
  return Object.hasOwn(rules, type) ? rules[type] : undefined;
}

/** The event types a stream of this kind may hold. */
export function registryEventTypesOf(kind: RegistryStreamKind): string[] {
  return Object.keys(REGISTRY_TRANSITIONS[kind]);
}

/** The roles that may record this event; [] when it does not belong in the stream at all. */
export function allowedRegistryRecorders(
  kind: RegistryStreamKind,
  event: RegistryEvent,
): readonly RecorderRole[] {
  const rule = ruleOf(kind, event.type);
  if (!rule) return [];
  return typeof rule.recordedBy === 'function' ? rule.recordedBy(event) : rule.recordedBy;
}

export type RegistryTransitionRule =
  'illegal_transition' | 'duplicate_number' | 'number_mismatch' | 'stream_mismatch';

export interface RegistryTransitionBreach {
  readonly rule: RegistryTransitionRule;
  readonly message: string;
}

/** What a replay of a registry stream knows after the events it applied. */
export interface RegistryStreamFacts {
  readonly kind: RegistryStreamKind;
  readonly streamId: string;
  readonly applied: number;
  /** From SubjectRegistered (subject stream) or ServiceRegistered (service stream). */
  readonly subjectNumber?: string;
  readonly serviceNumber?: string;
  /** A service stream's current version (ServiceRegistered is 1). */
  readonly version?: number;
  /** The final event the stream ended with (ServiceCancelled, SubjectCancelled): nothing may follow. */
  readonly endedBy?: string;
}

/** Events after which a stream takes nothing more. */
const FINAL_EVENTS: ReadonlySet<string> = new Set(['ServiceCancelled', 'SubjectCancelled']);

/**
 * Replays a registry stream's events against the table and the numbering rules (counter sequences and
 * service n unique, numbers of the counter's or the subject's form). An event out of place is not
 * applied; one breaking a numbering rule is (the stream did take the number). Pure: no I/O.
 */
export class RegistryStreamReplay {
  private facts: RegistryStreamFacts;
  /** Counter sequences or service n taken so far. */
  private readonly taken = new Set<number>();

  constructor(kind: RegistryStreamKind, streamId: string) {
    this.facts = { kind, streamId, applied: 0 };
  }

  get state(): RegistryStreamFacts {
    return this.facts;
  }

  apply(event: RegistryEvent): { applied: boolean; breaches: RegistryTransitionBreach[] } {
    const misplaced = this.placeBreach(event);
    if (misplaced) return { applied: false, breaches: [misplaced] };
    const breaches = numberingBreaches(this.facts, this.taken, event);
    this.evolve(event);
    return { applied: true, breaches };
  }

  private placeBreach(event: RegistryEvent): RegistryTransitionBreach | undefined {
    const { kind, applied } = this.facts;
    const rule = ruleOf(kind, event.type);
    const types = registryEventTypesOf(kind);
    const illegal = (message: string) => ({ rule: 'illegal_transition' as const, message });
    if (!rule) return illegal(`${event.type} does not belong in a ${kind} stream (only ${types.join(', ')})`);
    if (this.facts.endedBy !== undefined) {
      return illegal(`${event.type} after ${this.facts.endedBy}, which is final`);
    }
    if (rule.place === 'opens' && applied > 0) {
      return illegal(`${event.type} may only open the stream, and only once`);
    }
    if (rule.place === 'follows' && applied === 0) {
      const opener = types.find((type) => ruleOf(kind, type)?.place === 'opens');
      return illegal(`${event.type} before the stream was opened by ${opener ?? 'its first event'}`);
    }
    return undefined;
  }

  private evolve(event: RegistryEvent): void {
    this.facts = { ...this.facts, applied: this.facts.applied + 1 };
    if (FINAL_EVENTS.has(event.type)) this.facts = { ...this.facts, endedBy: event.type };
    switch (event.type) {
      case 'SubjectNumberAllocated':
      case 'ExistingSubjectNumberRecorded':
        this.taken.add(event.data.sequence);
        return;
      case 'SubjectRegistered':
        this.facts = { ...this.facts, subjectNumber: event.data.subjectNumber };
        return;
      case 'ServiceNumberAllocated':
      case 'ExistingServiceRecorded':
        this.taken.add(event.data.n);
        return;
      case 'ServiceRegistered': {
        const { subjectNumber, serviceNumber } = event.data;
        this.facts = { ...this.facts, subjectNumber, serviceNumber, version: 1 };
        return;
      }
      case 'ServiceChanged':
        this.facts = { ...this.facts, version: event.data.version };
        return;
      case 'SubjectChanged':
      case 'SubjectCancelled':
      case 'SubjectLeftWithoutServices':
      case 'ServiceAccessAdded':
      case 'ServiceAccessWithdrawn':
      case 'ServiceCancelled':
      case 'ServiceIdentifierClaimed':
      case 'ServiceIdentifierReleased':
        return;
      default:
        assertNever(event);
    }
  }
}

/** `<subject number>-<n><suffix of the type>`, for any subject number form. */
function serviceNumberUnder(subjectNumber: string, n: number, serviceType: keyof typeof SERVICE_SUFFIXES) {
  return `${subjectNumber}-${n}${SERVICE_SUFFIXES[serviceType]}`;
}

const COUNTER_ID = /^registry-subjects-(\d{6})-(\d{4})$/;

function counterNumber(streamId: string, sequence: number): string | undefined {
  const [, province = '', year = ''] = COUNTER_ID.exec(streamId) ?? [];
  if (!isProvinceCode(province)) return undefined;
  try {
    return formatSubjectNumber({ provinceCode: province, year: Number(year), sequence });
  } catch {
    return undefined;
  }
}

function numberingBreaches(
  state: RegistryStreamFacts,
  taken: ReadonlySet<number>,
  event: RegistryEvent,
): RegistryTransitionBreach[] {
  const breaches: RegistryTransitionBreach[] = [];
  const breach = (rule: RegistryTransitionRule, message: string) => breaches.push({ rule, message });
  switch (event.type) {
    case 'SubjectNumberAllocated':
    case 'ExistingSubjectNumberRecorded': {
      const { sequence, number } = event.data;
      if (taken.has(sequence)) breach('duplicate_number', `sequence ${sequence} is already taken`);
      const expected = counterNumber(state.streamId, sequence);
      if (number !== expected) {
        breach(
          'number_mismatch',
          `number ${number} is not sequence ${sequence} of this counter (${expected})`,
        );
      }
      break;
    }
    case 'SubjectRegistered': {
      const { provinceCode, subjectKeyDigest } = event.data;
      if (!namesStream(state.streamId, () => subjectStreamId(provinceCode, subjectKeyDigest))) {
        breach('stream_mismatch', 'the subject’s province and key digest do not name this stream');
      }
      break;
    }
    case 'ServiceNumberAllocated':
    case 'ExistingServiceRecorded': {
      const { n, number, serviceType } = event.data;
      if (taken.has(n)) breach('duplicate_number', `service n ${n} is already taken`);
      const expected = state.subjectNumber && serviceNumberUnder(state.subjectNumber, n, serviceType);
      if (number !== expected) {
        breach(
          'number_mismatch',
          `number ${number} is not ${expected ?? 'under a registered subject'} (n ${n}, ${serviceType})`,
        );
      }
      break;
    }
    case 'ServiceRegistered': {
      const { serviceNumber, subjectNumber, serviceType } = event.data;
      if (!namesStream(state.streamId, () => serviceStreamId(serviceNumber))) {
        breach('stream_mismatch', `service number ${serviceNumber} does not name this stream`);
      }
      const n = Number(serviceNumber.slice(subjectNumber.length + 1).replace(/[A-Z]$/, ''));
      if (
        !Number.isSafeInteger(n) ||
        n < 1 ||
        serviceNumber !== serviceNumberUnder(subjectNumber, n, serviceType)
      ) {
        breach('number_mismatch', `${serviceNumber} is not a ${serviceType} number under ${subjectNumber}`);
      }
      break;
    }
    case 'ServiceChanged': {
      const previous = state.version ?? 0;
      if (event.data.version !== previous + 1) {
        breach('illegal_transition', `version ${event.data.version} does not follow version ${previous}`);
      }
      break;
    }
    case 'ServiceIdentifierReleased': {
      if (!isServiceNumber(event.data.serviceNumber)) {
        breach('number_mismatch', `${event.data.serviceNumber} is not a service number`);
      }
      break;
    }
    case 'SubjectCancelled':
    case 'SubjectLeftWithoutServices': {
      const numbers =
        event.type === 'SubjectCancelled' ? event.data.serviceNumbers : [event.data.lastServiceNumber];
      const foreign = numbers.find(
        (number) => !state.subjectNumber || !number.startsWith(`${state.subjectNumber}-`),
      );
      if (foreign !== undefined) breach('number_mismatch', `${foreign} is not a service of this subject`);
      break;
    }
    case 'SubjectChanged':
    case 'ServiceAccessAdded':
    case 'ServiceAccessWithdrawn':
    case 'ServiceCancelled':
    case 'ServiceIdentifierClaimed':
      break;
    default:
      assertNever(event);
  }
  return breaches;
}

function isServiceNumber(serviceNumber: string): boolean {
  return namesStream(SERVICE_STREAM_PREFIX, () => {
    serviceStreamId(serviceNumber);
    return SERVICE_STREAM_PREFIX;
  });
}

/** Whether the stream id built from an event's fields is this stream's; fields no id is built from do not. */
function namesStream(streamId: string, buildStreamId: () => string): boolean {
  try {
    return buildStreamId() === streamId;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}
