import { validatedForm } from '../../test/support/projection-fixtures';
import { type FilingState, inStatus, initialFilingState } from '../filing/filing-state';
import type { AppDetails, RegistrationForm } from '../form/registration-form';
import type { RecordedEvent } from '../ports/event-log.port';
import { EMPTY_REGISTRY_STREAM, sealRegistryEvent, verifyRegistryChain } from './registry-envelope';
import type { IdentifierEvent } from './registry-events';
import {
  type ClaimIdentifier,
  decideIdentifierClaim,
  decideIdentifierRelease,
  droppedIdentifierStreams,
  identifierKeysOf,
  type IdentifierClaimDecision,
  type IdentifierHolder,
  identifiersToClaim,
  lastClaimOf,
  sealedClaim,
  STALE_CLAIM_MS,
} from './identifier-claims';
import { identifierConflicts } from './identifier-refusal';
import { identifierStreamId } from './registry-streams';

const NOW = '2026-12-07T12:00:00.000Z';
const command: ClaimIdentifier = { filingId: 'filing-b', now: NOW };
const minutesBefore = (minutes: number) => new Date(Date.parse(NOW) - minutes * 60_000).toISOString();

const form = validatedForm('valid-app');
const facts = {
  filingId: 'filing-a',
  kind: 'new_registration',
  platformId: 'wechat',
  province: '440000',
  serviceType: 'app',
  appName: '示例记账',
  form,
  submittedAt: minutesBefore(60),
  platformReviewRound: 0,
  smsRound: 0,
} as const;

/** An identifier stream whose last claim is filing-a's, made `minutes` ago, filing-a being in `holder`. */
function givenClaimBy(holder: FilingState, minutes = 1) {
  return { lastClaim: { filingId: 'filing-a', claimedAt: minutesBefore(minutes), holderFiling: holder } };
}

const claimed: IdentifierClaimDecision = {
  outcome: 'claim',
  event: { type: 'ServiceIdentifierClaimed', data: { filingId: 'filing-b' } },
};
const taken = (holder: IdentifierHolder): IdentifierClaimDecision => ({ outcome: 'taken', holder });

describe('decideIdentifierClaim: given the last claim, when a filing claims, then', () => {
  it('claims an identifier nobody claimed', () => {
    expect(decideIdentifierClaim(command, {})).toEqual(claimed);
  });

  it('records nothing when the same filing claims again (a retried submission)', () => {
    const own = {
      lastClaim: { filingId: 'filing-b', claimedAt: minutesBefore(1), holderFiling: initialFilingState },
    };
    expect(decideIdentifierClaim(command, own)).toEqual({ outcome: 'already_held' });
  });

  it.each<[string, FilingState]>([
    ['submitted', inStatus(facts, { status: 'submitted' })],
    ['returned_for_correction', inStatus(facts, { status: 'returned_for_correction', reasons: '补充截图' })],
    ['bureau_approved', inStatus(facts, { status: 'bureau_approved' })],
  ])('refuses while the holder is open (%s), naming the filing and its platform', (_status, holder) => {
    expect(decideIdentifierClaim(command, givenClaimBy(holder))).toEqual(
      taken({ status: 'open_filing', filingId: 'filing-a', platformId: 'wechat' }),
    );
  });

  it.each(['registered', 'published', 'completed'] as const)(
    'refuses once the holder holds a number (%s), naming the service number',
    (status) => {
      const holder = inStatus(facts, {
        status,
        subjectNumber: '粤ICP备2026000001号',
        serviceNumber: '粤ICP备2026000001号-1A',
      });
      expect(decideIdentifierClaim(command, givenClaimBy(holder))).toEqual(
        taken({
          status: 'registered',
          filingId: 'filing-a',
          platformId: 'wechat',
          serviceNumber: '粤ICP备2026000001号-1A',
        }),
      );
    },
  );

  it.each<[string, FilingState]>([
    ['rejected', inStatus(facts, { status: 'rejected', rejectedBy: 'bureau', reasons: '材料不实' })],
    ['withdrawn', inStatus(facts, { status: 'withdrawn' })],
  ])('claims an identifier the holder released (%s)', (_status, holder) => {
    expect(decideIdentifierClaim(command, givenClaimBy(holder))).toEqual(claimed);
  });

  it('lets a change filing keep what its own target service holds, claiming nothing anew', () => {
    const holder = inStatus(facts, {
      status: 'completed',
      subjectNumber: '粤ICP备2026000001号',
      serviceNumber: '粤ICP备2026000001号-1A',
    });
    const change = { ...command, forService: '粤ICP备2026000001号-1A' };
    expect(decideIdentifierClaim(change, givenClaimBy(holder))).toEqual({ outcome: 'already_held' });
    expect(
      decideIdentifierClaim({ ...command, forService: '粤ICP备2026000001号-2A' }, givenClaimBy(holder)),
    ).toEqual(
      taken({
        status: 'registered',
        filingId: 'filing-a',
        platformId: 'wechat',
        serviceNumber: '粤ICP备2026000001号-1A',
      }),
    );
  });

  it('refuses while the holder’s submission is in flight (claimed, its filing not yet recorded)', () => {
    expect(decideIdentifierClaim(command, givenClaimBy(initialFilingState, 9))).toEqual(
      taken({ status: 'in_flight', filingId: 'filing-a' }),
    );
  });

  it('claims over a stale claim: older than 10 minutes and its filing never recorded', () => {
    expect(STALE_CLAIM_MS).toBe(10 * 60_000);
    expect(decideIdentifierClaim(command, givenClaimBy(initialFilingState, 11))).toEqual(claimed);
  });
});

describe('identifiersToClaim', () => {
  it('names each identifier of an app at its field, bundle ids apart from package names', () => {
    const claims = identifiersToClaim(form);
    expect(claims.map(({ key, path }) => ({ key, path }))).toEqual([
      { key: { kind: 'package', packageName: 'com.example.ledger' }, path: 'app.platforms.0.packageName' },
      { key: { kind: 'bundle', bundleId: 'com.example.ledger' }, path: 'app.platforms.1.bundleId' },
      {
        key: { kind: 'package', packageName: 'com.example.ledger.harmony' },
        path: 'app.platforms.2.packageName',
      },
    ]);
    expect(new Set(claims.map((claim) => claim.streamId)).size).toBe(3);
  });

  it('claims a package an Android and a HarmonyOS build share once', () => {
    const app = form.app as AppDetails;
    const shared = {
      ...form,
      app: {
        ...app,
        platforms: app.platforms.map((p) =>
          p.os === 'harmony' ? { ...p, packageName: 'com.example.ledger' } : p,
        ),
      },
    } as RegistrationForm;
    expect(identifiersToClaim(shared).map((claim) => claim.path)).toEqual([
      'app.platforms.0.packageName',
      'app.platforms.1.bundleId',
    ]);
  });

  it('claims a mini program with its host app, and a quick app by its package', () => {
    expect(identifiersToClaim(validatedForm('valid-mini-program'))).toEqual([
      {
        key: { kind: 'mini_program', hostApp: '微信', miniProgramId: 'wx3f8a6c2d9e1b4a70' },
        streamId: identifierStreamId({
          kind: 'mini_program',
          hostApp: '微信',
          miniProgramId: 'wx3f8a6c2d9e1b4a70',
        }),
        path: 'app.miniProgramId',
      },
    ]);
    expect(
      identifiersToClaim(validatedForm('valid-quick-app')).map(({ key, path }) => ({ key, path })),
    ).toEqual([
      {
        key: { kind: 'quick_app', quickAppPackage: 'com.example.ledger.quick' },
        path: 'app.quickAppPackage',
      },
    ]);
  });
});

describe('identifierStreamId', () => {
  it('is the SHA-256 of kind and normalized value, so case and full-width spellings meet', () => {
    // printf 'package:com.example.ledger' | sha256sum
    expect(identifierStreamId({ kind: 'package', packageName: 'Com.Example.Ledger' })).toBe(
      'registry-identifier-0eaa55d3db1fb040c3a4bb622572bd5b8ecd9cb2422d250ff2fcfa7c0bf61ced',
    );
    expect(identifierStreamId({ kind: 'package', packageName: 'ｃｏｍ.example.ledger' })).toBe(
      identifierStreamId({ kind: 'package', packageName: 'com.example.ledger' }),
    );
  });

  it('keeps kinds apart: the same name as a package, a bundle and a quick app are three identifiers', () => {
    const ids = new Set([
      identifierStreamId({ kind: 'package', packageName: 'com.example.app' }),
      identifierStreamId({ kind: 'bundle', bundleId: 'com.example.app' }),
      identifierStreamId({ kind: 'quick_app', quickAppPackage: 'com.example.app' }),
    ]);
    expect(ids.size).toBe(3);
  });

  it('keeps a mini-program id of one host app apart from the same id in another', () => {
    expect(identifierStreamId({ kind: 'mini_program', hostApp: '微信', miniProgramId: 'abc123' })).not.toBe(
      identifierStreamId({ kind: 'mini_program', hostApp: '支付宝', miniProgramId: 'abc123' }),
    );
  });
});

describe('a sealed claim', () => {
  it('chains, names the filing as its cause and is read back as the last claim', () => {
    const streamId = identifierStreamId({ kind: 'package', packageName: 'com.example.ledger' });
    const event = { type: 'ServiceIdentifierClaimed', data: { filingId: 'filing-b' } } as const;
    const envelope = sealedClaim(streamId, EMPTY_REGISTRY_STREAM, event, NOW);
    const recorded = { ...envelope, streamId, revision: 0, position: 1, recordedAt: NOW };
    expect(verifyRegistryChain(streamId, [recorded])).toEqual([]);
    expect(envelope.metadata).toMatchObject({ causationId: 'filing-b', recordedBy: { role: 'system' } });
    expect(lastClaimOf([recorded])).toEqual({ filingId: 'filing-b', claimedAt: NOW });
  });
});

describe('identifierConflicts', () => {
  const identifier = identifiersToClaim(form)[0]!;
  const registered: IdentifierHolder = {
    status: 'registered',
    filingId: 'filing-a',
    platformId: 'wechat',
    serviceNumber: '粤ICP备2026000001号-1A',
  };
  const open: IdentifierHolder = { status: 'open_filing', filingId: 'filing-a', platformId: 'wechat' };

  it('names the service number and the open filing to the holder’s own platform', () => {
    expect(identifierConflicts([{ identifier, holder: registered }], 'wechat')).toEqual([
      expect.objectContaining({
        path: 'app.platforms.0.packageName',
        rule: 'identifier_registered',
        serviceNumber: '粤ICP备2026000001号-1A',
      }),
    ]);
    expect(identifierConflicts([{ identifier, holder: open }], 'wechat')).toEqual([
      expect.objectContaining({ rule: 'identifier_in_open_filing', filingId: 'filing-a' }),
    ]);
  });

  it('tells another platform only that the identifier is taken', () => {
    for (const holder of [registered, open, { status: 'in_flight', filingId: 'filing-a' } as const]) {
      const [conflict] = identifierConflicts([{ identifier, holder }], 'alipay');
      expect(conflict).toEqual({
        path: 'app.platforms.0.packageName',
        rule: 'identifier_taken',
        message: expect.any(String),
      });
      expect(conflict?.message).not.toMatch(/filing-a|粤ICP/);
    }
  });
});

describe('released identifiers', () => {
  const streamId = identifierStreamId({ kind: 'package', packageName: 'com.example.ledger' });
  const SERVICE_NUMBER = '粤ICP备2026000001号-1A';
  /** The events sealed one after another, as the log would hold them. */
  function stream(...events: IdentifierEvent[]): RecordedEvent[] {
    let head = EMPTY_REGISTRY_STREAM;
    return events.map((event, revision) => {
      const sealed = sealRegistryEvent(streamId, head, event, {
        occurredAt: NOW,
        recordedBy: { role: 'system', id: 'test' },
        causationId: event.data.filingId,
      });
      head = sealed.head;
      return { ...sealed.envelope, streamId, revision, position: revision + 1, recordedAt: NOW };
    });
  }
  const claim = (filingId: string): IdentifierEvent => ({
    type: 'ServiceIdentifierClaimed',
    data: { filingId },
  });
  const release = (filingId = 'cancel-1'): IdentifierEvent => ({
    type: 'ServiceIdentifierReleased',
    data: { serviceNumber: SERVICE_NUMBER, filingId },
  });

  it('leave no holder: a stream ending with a release is free, and a later claim holds it again', () => {
    expect(lastClaimOf(stream(claim('filing-a'), release()))).toBeUndefined();
    expect(decideIdentifierClaim(command, {})).toEqual(claimed);
    expect(lastClaimOf(stream(claim('filing-a'), release(), claim('filing-b')))).toEqual({
      filingId: 'filing-b',
      claimedAt: NOW,
    });
  });

  it('are decided once per cancelling or changing filing, and only for a claimed identifier', () => {
    const command = { serviceNumber: SERVICE_NUMBER, filingId: 'cancel-1' };
    expect(decideIdentifierRelease(command, stream(claim('filing-a')))).toEqual([release()]);
    expect(decideIdentifierRelease(command, [])).toEqual([]);
    expect(decideIdentifierRelease(command, stream(claim('filing-a'), release()))).toEqual([]);
    // Released by this filing, then claimed by a new one: a retried cancellation leaves it claimed.
    expect(decideIdentifierRelease(command, stream(claim('filing-a'), release(), claim('filing-b')))).toEqual(
      [],
    );
  });

  it('are the identifiers a version dropped, by claim stream (domains have none)', () => {
    const before = {
      packages: [{ os: 'android' as const, packageName: 'com.example.ledger', signatureMd5: 'a'.repeat(32) }],
      bundles: [{ bundleId: 'com.example.ios', signatureSha1: 'b'.repeat(40) }],
      domains: ['ledger.example.com'],
    };
    const after = { ...before, packages: [], domains: [] };
    expect(droppedIdentifierStreams(before, after)).toEqual([streamId]);
    expect(identifierKeysOf(before)).toEqual([
      { kind: 'package', packageName: 'com.example.ledger' },
      { kind: 'bundle', bundleId: 'com.example.ios' },
    ]);
  });
});
