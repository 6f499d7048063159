import type { RegistryEvent, ServiceRegisteredData } from './registry-events';
import { subjectKeyDigestOf, subjectSequenceStreamId, subjectStreamId } from './registry-streams';
import {
  allowedRegistryRecorders,
  REGISTRY_STREAM_KINDS,
  REGISTRY_TRANSITIONS,
  registryEventTypesOf,
  type RegistryStreamKind,
  registryStreamKindOf,
  RegistryStreamReplay,
} from './registry-transitions';

const DIGEST = subjectKeyDigestOf('uscc:91440300MA5FXXXX1A');
const SUBJECT_STREAM = subjectStreamId('440000', DIGEST);
const COUNTER_STREAM = subjectSequenceStreamId('440000', 2026);
const SUBJECT_NUMBER = '粤ICP备2026000001号';
const SERVICE_STREAM = `registry-service-${SUBJECT_NUMBER}-2A`;

const subjectRegistered = (source: 'allocated' | 'imported' = 'allocated'): RegistryEvent => ({
  type: 'SubjectRegistered',
  data: { subjectKeyDigest: DIGEST, provinceCode: '440000', subjectNumber: SUBJECT_NUMBER, source },
});
const allocated = (n: number, number = `${SUBJECT_NUMBER}-${n}A`): RegistryEvent => ({
  type: 'ServiceNumberAllocated',
  data: { filingId: `filing-${n}`, serviceType: 'app', n, number },
});
const existingWebsite = (n: number): RegistryEvent => ({
  type: 'ExistingServiceRecorded',
  data: { serviceType: 'website', n, number: `${SUBJECT_NUMBER}-${n}`, importLineId: `line-${n}` },
});
const claim = (sequence: number, number = `粤ICP备2026${String(sequence).padStart(6, '0')}号`) => ({
  type: 'SubjectNumberAllocated' as const,
  data: { subjectKeyDigest: DIGEST, sequence, number },
});
const serviceRegistered = (overrides: Partial<ServiceRegisteredData> = {}): RegistryEvent => ({
  type: 'ServiceRegistered',
  data: {
    serviceNumber: `${SUBJECT_NUMBER}-2A`,
    subjectNumber: SUBJECT_NUMBER,
    serviceType: 'app',
    name: '示例应用',
    identifiers: { packages: [], bundles: [], domains: [] },
    preApprovalCategories: [],
    approvedOn: '2026-09-14',
    operatorName: '示例科技有限公司',
    operatorNature: 'enterprise',
    filingId: 'filing-2',
    source: 'filing',
    ...overrides,
  },
});

/** given(events).when(event).then(breaches): the rules broken by `event` after `given` applied. */
function given(kind: RegistryStreamKind, streamId: string, events: readonly RegistryEvent[]) {
  const replay = new RegistryStreamReplay(kind, streamId);
  for (const event of events) {
    expect(replay.apply(event)).toEqual({ applied: true, breaches: [] });
  }
  return {
    when: (event: RegistryEvent) => {
      const outcome = replay.apply(event);
      return { rules: outcome.breaches.map((breach) => breach.rule), applied: outcome.applied };
    },
  };
}

describe('registry stream kinds', () => {
  it('tells each registry stream by its id, and nothing else', () => {
    expect(registryStreamKindOf(COUNTER_STREAM)).toBe('subject_sequence');
    expect(registryStreamKindOf(SUBJECT_STREAM)).toBe('subject');
    expect(registryStreamKindOf(SERVICE_STREAM)).toBe('service');
    expect(registryStreamKindOf(`registry-identifier-${DIGEST}`)).toBe('identifier_claim');
    expect(registryStreamKindOf('filing-9b2f7c1e-4d3a-4b5c-8e6f-0a1b2c3d4e5f')).toBeUndefined();
  });

  it('has one table row per event type, each type in one kind of stream', () => {
    const types = REGISTRY_STREAM_KINDS.flatMap(registryEventTypesOf);
    expect(new Set(types).size).toBe(types.length);
    expect(Object.keys(REGISTRY_TRANSITIONS).sort()).toEqual([...REGISTRY_STREAM_KINDS].sort());
  });
});

describe('subject-number counter', () => {
  it('takes allocations and existing numbers in any order, each sequence once', () => {
    const existing = { ...claim(1), type: 'ExistingSubjectNumberRecorded' as const };
    expect(given('subject_sequence', COUNTER_STREAM, [claim(2)]).when(existing)).toEqual({
      rules: [],
      applied: true,
    });
    expect(given('subject_sequence', COUNTER_STREAM, [claim(1)]).when(claim(1)).rules).toEqual([
      'duplicate_number',
    ]);
  });

  it('refuses a number that is not the sequence of this province and year', () => {
    const elsewhere = claim(3, '京ICP备2026000003号');
    expect(given('subject_sequence', COUNTER_STREAM, []).when(elsewhere).rules).toEqual(['number_mismatch']);
  });

  it('holds no subject events', () => {
    expect(given('subject_sequence', COUNTER_STREAM, []).when(subjectRegistered())).toEqual({
      rules: ['illegal_transition'],
      applied: false,
    });
  });
});

describe('subject stream', () => {
  it('opens with SubjectRegistered, then numbers services once each, with the suffix of their type', () => {
    const subject = given('subject', SUBJECT_STREAM, [subjectRegistered(), existingWebsite(1), allocated(2)]);
    expect(subject.when(allocated(3))).toEqual({ rules: [], applied: true });
  });

  it('refuses a service number before the subject, and a second SubjectRegistered', () => {
    expect(given('subject', SUBJECT_STREAM, []).when(allocated(1))).toEqual({
      rules: ['illegal_transition'],
      applied: false,
    });
    expect(given('subject', SUBJECT_STREAM, [subjectRegistered()]).when(subjectRegistered()).rules).toEqual([
      'illegal_transition',
    ]);
  });

  it('refuses an n already taken, whatever the type', () => {
    const subject = given('subject', SUBJECT_STREAM, [subjectRegistered(), existingWebsite(1)]);
    expect(subject.when(allocated(1))).toEqual({ rules: ['duplicate_number'], applied: true });
  });

  it('refuses a number not under the subject, or with another type’s suffix', () => {
    const subject = given('subject', SUBJECT_STREAM, [subjectRegistered()]);
    expect(subject.when(allocated(1, `${SUBJECT_NUMBER}-1X`)).rules).toEqual(['number_mismatch']);
    expect(subject.when(allocated(2, `京ICP备2026000001号-2A`)).rules).toEqual(['number_mismatch']);
  });

  it('refuses a subject whose province and key digest do not name the stream', () => {
    const other = subjectStreamId('440000', subjectKeyDigestOf('uscc:91110000MA0OTHER01'));
    expect(given('subject', other, []).when(subjectRegistered()).rules).toEqual(['stream_mismatch']);
  });
});

describe('service stream', () => {
  it('opens with ServiceRegistered, once', () => {
    expect(given('service', SERVICE_STREAM, []).when(serviceRegistered())).toEqual({
      rules: [],
      applied: true,
    });
    expect(given('service', SERVICE_STREAM, [serviceRegistered()]).when(serviceRegistered()).rules).toEqual([
      'illegal_transition',
    ]);
  });

  it('refuses a service number that is not the stream’s, or not of its type', () => {
    const elsewhere = serviceRegistered({ serviceNumber: `${SUBJECT_NUMBER}-3A` });
    expect(given('service', SERVICE_STREAM, []).when(elsewhere).rules).toEqual(['stream_mismatch']);
    const wrongSuffix = serviceRegistered({ serviceType: 'mini_program' });
    expect(given('service', SERVICE_STREAM, []).when(wrongSuffix).rules).toEqual(['number_mismatch']);
  });
});

describe('identifier claim stream', () => {
  it('holds claims only', () => {
    const claimed: RegistryEvent = { type: 'ServiceIdentifierClaimed', data: { filingId: 'filing-1' } };
    const stream = `registry-identifier-${DIGEST}`;
    expect(given('identifier_claim', stream, [claimed]).when(claimed)).toEqual({ rules: [], applied: true });
    expect(given('identifier_claim', stream, []).when(claim(1)).rules).toEqual(['illegal_transition']);
  });
});

describe('recorder roles', () => {
  it('gives issuance to the system and imports to an admin', () => {
    expect(allowedRegistryRecorders('subject_sequence', claim(1))).toEqual(['system']);
    expect(allowedRegistryRecorders('subject', subjectRegistered('allocated'))).toEqual(['system']);
    expect(allowedRegistryRecorders('subject', subjectRegistered('imported'))).toEqual(['admin']);
    expect(allowedRegistryRecorders('subject', allocated(1))).toEqual(['system']);
    expect(allowedRegistryRecorders('subject', existingWebsite(1))).toEqual(['admin']);
    expect(allowedRegistryRecorders('service', serviceRegistered())).toEqual(['system']);
    expect(allowedRegistryRecorders('service', serviceRegistered({ source: 'imported' }))).toEqual(['admin']);
    const claimed: RegistryEvent = { type: 'ServiceIdentifierClaimed', data: { filingId: 'filing-1' } };
    expect(allowedRegistryRecorders('identifier_claim', claimed)).toEqual(['system']);
  });

  it('allows nobody to record an event in a stream it does not belong in', () => {
    expect(allowedRegistryRecorders('service', allocated(1))).toEqual([]);
  });
});
