import {
  applyDecorators,
  Body,
  Controller,
  Headers,
  HttpCode,
  Param,
  Post,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../events/filing/actor';
import type { FilingStatusView } from '../../events/filing/filing-view';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { filingStatusSchema } from '../filings/filing.responses';
import { SubmissionPipe } from '../filings/submission.pipe';
import { RevisionETag } from '../filings/revision-etag.interceptor';
import { ApiRoute, type RouteDoc, type RouteProblems } from '../http/openapi-operation';
import { ParseBodyPipe } from '../http/parse-body.pipe';
import {
  accessBody,
  cancellationBody,
  changeBody,
  parseAccess,
  parseCancellation,
  parseChange,
} from './registrations.requests';
import {
  SERVICE_NUMBER_PATTERN,
  serviceNumberPipe,
  type SubjectNumberRequest,
  subjectNumberPipe,
} from '../http/registration-number-params';
import { SUBJECT_NUMBER_PATTERN } from '../../events/form/subject-number';
import { RegistrationsService } from './registrations.service';

/** What a filing of another kind answers: the filing as submitted, with its kind and target, and its links. */
export type SubmittedFiling = FilingStatusView & { links: Record<string, string> };

const submittedSchema = {
  ...filingStatusSchema,
  required: [...(filingStatusSchema.required ?? []), 'kind', 'target', 'links'],
  properties: {
    ...filingStatusSchema.properties,
    links: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

const COMMON_PROBLEMS: RouteProblems = {
  404: 'no such registration, or it was filed through another platform',
  503: 'the workflow engine is unavailable; send again with the same Idempotency-Key',
};

const ApiServiceNumber = () =>
  ApiParam({
    name: 'serviceNumber',
    description: 'the service number, e.g. 粤ICP备2026000123号-1A (URL-encoded)',
    schema: { type: 'string', pattern: SERVICE_NUMBER_PATTERN },
  });

/** A platform's request starting a filing of another kind: its key required, answered 202 like `POST /v1/filings`. */
const SubmissionRoute = (path: string, doc: Omit<RouteDoc, 'bearer' | 'idempotencyKey'>) =>
  applyDecorators(
    Post(path),
    Roles('platform'),
    HttpCode(202),
    ApiRoute({
      ...doc,
      bearer: true,
      idempotencyKey: 'required',
      problems: { ...COMMON_PROBLEMS, ...doc.problems },
    }),
    ApiResponse({
      status: 202,
      description: 'filing started; drive it with the /v1/filings/{id}/* routes',
      schema: submittedSchema,
    }),
  );

function answered(view: FilingStatusView): SubmittedFiling {
  const id = view.filingId;
  return {
    ...view,
    status: view.status === 'not_submitted' ? 'submitted' : view.status,
    links: { self: `/v1/filings/${id}`, events: `/v1/filings/${id}/events` },
  };
}

/**
 * Changes, cancellations and new accesses of registrations: thin, as every controller. Each starts a
 * filing of its kind, on the same stages as a new registration, or is refused with nothing written.
 */
@ApiTags('registrations')
@Controller('v1')
@UseGuards(AuthGuard)
@UseInterceptors(RevisionETag)
export class RegistrationsController {
  constructor(private readonly registrations: RegistrationsService) {}

  @SubmissionRoute('registrations/:serviceNumber/changes', {
    body: changeBody,
    problems: {
      400: 'the form has errors; or it alters the province (form.operator.province), the certificate number (form.operator.creditCode, form.operator.idNumber, form.operatorCertificate.number) or the service type (rule immutable_on_change); or it is the registered version as it stands (rule no_difference). errors[] names each field; nothing was started',
      409: 'the registration is cancelled (registration-cancelled) or has no form on record (registration-without-form, an imported service); the Idempotency-Key was used for another request; an identifier the change adds is held by another filing; nothing was started',
    },
  })
  @ApiServiceNumber()
  async change(
    @CurrentActor() actor: Actor,
    @Param('serviceNumber', serviceNumberPipe) serviceNumber: string,
    @Headers('idempotency-key') key: string | undefined,
    @Body(new ParseBodyPipe(parseChange), SubmissionPipe.forCorrection) body: { form: unknown },
  ): Promise<SubmittedFiling> {
    const idempotencyKey = SubmissionPipe.requireKey(key);
    return answered(await this.registrations.change(actor, idempotencyKey, serviceNumber, body.form));
  }

  @SubmissionRoute('registrations/:serviceNumber/accesses', {
    body: accessBody,
    problems: {
      400: 'the access section has errors (errors[] lists each); nothing was started',
      409: 'the ISP already gives the service access (isp-already-serving); the registration is cancelled, has no form on record, or its registered version no longer passes today’s checks; the Idempotency-Key was used for another request; nothing was started',
    },
  })
  @ApiServiceNumber()
  async access(
    @CurrentActor() actor: Actor,
    @Param('serviceNumber', serviceNumberPipe) serviceNumber: string,
    @Headers('idempotency-key') key: string | undefined,
    @Body(new ParseBodyPipe(parseAccess)) body: { access: unknown },
  ): Promise<SubmittedFiling> {
    const idempotencyKey = SubmissionPipe.requireKey(key);
    return answered(await this.registrations.newAccess(actor, idempotencyKey, serviceNumber, body.access));
  }

  @SubmissionRoute('registrations/:serviceNumber/cancellation', {
    body: cancellationBody,
    bodyRequired: false,
    problems: {
      409: 'the service is already cancelled (registration-cancelled), has no form on record, or its registered version no longer passes today’s checks; the Idempotency-Key was used for another request; nothing was started',
    },
  })
  @ApiServiceNumber()
  async cancelService(
    @CurrentActor() actor: Actor,
    @Param('serviceNumber', serviceNumberPipe) serviceNumber: string,
    @Headers('idempotency-key') key: string | undefined,
    @Body(new ParseBodyPipe(parseCancellation)) body: { reasons?: string },
  ): Promise<SubmittedFiling> {
    const idempotencyKey = SubmissionPipe.requireKey(key);
    return answered(
      await this.registrations.cancelService(actor, idempotencyKey, serviceNumber, body.reasons),
    );
  }

  @SubmissionRoute('subjects/:subjectNumber/cancellation', {
    body: cancellationBody,
    bodyRequired: false,
    problems: {
      409: 'every service of the subject is cancelled (registration-cancelled); some were filed through another platform; none has a form on record; the Idempotency-Key was used for another request; nothing was started',
    },
  })
  @ApiParam({
    name: 'subjectNumber',
    description: 'the subject number, e.g. 粤ICP备2026000123号 (URL-encoded)',
    schema: { type: 'string', pattern: SUBJECT_NUMBER_PATTERN },
  })
  async cancelSubject(
    @CurrentActor() actor: Actor,
    @Param('subjectNumber', subjectNumberPipe) subject: SubjectNumberRequest,
    @Headers('idempotency-key') key: string | undefined,
    @Body(new ParseBodyPipe(parseCancellation)) body: { reasons?: string },
  ): Promise<SubmittedFiling> {
    const idempotencyKey = SubmissionPipe.requireKey(key);
    return answered(
      await this.registrations.cancelSubject(actor, idempotencyKey, subject.subjectNumber, body.reasons),
    );
  }
}
