import { assertNever } from '../assert-never';
import { evolve } from '../filing/evolve';
import { FILING_EVENT_TYPES, type FilingEventType } from '../filing/filing-events';
import { type FilingState, initialFilingState } from '../filing/filing-state';
import { upcastFilingEvent } from '../filing/upcast';
import type { RegistrationForm } from '../form/registration-form';
import { formatPath } from '../form/schema/field-path';
import type { EventToAppend, Json, RecordedEvent } from '../ports/event-log.port';
import {
  CorruptRegistryStreamError,
  type IdentifierEvent,
  type IdentifierReleasedEvent,
  type ServiceIdentifiers,
} from './registry-events';
import {
  type RegistryRecorder,
  type RegistryStreamHead,
  sealedMetadataOf,
  sealRegistryEvent,
} from './registry-envelope';
import { identifierStreamId, type ServiceIdentifierKey } from './registry-streams';

/**
 * No duplicate services: at submission a filing claims each identifier of its service (package name,
 * bundle id, mini-program id with its host app, quick-app package) in that identifier's claim stream.
 * The stream's last claim says who holds it; the holder's filing stream says whether it still does.
 */

/** A claim whose filing has recorded nothing after this long was made by a submission that never started. */
export const STALE_CLAIM_MS = 10 * 60 * 1000;

/** One identifier a filing claims, and where the form gives it. */
export interface IdentifierToClaim {
  readonly key: ServiceIdentifierKey;
  readonly streamId: string;
  /** The form field, as form errors name it: `app.platforms.0.packageName`. */
  readonly path: string;
}

/** The identifiers of a form, each stream once (an Android and a HarmonyOS build may share a package). */
export function identifiersToClaim(form: RegistrationForm): IdentifierToClaim[] {
  const claims = new Map<string, IdentifierToClaim>();
  const add = (key: ServiceIdentifierKey, path: (string | number)[]) => {
    const streamId = identifierStreamId(key);
    if (!claims.has(streamId)) claims.set(streamId, { key, streamId, path: formatPath(path) });
  };
  switch (form.serviceType) {
    case 'app':
      form.app.platforms.forEach((platform, index) => {
        if (platform.os === 'ios') {
          add({ kind: 'bundle', bundleId: platform.bundleId }, ['app', 'platforms', index, 'bundleId']);
        } else {
          add({ kind: 'package', packageName: platform.packageName }, [
            'app',
            'platforms',
            index,
            'packageName',
          ]);
        }
      });
      break;
    case 'mini_program': {
      const { hostApp, miniProgramId } = form.app;
      add({ kind: 'mini_program', hostApp, miniProgramId }, ['app', 'miniProgramId']);
      break;
    }
    case 'quick_app': {
      const { quickAppPackage } = form.app;
      add({ kind: 'quick_app', quickAppPackage }, ['app', 'quickAppPackage']);
      break;
    }
    default:
      assertNever(form, 'service type');
  }
  return [...claims.values()];
}

/** The last claim of an identifier's stream. */
export interface IdentifierClaimRecord {
  readonly filingId: string;
  /** When the claim was made (its sealed metadata's occurredAt). */
  readonly claimedAt: string;
}

export function decodeIdentifierEvent(recorded: RecordedEvent): IdentifierEvent & { claimedAt: string } {
  const data = recorded.data as { readonly [key: string]: Json } | null;
  const text = (key: string) => {
    const value = typeof data === 'object' && data !== null ? data[key] : undefined;
    if (typeof value !== 'string' || value === '') {
      throw new CorruptRegistryStreamError(recorded, `data.${key} is not a non-empty string`);
    }
    return value;
  };
  const sealed = sealedMetadataOf(recorded);
  if (recorded.type !== 'ServiceIdentifierClaimed' && recorded.type !== 'ServiceIdentifierReleased') {
    throw new CorruptRegistryStreamError(recorded, 'not an event of an identifier stream');
  }
  const filingId = text('filingId');
  if (!sealed) throw new CorruptRegistryStreamError(recorded, 'a claim is not sealed');
  if (recorded.type === 'ServiceIdentifierReleased') {
    const released = { filingId, serviceNumber: text('serviceNumber') };
    return { type: recorded.type, data: released, claimedAt: sealed.occurredAt };
  }
  return { type: recorded.type, data: { filingId }, claimedAt: sealed.occurredAt };
}

/**
 * Who holds the identifier: the stream's last claim (earlier claims were released or went stale).
 * Undefined when nobody claimed it, or when the stream ends with a release (the service holding it
 * was cancelled, or a change dropped it): the identifier is free again.
 */
export function lastClaimOf(recorded: readonly RecordedEvent[]): IdentifierClaimRecord | undefined {
  const last = recorded[recorded.length - 1];
  if (!last) return undefined;
  const event = decodeIdentifierEvent(last);
  if (event.type === 'ServiceIdentifierReleased') return undefined;
  return { filingId: event.data.filingId, claimedAt: event.claimedAt };
}

/** The identifiers of a service version that have claim streams (domains have none). */
export function identifierKeysOf(identifiers: ServiceIdentifiers): ServiceIdentifierKey[] {
  const keys: ServiceIdentifierKey[] = [
    ...identifiers.packages.map(({ packageName }) => ({ kind: 'package' as const, packageName })),
    ...identifiers.bundles.map(({ bundleId }) => ({ kind: 'bundle' as const, bundleId })),
  ];
  if (identifiers.miniProgram) {
    const { hostApp, miniProgramId } = identifiers.miniProgram;
    keys.push({ kind: 'mini_program', hostApp, miniProgramId });
  }
  if (identifiers.quickAppPackage !== undefined) {
    keys.push({ kind: 'quick_app', quickAppPackage: identifiers.quickAppPackage });
  }
  const byStream = new Map(keys.map((key) => [identifierStreamId(key), key]));
  return [...byStream.values()];
}

/** The identifier streams of `before` whose identifier `after` no longer has. */
export function droppedIdentifierStreams(before: ServiceIdentifiers, after: ServiceIdentifiers): string[] {
  const kept = new Set(identifierKeysOf(after).map(identifierStreamId));
  return identifierKeysOf(before)
    .map(identifierStreamId)
    .filter((streamId) => !kept.has(streamId));
}

/**
 * Releases an identifier the service no longer holds (cancelled, or a change dropped it), so a new
 * filing may claim it. Nothing when nobody ever claimed it (a registration from before claims), when
 * the stream already ends with a release, or when this filing released it already (a retry).
 */
export function decideIdentifierRelease(
  command: { readonly serviceNumber: string; readonly filingId: string },
  recorded: readonly RecordedEvent[],
): IdentifierReleasedEvent[] {
  const events = recorded.map(decodeIdentifierEvent);
  const last = events[events.length - 1];
  if (!last || last.type === 'ServiceIdentifierReleased') return [];
  const releasedBefore = events.some(
    (event) =>
      event.type === 'ServiceIdentifierReleased' &&
      event.data.filingId === command.filingId &&
      event.data.serviceNumber === command.serviceNumber,
  );
  if (releasedBefore) return [];
  const { serviceNumber, filingId } = command;
  return [{ type: 'ServiceIdentifierReleased', data: { serviceNumber, filingId } }];
}

const KNOWN_FILING_EVENTS: ReadonlySet<string> = new Set<FilingEventType>(FILING_EVENT_TYPES);

/** A filing's stream as stored, upcast and folded with the filing's own `evolve`. */
export function foldStoredFiling(recorded: readonly RecordedEvent[]): FilingState {
  let state = initialFilingState;
  for (const event of recorded) {
    if (!KNOWN_FILING_EVENTS.has(event.type)) continue;
    const metadata = event.metadata as { readonly [key: string]: Json } | null;
    const occurredAt =
      typeof metadata?.['occurredAt'] === 'string' ? metadata['occurredAt'] : event.recordedAt;
    state = evolve(state, { ...upcastFilingEvent(event), metadata: { occurredAt } });
  }
  return state;
}

/** Who holds an identifier another filing wants, as far as the claimant may be told. */
export type IdentifierHolder =
  /** Claimed moments ago by a submission whose filing is not recorded yet: its platform is not known. */
  | { readonly status: 'in_flight'; readonly filingId: string }
  | { readonly status: 'open_filing'; readonly filingId: string; readonly platformId: string }
  | {
      readonly status: 'registered';
      readonly filingId: string;
      readonly platformId: string;
      readonly serviceNumber: string;
    };

export interface ClaimIdentifier {
  readonly filingId: string;
  /** ISO 8601; the time is an input, never read from a clock here. */
  readonly now: string;
  /**
   * A change filing's target service: an identifier that service holds already is the filing's to
   * keep (`already_held`, nothing appended), so a change that keeps a package does not claim it anew.
   */
  readonly forService?: string;
}

/** The identifier stream's last claim, and the state of the filing that made it (folded from its stream). */
export interface IdentifierClaimState {
  readonly lastClaim?: IdentifierClaimRecord & { readonly holderFiling: FilingState };
}

export type IdentifierClaimDecision =
  | { readonly outcome: 'claim'; readonly event: IdentifierEvent }
  /** This filing holds it already (a retried submission): nothing to append. */
  | { readonly outcome: 'already_held' }
  | { readonly outcome: 'taken'; readonly holder: IdentifierHolder };

/**
 * Claims an identifier for a filing unless another filing holds it: one that is open (or whose
 * submission is in flight), or that was issued a number. A rejected or withdrawn filing, or a claim
 * left stale by a submission that never started, holds nothing.
 */
export function decideIdentifierClaim(
  command: ClaimIdentifier,
  state: IdentifierClaimState,
): IdentifierClaimDecision {
  const claim: IdentifierClaimDecision = {
    outcome: 'claim',
    event: { type: 'ServiceIdentifierClaimed', data: { filingId: command.filingId } },
  };
  const last = state.lastClaim;
  if (!last) return claim;
  if (last.filingId === command.filingId) return { outcome: 'already_held' };
  const holder = holderOf(last, command.now);
  if (holder?.status === 'registered' && holder.serviceNumber === command.forService) {
    return { outcome: 'already_held' };
  }
  return holder ? { outcome: 'taken', holder } : claim;
}

/** The claim's holder while it still holds the identifier; undefined once the identifier is free. */
function holderOf(
  last: IdentifierClaimRecord & { readonly holderFiling: FilingState },
  now: string,
): IdentifierHolder | undefined {
  const filing = last.holderFiling;
  const filingId = last.filingId;
  switch (filing.status) {
    case 'not_submitted': {
      const age = Date.parse(now) - Date.parse(last.claimedAt);
      return age > STALE_CLAIM_MS ? undefined : { status: 'in_flight', filingId };
    }
    case 'rejected':
    case 'withdrawn':
      return undefined;
    case 'registered':
    case 'published':
    case 'completed':
      return {
        status: 'registered',
        filingId,
        platformId: filing.platformId,
        serviceNumber: filing.serviceNumber,
      };
    case 'submitted':
    case 'platform_review':
    case 'returned_for_correction':
    case 'platform_approved':
    case 'sms_verification':
    case 'returned_to_platform':
    case 'sms_verified':
    case 'bureau_review':
    case 'bureau_approved':
      return { status: 'open_filing', filingId, platformId: filing.platformId };
    default:
      return assertNever(filing, 'filing status');
  }
}

/** Claims are recorded by the submission itself, on the platform's behalf. */
export const IDENTIFIER_CLAIM_RECORDER: RegistryRecorder = { role: 'system', id: 'filing-submission' };

/** The claim as appended after `head`: sealed, caused by the filing, its id deterministic. */
export function sealedClaim(
  streamId: string,
  head: RegistryStreamHead,
  event: IdentifierEvent,
  now: string,
): EventToAppend {
  const context = {
    occurredAt: now,
    recordedBy: IDENTIFIER_CLAIM_RECORDER,
    causationId: event.data.filingId,
  };
  return sealRegistryEvent(streamId, head, event, context).envelope;
}
