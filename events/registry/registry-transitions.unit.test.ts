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

/* The registry's life after the number. */

const SERVICE_NUMBER = `${SUBJECT_NUMBER}-2A`;
const serviceChanged = (version: number): RegistryEvent => ({
  type: 'ServiceChanged',
  data: {
    filingId: `change-${version}`,
    version,
    changedOn: '2027-01-05',
    name: '示例应用 2',
    identifiers: { packages: [], bundles: [], domains: [] },
    preApprovalCategories: [],
    operatorName: '示例科技有限公司',
    operatorNature: 'enterprise',
  },
});
const accessAdded: RegistryEvent = {
  type: 'ServiceAccessAdded',
  data: { filingId: 'access-1', ispName: '腾讯云', addedOn: '2027-02-01' },
};
const accessWithdrawn: RegistryEvent = {
  type: 'ServiceAccessWithdrawn',
  data: { withdrawalId: 'w-1', ispName: '阿里云', reason: '合同到期', withdrawnOn: '2027-01-20' },
};
const serviceCancelled: RegistryEvent = {
  type: 'ServiceCancelled',
  data: { filingId: 'cancel-1', cancelledOn: '2027-03-01', scope: 'service' },
};
const subjectChanged: RegistryEvent = {
  type: 'SubjectChanged',
  data: {
    filingId: 'change-2',
    operatorName: '新名科技',
    operatorNature: 'enterprise',
    changedOn: '2027-01-05',
  },
};
const subjectCancelled = (serviceNumbers = [SERVICE_NUMBER]): RegistryEvent => ({
  type: 'SubjectCancelled',
  data: { filingId: 'cancel-2', cancelledOn: '2027-03-01', serviceNumbers },
});
const shellFlagged = (lastServiceNumber = SERVICE_NUMBER): RegistryEvent => ({
  type: 'SubjectLeftWithoutServices',
  data: { filingId: 'cancel-1', lastServiceNumber, flaggedOn: '2027-03-01' },
});
const claimed: RegistryEvent = { type: 'ServiceIdentifierClaimed', data: { filingId: 'filing-2' } };
const released: RegistryEvent = {
  type: 'ServiceIdentifierReleased',
  data: { serviceNumber: SERVICE_NUMBER, filingId: 'cancel-1' },
};
const IDENTIFIER_STREAM = `registry-identifier-${DIGEST}`;

describe('service stream: its life', () => {
  it('takes changes, accesses and a cancellation after ServiceRegistered', () => {
    const service = given('service', SERVICE_STREAM, [
      serviceRegistered(),
      serviceChanged(2),
      accessWithdrawn,
      accessAdded,
      serviceChanged(3),
    ]);
    expect(service.when(serviceCancelled)).toEqual({ rules: [], applied: true });
  });

  it('refuses a life event before ServiceRegistered', () => {
    for (const event of [serviceChanged(2), accessAdded, accessWithdrawn, serviceCancelled]) {
      expect(given('service', SERVICE_STREAM, []).when(event)).toEqual({
        rules: ['illegal_transition'],
        applied: false,
      });
    }
  });

  it('refuses anything after ServiceCancelled, which is final', () => {
    for (const event of [serviceChanged(2), accessAdded, accessWithdrawn, serviceCancelled]) {
      expect(given('service', SERVICE_STREAM, [serviceRegistered(), serviceCancelled]).when(event)).toEqual({
        rules: ['illegal_transition'],
        applied: false,
      });
    }
  });

  it('checks that each ServiceChanged is the previous version + 1', () => {
    expect(given('service', SERVICE_STREAM, [serviceRegistered()]).when(serviceChanged(3)).rules).toEqual([
      'illegal_transition',
    ]);
    expect(
      given('service', SERVICE_STREAM, [serviceRegistered(), serviceChanged(2)]).when(serviceChanged(2))
        .rules,
    ).toEqual(['illegal_transition']);
    const replay = new RegistryStreamReplay('service', SERVICE_STREAM);
    replay.apply(serviceRegistered());
    replay.apply(serviceChanged(2));
    expect(replay.state.version).toBe(2);
  });
});

describe('subject stream: its life', () => {
  it('takes changes, the shell flag and a cancellation after SubjectRegistered', () => {
    const subject = given('subject', SUBJECT_STREAM, [
      subjectRegistered(),
      allocated(2),
      subjectChanged,
      shellFlagged(),
    ]);
    expect(subject.when(subjectCancelled())).toEqual({ rules: [], applied: true });
  });

  it('refuses anything after SubjectCancelled, which is final', () => {
    for (const event of [allocated(3), subjectChanged, shellFlagged(), subjectCancelled()]) {
      expect(
        given('subject', SUBJECT_STREAM, [subjectRegistered(), allocated(2), subjectCancelled()]).when(event),
      ).toEqual({ rules: ['illegal_transition'], applied: false });
    }
  });

  it('refuses a cancellation or flag naming a service of another subject', () => {
    const subject = () => given('subject', SUBJECT_STREAM, [subjectRegistered(), allocated(2)]);
    expect(subject().when(subjectCancelled(['京ICP备2026000001号-2A'])).rules).toEqual(['number_mismatch']);
    expect(subject().when(shellFlagged('京ICP备2026000001号-2A')).rules).toEqual(['number_mismatch']);
  });
});

describe('identifier claim stream: releases', () => {
  it('takes a release after a claim, and a new claim after the release', () => {
    const stream = given('identifier_claim', IDENTIFIER_STREAM, [claimed, released]);
    expect(stream.when(claimed)).toEqual({ rules: [], applied: true });
  });

  it('refuses a release opening the stream, or naming no service number', () => {
    expect(given('identifier_claim', IDENTIFIER_STREAM, []).when(released)).toEqual({
      rules: ['illegal_transition'],
      applied: false,
    });
    const notANumber: RegistryEvent = {
      type: 'ServiceIdentifierReleased',
      data: { serviceNumber: SUBJECT_NUMBER, filingId: 'cancel-1' },
    };
    expect(given('identifier_claim', IDENTIFIER_STREAM, [claimed]).when(notANumber).rules).toEqual([
      'number_mismatch',
    ]);
  });
});

describe('recorder roles: the life events', () => {
  it('gives applied filings to the system and the access withdrawal to the ISP', () => {
    for (const event of [serviceChanged(2), accessAdded, serviceCancelled]) {
      expect(allowedRegistryRecorders('service', event)).toEqual(['system']);
    }
    expect(allowedRegistryRecorders('service', accessWithdrawn)).toEqual(['isp']);
    for (const event of [subjectChanged, subjectCancelled(), shellFlagged()]) {
      expect(allowedRegistryRecorders('subject', event)).toEqual(['system']);
    }
    expect(allowedRegistryRecorders('identifier_claim', released)).toEqual(['system']);
  });
});
