import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '../../events/filing/actor';
import { initialFilingState } from '../../events/filing/filing-state';
import { filingStreamId } from '../../events/filing/stream-ids';
import type { RegistrationForm } from '../../events/form/registration-form';
import { validateRegistrationForm } from '../../events/form/validate-form';
import {
  type EventLog,
  type EventToAppend,
  WrongExpectedRevisionError,
} from '../../events/ports/event-log.port';
import {
  decideIdentifierClaim,
  foldStoredFiling,
  type IdentifierClaimDecision,
  type IdentifierToClaim,
  identifiersToClaim,
  lastClaimOf,
  sealedClaim,
} from '../../events/registry/identifier-claims';
import { identifierConflicts, type TakenIdentifier } from '../../events/registry/identifier-refusal';
import { type RegistryStreamHead, registryStreamHead } from '../../events/registry/registry-envelope';
import { ProblemException, problemType } from '../http/problem-details';
import { chinaDateOfEpochMs } from '../../events/working-days/china-time';
import { EVENT_LOG } from '../tokens';

/** Another claim landed between a read and an append this many times in a row: give up (503, send again). */
const MAX_CLAIM_ATTEMPTS = 5;

interface Standing {
  readonly identifier: IdentifierToClaim;
  readonly head: RegistryStreamHead;
  readonly decision: IdentifierClaimDecision;
}

/**
 * No duplicate services, strongly consistent on the event log: a submission claims each identifier of
 * its service in the identifier's claim stream, under optimistic concurrency, before its workflow starts.
 *
 * Every identifier is checked before any is claimed, so a refusal found by reading writes nothing.
 * Only a submission that loses a race (another claim lands between its check and its append) can be
 * refused after claiming some of its identifiers. Those claims are harmless: their filing never
 * records FilingSubmitted, so they go stale after STALE_CLAIM_MS, and the same submission sent again
 * (same Idempotency-Key, same filing) holds them already.
 */
@Injectable()
export class IdentifierClaims {
  constructor(@Inject(EVENT_LOG) private readonly eventLog: EventLog) {}

  /**
   * At `POST /v1/filings`, once the Idempotency-Key has given the filing its id. A replayed key whose
   * filing is already recorded claims nothing: it claimed its identifiers when first sent.
   */
  async claimAtSubmission(
    actor: Actor,
    filingId: string,
    form: unknown,
    replayed: boolean,
    heldAlready: ReadonlySet<string> = new Set(),
  ): Promise<void> {
    const now = new Date();
    if (replayed && (await this.eventLog.readStream(filingStreamId(filingId), { maxCount: 1 })).length > 0)
      return;
    const validated = validateRegistrationForm(form, { submittedOn: chinaDateOfEpochMs(now.getTime()) });
    if (validated.ok) await this.claim(actor, filingId, validated.value, now, heldAlready);
  }

  /**
   * Claims the form's identifiers for the filing, or refuses with 409 naming each one held elsewhere.
   * `heldAlready`: identifier streams the service being changed holds (a change claims only its new ones).
   */
  async claim(
    actor: Actor,
    filingId: string,
    form: RegistrationForm,
    now: Date,
    heldAlready: ReadonlySet<string> = new Set(),
  ): Promise<void> {
    const at = now.toISOString();
    const toClaim = identifiersToClaim(form).filter(({ streamId }) => !heldAlready.has(streamId));
    const standings = await Promise.all(toClaim.map((identifier) => this.standing(identifier, filingId, at)));
    this.refuseTaken(actor, standings);
    // One order for every submission, so two with the same identifiers contend on the same first one.
    const inStreamOrder = [...standings].sort((a, b) =>
      a.identifier.streamId.localeCompare(b.identifier.streamId),
    );
    for (const first of inStreamOrder) {
      this.refuseTaken(actor, [await this.claimOne(first, filingId, at)]);
    }
  }

  /** The identifier's claim stream and the filing holding it, read and decided on. */
  private async standing(identifier: IdentifierToClaim, filingId: string, now: string): Promise<Standing> {
    const recorded = await this.eventLog.readStream(identifier.streamId);
    const last = lastClaimOf(recorded);
    // The holder's stream is read only when it is another filing: a filing's own claim is decided on its id.
    const holderFiling =
      last && last.filingId !== filingId
        ? foldStoredFiling(await this.eventLog.readStream(filingStreamId(last.filingId)))
        : initialFilingState;
    const state = last ? { lastClaim: { ...last, holderFiling } } : {};
    return {
      identifier,
      head: registryStreamHead(recorded),
      decision: decideIdentifierClaim({ filingId, now }, state),
    };
  }

  /** Appends the claim at the head it was decided on; decides again after another claim got there first. */
  private async claimOne(first: Standing, filingId: string, now: string): Promise<Standing> {
    let standing = first;
    for (let attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt += 1) {
      const { decision, head, identifier } = standing;
      if (decision.outcome !== 'claim') return standing;
      const envelope = sealedClaim(identifier.streamId, head, decision.event, now);
      if (await this.appendClaim(identifier.streamId, head, envelope, filingId)) return standing;
      standing = await this.standing(identifier, filingId, now);
    }
    throw new ProblemException({
      type: problemType('identifier-claim-contended'),
      title: 'Service Unavailable',
      status: 503,
      detail:
        'other submissions kept claiming the same identifiers; send again with the same Idempotency-Key',
    });
  }

  /** True when the claim is in the stream; false when another writer took that revision first. */
  private async appendClaim(
    streamId: string,
    head: RegistryStreamHead,
    envelope: EventToAppend,
    filingId: string,
  ): Promise<boolean> {
    try {
      const expectedRevision = head.revision === -1 ? 'no_stream' : head.revision;
      const result = await this.eventLog.appendToStream(streamId, [envelope], { expectedRevision });
      if (!result.alreadyAppended) return true;
      // Event ids name only the slot: "already appended" may be another filing's claim at that revision.
      const [stored] = await this.eventLog.readStream(streamId, {
        fromRevision: head.revision + 1,
        maxCount: 1,
      });
      return stored !== undefined && lastClaimOf([stored])?.filingId === filingId;
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) return false;
      throw error;
    }
  }

  private refuseTaken(actor: Actor, standings: readonly Standing[]): void {
    const taken: TakenIdentifier[] = standings.flatMap(({ identifier, decision }) =>
      decision.outcome === 'taken' ? [{ identifier, holder: decision.holder }] : [],
    );
    if (taken.length === 0) return;
    const conflicts = identifierConflicts(taken, actor.platformId);
    // Machine-readable, and only ever what identifierConflicts names to the holder's own platform.
    const named = conflicts.flatMap(
      ({ path, serviceNumber, filingId }): { path: string; [held: string]: string }[] =>
        serviceNumber ? [{ path, serviceNumber }] : filingId ? [{ path, filingId }] : [],
    );
    throw new ProblemException({
      type: problemType('service-identifier-taken'),
      title: 'Service identifier taken',
      status: 409,
      detail: `${conflicts.length} identifier(s) of this service belong to another filing; nothing was started`,
      errors: conflicts.map(({ path, rule, message }) => ({ path, rule, message })),
      ...(named.length > 0 ? { conflicts: named } : {}),
    });
  }
}
