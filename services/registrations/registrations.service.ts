import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '../../events/filing/actor';
import type { FilingTarget } from '../../events/filing/filing-kind';
import type { FilingStatusView } from '../../events/filing/filing-view';
import { altersOf, diffForms, immutableChangesOf } from '../../events/filing/registration-diff';
import type { RegistrationForm } from '../../events/form/registration-form';
import { validateRegistrationForm } from '../../events/form/validate-form';
import type { EventLog } from '../../events/ports/event-log.port';
import { MAX_PAGE_SIZE, type ReadModelQueries } from '../../events/ports/read-models.port';
import { chinaDateOfEpochMs } from '../../events/working-days/china-time';
import { type FieldError, ProblemException, problemType, ValidationProblem } from '../http/problem-details';
import { type ActingSubmission, FilingsService } from '../filings/filings.service';
import { assertSubjectRegistered } from '../filings/subject-registration';
import { EVENT_LOG, READ_MODELS } from '../tokens';
import { sameIspName } from '../../events/registry/service';
import { readRegisteredVersion, type RegisteredVersion } from './registered-version';

/** A registered version a filing of another kind may start from: in scope, active, with a form on record. */
type Workable = RegisteredVersion & { readonly filing: NonNullable<RegisteredVersion['filing']> };

const notFound = (what: string, number: string) =>
  new ProblemException({
    type: problemType('registration-not-found'),
    title: 'Not Found',
    status: 404,
    detail: `no ${what} ${number} in the caller’s scope`,
  });

const cancelled = (number: string) =>
  new ProblemException({
    type: problemType('registration-cancelled'),
    title: 'Registration cancelled',
    status: 409,
    detail: `${number} is cancelled: nothing may follow a cancellation; nothing was started`,
  });

const withoutForm = (number: string) =>
  new ProblemException({
    type: problemType('registration-without-form'),
    title: 'No registered form on record',
    status: 409,
    detail: `${number} was imported into the registry without the form it was filed with, so there is no registered version to start from; nothing was started`,
  });

/**
 * Changes, cancellations and new accesses: each resolved against the registered version in the event
 * log, and refused, before anything is written or started, when it does not fit. Then submitted as a
 * filing of its kind (FilingsService), driven by the usual `/v1/filings/:id/*` routes.
 */
@Injectable()
export class RegistrationsService {
  constructor(
    private readonly filings: FilingsService,
    @Inject(EVENT_LOG) private readonly eventLog: EventLog,
    @Inject(READ_MODELS) private readonly readModels: ReadModelQueries,
  ) {}

  /** A new version of the service (and of its subject's sections): `form` is validated by the pipe. */
  async change(actor: Actor, key: string, serviceNumber: string, form: unknown): Promise<FilingStatusView> {
    const request = { route: 'changes', serviceNumber, form };
    return this.once(actor, key, request, () => this.startChange(actor, key, request));
  }

  private async startChange(
    actor: Actor,
    key: string,
    request: { serviceNumber: string; form: unknown },
  ): Promise<FilingStatusView> {
    const { serviceNumber, form } = request;
    const version = await this.workable(actor, serviceNumber);
    const proposed = form as RegistrationForm;
    refuseImmutableChanges(version.filing.form, proposed);
    const differences = diffForms(version.filing.form, proposed);
    if (differences.length === 0) {
      throw new ValidationProblem(
        [{ path: 'form', rule: 'no_difference', message: 'the form is the registered version as it stands' }],
        'the change alters nothing; nothing was started',
      );
    }
    await assertSubjectRegistered(this.eventLog, proposed);
    return this.submit(actor, key, {
      kind: 'change',
      target: { ...targetOf(version), alters: altersOf(differences) },
      form: proposed,
      request,
    });
  }

  /** Another ISP for the service: the registered form with its `access` section replaced. */
  async newAccess(
    actor: Actor,
    key: string,
    serviceNumber: string,
    access: unknown,
  ): Promise<FilingStatusView> {
    const request = { route: 'accesses', serviceNumber, access };
    return this.once(actor, key, request, () => this.startNewAccess(actor, key, request));
  }

  private async startNewAccess(
    actor: Actor,
    key: string,
    request: { serviceNumber: string; access: unknown },
  ): Promise<FilingStatusView> {
    const { serviceNumber, access } = request;
    const version = await this.workable(actor, serviceNumber);
    const form = formWithAccess(version.filing.form, access);
    // A registration from before accesses were kept: its form names the ISP that served it.
    const { ispNames, accessesUnknown } = version.service;
    const serving = accessesUnknown ? [...ispNames, version.filing.form.access.ispName] : ispNames;
    if (serving.some((ispName) => sameIspName(ispName, form.access.ispName))) {
      throw new ProblemException({
        type: problemType('isp-already-serving'),
        title: 'ISP already serving',
        status: 409,
        detail: `${form.access.ispName} already gives ${serviceNumber} access; nothing was started`,
        errors: [
          {
            path: 'access.ispName',
            rule: 'isp_already_serving',
            message: 'this ISP already serves the service',
          },
        ],
      });
    }
    return this.submit(actor, key, {
      kind: 'new_access',
      target: targetOf(version),
      form,
      request,
    });
  }

  /** The service's cancellation, on the registered form as it stands. */
  async cancelService(
    actor: Actor,
    key: string,
    serviceNumber: string,
    reasons: string | undefined,
  ): Promise<FilingStatusView> {
    const request = { route: 'cancellation', serviceNumber, reasons: reasons ?? null };
    return this.once(actor, key, request, async () => {
      const version = await this.workable(actor, serviceNumber);
      return this.submit(actor, key, {
        kind: 'cancellation',
        target: targetOf(version),
        form: stillValid(version.filing.form),
        ...(reasons !== undefined && { reasons }),
        request,
      });
    });
  }

  /**
   * The whole subject's cancellation, with all its services, on the registered form of one of them
   * (the subject's sections are the same in each). A platform may cancel a subject only when every
   * active service of it is its own (or imported); a subject none of whose services is its own is
   * not in its scope.
   */
  async cancelSubject(
    actor: Actor,
    key: string,
    subjectNumber: string,
    reasons: string | undefined,
  ): Promise<FilingStatusView> {
    const request = { route: 'subject-cancellation', subjectNumber, reasons: reasons ?? null };
    return this.once(actor, key, request, () => this.startSubjectCancellation(actor, key, request));
  }

  private async startSubjectCancellation(
    actor: Actor,
    key: string,
    request: { subjectNumber: string; reasons: string | null },
  ): Promise<FilingStatusView> {
    const { subjectNumber } = request;
    const reasons = request.reasons ?? undefined;
    const versions = await this.subjectServices(subjectNumber);
    if (versions.length === 0) throw notFound('subject', subjectNumber);
    const live = versions.filter(({ service }) => service.status !== 'cancelled');
    const own = live.filter((version) => inScope(actor, version));
    if (own.length === 0 && !versions.some((version) => inScope(actor, version))) {
      throw notFound('subject', subjectNumber);
    }
    if (live.length === 0) throw cancelled(subjectNumber);
    if (own.length < live.length) {
      throw new ProblemException({
        type: problemType('subject-served-by-other-platforms'),
        title: 'Services filed by other platforms',
        status: 409,
        detail: `${live.length - own.length} service(s) of ${subjectNumber} were filed through another platform, which must cancel them; nothing was started`,
      });
    }
    const base = own.find((version): version is Workable => version.filing !== undefined);
    if (!base) throw withoutForm(subjectNumber);
    return this.submit(actor, key, {
      kind: 'cancellation',
      target: { subjectNumber: base.service.registered.subjectNumber, baseFilingId: base.filing.filingId },
      form: stillValid(base.filing.form),
      ...(reasons !== undefined && { reasons }),
      request,
    });
  }

  /** A retry (the same request under the same key) answers the filing it started, whatever the registry says now. */
  private async once(
    actor: Actor,
    key: string,
    request: unknown,
    start: () => Promise<FilingStatusView>,
  ): Promise<FilingStatusView> {
    return (await this.filings.earlierSubmission(actor, key, request)) ?? start();
  }

  private submit(actor: Actor, key: string, submission: ActingSubmission): Promise<FilingStatusView> {
    return this.filings.submitActing(actor, key, submission);
  }

  /**
   * The service's registered version, if a filing may start from it: unknown or out of scope 404,
   * cancelled 409, imported without a form 409.
   */
  private async workable(actor: Actor, serviceNumber: string): Promise<Workable> {
    const version = await readRegisteredVersion(this.eventLog, serviceNumber);
    if (!version || !inScope(actor, version)) throw notFound('service', serviceNumber);
    if (version.service.status === 'cancelled') throw cancelled(serviceNumber);
    if (!version.filing) throw withoutForm(serviceNumber);
    return version as Workable;
  }

  /** Every service the registry lists under the subject, each read from its own stream. */
  private async subjectServices(subjectNumber: string): Promise<RegisteredVersion[]> {
    const numbers: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.readModels.findRegistryServices({
        subjectNumber,
        limit: MAX_PAGE_SIZE,
        cursor,
      });
      numbers.push(...page.items.map((row) => row.serviceNumber));
      cursor = page.nextCursor;
    } while (cursor);
    const versions = await Promise.all(numbers.map((number) => readRegisteredVersion(this.eventLog, number)));
    return versions.filter((version): version is RegisteredVersion => version !== undefined);
  }
}

/** Platforms act on what they filed; an imported service (no filing on record) on any platform's word. */
function inScope(actor: Actor, version: RegisteredVersion): boolean {
  if (actor.role !== 'platform') return false;
  return version.filing === undefined || version.filing.platformId === actor.platformId;
}

function targetOf(version: Workable): FilingTarget {
  const { serviceNumber, subjectNumber } = version.service.registered;
  return { subjectNumber, serviceNumber, baseFilingId: version.filing.filingId };
}

/** 400 naming each field a change may not alter, with rule `immutable_on_change`. */
function refuseImmutableChanges(registered: RegistrationForm, proposed: RegistrationForm): void {
  const changes = immutableChangesOf(registered, proposed);
  if (changes.length === 0) return;
  const why = {
    province: 'the province',
    certificate: 'the certificate number',
    service_type: 'the service type',
  };
  throw new ValidationProblem(
    changes.map(({ path, what }) => ({
      path: `form.${path}`,
      rule: 'immutable_on_change',
      message: `a change may not alter ${why[what]}`,
    })),
    'a change may not alter the province, the certificate number or the service type; nothing was started',
  );
}

const today = (): string => chinaDateOfEpochMs(Date.now());

/** The registered form with the new access, validated as a whole (errors placed under `access`). */
function formWithAccess(registered: RegistrationForm, access: unknown): RegistrationForm {
  const result = validateRegistrationForm({ ...registered, access }, { submittedOn: today() });
  if (result.ok) return result.value;
  const errors: FieldError[] = result.errors.map((e) => ({ path: e.path, rule: e.rule, message: e.message }));
  const own = errors.filter(({ path }) => path === 'access' || path.startsWith('access.'));
  if (own.length > 0)
    throw new ValidationProblem(own, `the access has ${own.length} error(s); nothing was started`);
  throw outdated(errors);
}

/** The registered form, if it still passes today's checks (an ID document may have expired since). */
function stillValid(registered: RegistrationForm): RegistrationForm {
  const result = validateRegistrationForm(registered, { submittedOn: today() });
  if (result.ok) return result.value;
  throw outdated(result.errors.map((e) => ({ path: e.path, rule: e.rule, message: e.message })));
}

const outdated = (errors: readonly FieldError[]) =>
  new ProblemException({
    type: problemType('registered-form-outdated'),
    title: 'Registered version no longer valid',
    status: 409,
    detail:
      'the registered version no longer passes today’s checks (an ID document may have expired): file a change first; nothing was started',
    errors: errors.map(({ path, rule, message }) => ({ path: `registered.${path}`, rule, message })),
  });
