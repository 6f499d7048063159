import {
  Body,
  Controller,
  Get,
  Inject,
  Query,
  Headers,
  HttpCode,
  Param,
  Post,
  Res,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import type { Response } from 'express';
import type { Actor } from '../../events/filing/actor';
import type { PlatformDecision } from '../../events/filing/filing-commands';
import type { FilingStatusView } from '../../events/filing/filing-view';
import {
  correctionUpdate,
  platformReviewUpdate,
  resubmissionUpdate,
  smsResendUpdate,
  withdrawalUpdate,
} from '../../workflows/filing/filing.definitions';
import { ApiHeader, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { READ_MODELS } from '../tokens';
import type { FilingSummaryRow, Page, ReadModelQueries } from '../../events/ports/read-models.port';
import { FilingsService } from './filings.service';
import { type FilingListQuery, filingListQuery, parseFilingList } from './list.requests';
import { readPage } from '../http/read-page';
import {
  correctionBody,
  emptyBody,
  parseCorrection,
  parseEmpty,
  parsePlatformReview,
  parseReasonsOnly,
  platformReviewBody,
  reasonsOnlyBody,
  type ReviewBody,
} from './filings.requests';
import { ApiDecision, filingStatusSchema, pageSchema } from './filing.responses';
import { ApiRoute } from '../http/openapi-operation';
import { registrationFormSchema } from '../../events/form/registration-form.schema';
import { ParseBodyPipe } from '../http/parse-body.pipe';
import { filingIdPipe } from '../http/request-keys';
import { SubmissionPipe } from './submission.pipe';
import { FilingReads } from './filing-reads';
import { FilingReadParams } from './filing-read.params';
import { filingReadQuery, type FilingReadQuery } from './read.requests';
import { filingAnswerHeaders } from './filing.responses';
import { matchesRevision, RevisionETag, revisionETag } from './revision-etag.interceptor';

/** Thin: validate (pipes), authorise (guard), dispatch to the workflow. */
@ApiTags('filings')
@Controller('v1/filings')
@UseGuards(AuthGuard)
@UseInterceptors(RevisionETag)
export class FilingsController {
  constructor(
    private readonly filings: FilingsService,
    private readonly reads: FilingReads,
    @Inject(READ_MODELS) private readonly readModels: ReadModelQueries,
  ) {}

  /** From the filing-summary read model; platforms see their own filings, bureaus their province's. */
  @Get()
  @Roles('platform', 'bureau', 'auditor')
  @ApiRoute({ bearer: true, query: filingListQuery, problems: {} })
  @ApiResponse({ status: 200, description: 'a page of filings', schema: pageSchema(filingStatusSchema) })
  async list(
    @CurrentActor() actor: Actor,
    @Query(new ParseBodyPipe(parseFilingList)) query: FilingListQuery,
  ): Promise<Page<FilingSummaryRow>> {
    const scope =
      actor.role === 'platform'
        ? { platformId: actor.platformId }
        : actor.role === 'bureau'
          ? { province: actor.province }
          : {};
    if (actor.role === 'bureau' && query.province && query.province !== actor.province) return { items: [] };
    return readPage(() => this.readModels.listFilings({ ...query, ...scope }));
  }

  @Post()
  @Roles('platform')
  @HttpCode(202)
  @ApiRoute({
    bearer: true,
    body: registrationFormSchema.jsonSchema,
    idempotencyKey: 'required',
    problems: {
      400: 'the form has errors (every one listed), or the Idempotency-Key is missing; nothing was started',
      409: 'the Idempotency-Key was used for another form; existingSubjectNumber is not in the registry under the operator certificate the form carries; or an identifier of the service (package name, bundle id, mini-program id, quick-app package) is held by another filing (the holding filing or service number is named to its own platform only). errors[] names each field; nothing was started',
      503: 'the workflow engine is unavailable; send again with the same Idempotency-Key',
    },
  })
  @ApiResponse({
    status: 202,
    description: 'filing started',
    headers: filingAnswerHeaders(false),
    schema: {
      type: 'object',
      required: ['filingId', 'status', 'revision', 'links'],
      properties: {
        filingId: { type: 'string', format: 'uuid' },
        status: { type: 'string' },
        revision: {
          type: 'integer',
          description: 'the filing’s revision: pass as minRevision to read this write back',
        },
        links: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
  })
  async submit(
    @CurrentActor() actor: Actor,
    @Headers('idempotency-key') key: string | undefined,
    @Body(SubmissionPipe) form: unknown,
  ): Promise<{ filingId: string; status: string; revision: number; links: Record<string, string> }> {
    const view = await this.filings.submit(actor, SubmissionPipe.requireKey(key), form);
    const id = view.filingId;
    return {
      filingId: id,
      status: view.status === 'not_submitted' ? 'submitted' : view.status,
      // Answered before FilingSubmitted was recorded (-1): reading revision 0 reads the submission.
      revision: Math.max(view.revision, 0),
      links: { self: `/v1/filings/${id}`, events: `/v1/filings/${id}/events` },
    };
  }

  /**
   * From the filing_summary read model, unless `consistency=strong`, a `minRevision` the row does not
   * reach in time, or a filing the projector has not seen yet: then the workflow's live state.
   */
  @Get(':id')
  @Roles('platform', 'bureau', 'auditor')
  @ApiRoute({
    bearer: true,
    filingId: true,
    query: filingReadQuery,
    problems: {
      404: 'no such filing in the caller’s scope',
      503: 'the workflow engine is unavailable; ask again later',
    },
  })
  @ApiHeader({
    name: 'X-Min-Revision',
    required: false,
    description: 'as `minRevision` (the higher of both counts)',
    schema: { type: 'string', pattern: '^[0-9]{1,9}$' },
  })
  @ApiResponse({
    status: 200,
    description: 'the filing as of its revision (see X-Read-Source)',
    headers: filingAnswerHeaders(true),
    schema: filingStatusSchema,
  })
  @ApiResponse({ status: 304, description: 'If-None-Match names the filing’s current ETag' })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', filingIdPipe) id: string,
    @FilingReadParams() query: FilingReadQuery,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<FilingStatusView | undefined> {
    const { view, source } = await this.reads.read(actor, id, query);
    response.setHeader('X-Read-Source', source);
    if (!matchesRevision(ifNoneMatch, view.revision)) return view;
    response.setHeader('ETag', revisionETag(view.revision));
    response.status(304);
    return undefined;
  }

  @Get(':id/events')
  @Roles('auditor')
  @ApiRoute({ bearer: true, filingId: true, problems: { 404: 'the log holds no such filing' } })
  @ApiResponse({
    status: 200,
    description:
      'the filing’s full stream as stored: each event’s data in the shape of its metadata.schemaVersion (not upcast), which the hash chain covers',
    schema: {
      type: 'object',
      properties: {
        filingId: { type: 'string' },
        events: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              seq: { type: 'integer' },
              id: { type: 'string', format: 'uuid' },
              type: { type: 'string' },
              data: { type: 'object' },
              metadata: { type: 'object' },
              hash: { type: 'string' },
            },
          },
        },
      },
    },
  })
  async events(@Param('id', filingIdPipe) id: string) {
    const events = await this.filings.events(id);
    return {
      filingId: id,
      events: events.map((e) => ({
        seq: e.revision,
        id: e.id,
        type: e.type,
        data: e.data,
        metadata: e.metadata,
        hash: (e.metadata as { hash?: string }).hash,
      })),
    };
  }

  @Post(':id/platform-review')
  @ApiDecision(platformReviewBody)
  @Roles('platform')
  @HttpCode(200)
  platformReview(
    @CurrentActor() actor: Actor,
    @Param('id', filingIdPipe) id: string,
    @Headers('idempotency-key') key: string | undefined,
    @Body(new ParseBodyPipe(parsePlatformReview)) body: ReviewBody<PlatformDecision>,
  ): Promise<FilingStatusView> {
    return this.filings.decideOnce(actor, id, platformReviewUpdate, [{ actor, ...body }], key);
  }

  @Post(':id/correction')
  @ApiDecision(correctionBody)
  @Roles('platform')
  @HttpCode(200)
  async correction(
    @CurrentActor() actor: Actor,
    @Param('id', filingIdPipe) id: string,
    @Headers('idempotency-key') key: string | undefined,
    @Body(new ParseBodyPipe(parseCorrection), SubmissionPipe.forCorrection) body: { form: unknown },
  ): Promise<FilingStatusView> {
    await this.filings.assertSubjectRegistered(body.form);
    return this.filings.decideOnce(actor, id, correctionUpdate, [{ actor, form: body.form }], key);
  }

  @Post(':id/resubmission')
  @ApiDecision(reasonsOnlyBody, false)
  @Roles('platform')
  @HttpCode(200)
  resubmission(
    @CurrentActor() actor: Actor,
    @Param('id', filingIdPipe) id: string,
    @Headers('idempotency-key') key: string | undefined,
    @Body(new ParseBodyPipe(parseReasonsOnly)) body: { reasons?: string },
  ): Promise<FilingStatusView> {
    return this.filings.decideOnce(actor, id, resubmissionUpdate, [{ actor, ...body }], key);
  }

  /**
   * The 12381 code sent again, as a new code (the one before is dead), once per SMS round while its
   * 24-hour window is open; the window stays. (The process sends it once more itself at noon China
   * time the next day.)
   */
  @Post(':id/sms-resend')
  @ApiDecision(emptyBody, false)
  @Roles('platform')
  @HttpCode(200)
  smsResend(
    @CurrentActor() actor: Actor,
    @Param('id', filingIdPipe) id: string,
    @Headers('idempotency-key') key: string | undefined,
    @Body(new ParseBodyPipe(parseEmpty)) _body: Record<string, never>,
  ): Promise<FilingStatusView> {
    return this.filings.decideOnce(actor, id, smsResendUpdate, [{ actor }], key);
  }

  @Post(':id/withdrawal')
  @ApiDecision(reasonsOnlyBody, false)
  @Roles('platform')
  @HttpCode(200)
  withdrawal(
    @CurrentActor() actor: Actor,
    @Param('id', filingIdPipe) id: string,
    @Headers('idempotency-key') key: string | undefined,
    @Body(new ParseBodyPipe(parseReasonsOnly)) body: { reasons?: string },
  ): Promise<FilingStatusView> {
    return this.filings.decideOnce(actor, id, withdrawalUpdate, [{ actor, ...body }], key);
  }
}
