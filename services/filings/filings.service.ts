import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { UpdateDefinition } from '@temporalio/common';
import { canonicalJson } from '../../events/canonical-json';
import type { Actor } from '../../events/filing/actor';
import type { FilingTarget, RegistrationFilingKind } from '../../events/filing/filing-kind';
import type { FilingStatusView } from '../../events/filing/filing-view';
import type { RegistrationForm } from '../../events/form/registration-form';
import { filingStreamId } from '../../events/filing/stream-ids';
import { sha256Hex } from '../../events/ids';
import type { EventLog, RecordedEvent } from '../../events/ports/event-log.port';
import { EVENT_LOG, IDEMPOTENCY_KEYS } from '../tokens';
import type { IdempotencyKeys, KeyClaim } from './idempotency-keys.port';
import { FilingNotFound, ProblemException, problemType } from '../http/problem-details';
import { decisionActionId } from '../http/request-keys';
import { FilingGateway } from './filing-gateway';
import { inScope } from './filing-scope';
import { IdentifierClaims } from './identifier-claims';
import { assertSubjectRegistered } from './subject-registration';

/**
 * A change, cancellation or new access, resolved against the registry by its route: what the filing
 * records, and what its Idempotency-Key is bound to.
 */
export interface ActingSubmission {
  readonly kind: RegistrationFilingKind;
  readonly target: FilingTarget;
  /** The full form the filing carries (validated): the new version, or the registered one. */
  readonly form: RegistrationForm;
  readonly reasons?: string;
  /** The request as sent (route, number, body): a retry with the same key must send the same. */
  readonly request: unknown;
}

/** Starts filings and reads their live state; every decision goes through the workflow's updates. */
@Injectable()
export class FilingsService {
  constructor(
    private readonly gateway: FilingGateway,
    @Inject(IDEMPOTENCY_KEYS) private readonly keys: IdempotencyKeys,
    @Inject(EVENT_LOG) private readonly eventLog: EventLog,
    private readonly identifierClaims: IdentifierClaims,
  ) {}

  /**
   * Same key and body → the same filing (started again if a crash left it unstarted); same key, other body → refused.
   * Answers once FilingSubmitted is in the log, so the caller can read its own write at once.
   * A subject number the registry does not hold under the form's certificate, or a service identifier
   * (package name, bundle id, …) held by another filing, is refused with 409 before the workflow starts.
   */
  async submit(actor: Actor, idempotencyKey: string, form: unknown): Promise<FilingStatusView> {
    await this.assertSubjectRegistered(form);
    const claim = await this.claimKey(actor, idempotencyKey, form, 'form');
    await this.identifierClaims.claimAtSubmission(actor, claim.filingId, form, claim.outcome === 'replayed');
    return this.gateway.submit({
      filingId: claim.filingId,
      form,
      actor,
      actionId: idempotencyKey,
      correlationId: claim.filingId,
    });
  }

  /**
   * A change, cancellation or new access, once its route has resolved it against the registry (and
   * refused what does not fit, before anything is written): the same Idempotency-Key rules as a new
   * filing; a change claims the identifiers it adds. Answers once FilingSubmitted is in the log.
   */
  async submitActing(
    actor: Actor,
    idempotencyKey: string,
    submission: ActingSubmission,
  ): Promise<FilingStatusView> {
    const { kind, target, form, reasons } = submission;
    const claim = await this.claimKey(actor, idempotencyKey, submission.request, 'request');
    if (kind === 'change') {
      const replayed = claim.outcome === 'replayed';
      await this.identifierClaims.claimAtSubmission(
        actor,
        claim.filingId,
        form,
        replayed,
        target.serviceNumber,
      );
    }
    return this.gateway.submit({
      filingId: claim.filingId,
      form,
      actor,
      actionId: idempotencyKey,
      correlationId: claim.filingId,
      kind,
      target,
      ...(reasons !== undefined && { reasons }),
    });
  }

  /**
   * The filing an earlier request with this key started (its live state), when the same request is
   * sent again: a retry is answered alike even once the registry has moved on. Another request under
   * the key is 409; a key never used, or one whose filing never started (the first request died
   * between the two), undefined: the request then goes through its checks again. Writes nothing.
   */
  async earlierSubmission(
    actor: Actor,
    key: string,
    request: unknown,
  ): Promise<FilingStatusView | undefined> {
    const earlier = await this.keys.submittedWith(actor.platformId ?? '', key);
    if (!earlier) return undefined;
    if (earlier.bodyDigest !== sha256Hex(canonicalJson(request))) {
      throw keyReused('request');
    }
    const view = await this.gateway.stateIfStarted(earlier.filingId);
    return view && inScope(actor, view) ? view : undefined;
  }

  /** The key bound to what was sent: a new filing id, the same one again, or 409 for another body. */
  private async claimKey(actor: Actor, key: string, body: unknown, what: string): Promise<KeyClaim> {
    const claim = await this.keys.claim({
      platformId: actor.platformId ?? '',
      key,
      bodyDigest: sha256Hex(canonicalJson(body)),
      filingId: randomUUID(),
      now: new Date(),
    });
    if (claim.outcome === 'conflict') throw keyReused(what);
    return claim;
  }

  /**
   * A form (validated by SubmissionPipe) naming a subject number the registry does not hold under its
   * certificate is refused with 409, before anything is written.
   */
  async assertSubjectRegistered(validatedForm: unknown): Promise<void> {
    await assertSubjectRegistered(this.eventLog, validatedForm as RegistrationForm);
  }

  /** The live state, or 404 when the filing does not exist or lies outside the caller's scope. */
  async status(actor: Actor, filingId: string): Promise<FilingStatusView> {
    const view = await this.gateway.liveState(filingId);
    if (!inScope(actor, view)) throw new FilingNotFound();
    return view;
  }

  /**
   * The filing's stream exactly as stored, for auditors: each event in the shape of its
   * metadata.schemaVersion, never upcast, since the hash chain they verify is over this form.
   */
  async events(filingId: string): Promise<RecordedEvent[]> {
    const events = await this.eventLog.readStream(filingStreamId(filingId));
    if (events.length === 0) throw new FilingNotFound();
    return events;
  }

  /**
   * A decision from the API. Its Idempotency-Key, when given, is its update id, and is first bound to
   * this decision by this actor on this filing: Temporal deduplicates updates by id alone, so a key
   * reused for another decision (or by another caller) would otherwise answer the first one's result.
   */
  async decideOnce<Args extends [{ actor: Actor }], Ret>(
    actor: Actor,
    filingId: string,
    update: UpdateDefinition<Ret, Args>,
    args: Args,
    keyHeader: string | undefined,
  ): Promise<Ret> {
    const actionId = decisionActionId(keyHeader);
    if (keyHeader?.trim()) {
      const claim = await this.keys.claimDecision({
        filingId,
        key: actionId,
        bodyDigest: sha256Hex(canonicalJson({ decision: update.name, args })),
        now: new Date(),
      });
      if (claim === 'conflict') {
        await this.status(actor, filingId); // 404 to a caller who may not see the filing
        throw new ProblemException({
          type: problemType('idempotency-key-reused'),
          title: 'Idempotency-Key reused',
          status: 409,
          detail: 'this Idempotency-Key was already used for a different decision on this filing',
        });
      }
    }
    return this.decide(actor, filingId, update, args, actionId);
  }

  /** A decision sent as an update whose id is the caller's action id (see FilingGateway.update). */
  decide<Args extends [{ actor: Actor }], Ret>(
    actor: Actor,
    filingId: string,
    update: UpdateDefinition<Ret, Args>,
    args: Args,
    actionId: string,
  ): Promise<Ret> {
    return this.gateway.update(actor, filingId, update, args, actionId);
  }
}

function keyReused(what: string): ProblemException {
  return new ProblemException({
    type: problemType('idempotency-key-reused'),
    title: 'Idempotency-Key reused',
    status: 409,
    detail: `this Idempotency-Key was already used for a different ${what}`,
  });
}
