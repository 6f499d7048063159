import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../events/filing/actor';
import { LEGAL_TRANSITIONS } from '../../events/filing/transitions';
import { READ_MODELS } from '../tokens';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { FILING_KINDS } from '../../events/filing/filing-kind';
import {
  fieldReasonSchema,
  filingKindProperties,
  filingStatusSchema,
  pageSchema,
} from '../filings/filing.responses';
import { ApiRoute } from '../http/openapi-operation';
import { ParseBodyPipe } from '../http/parse-body.pipe';
import type { PageQuery } from '../http/query-parameters';
import { readPage } from '../http/read-page';
import { filingIdPipe } from '../http/request-keys';
import type { BureauQueueItem, Page, ReadModelQueries } from '../../events/ports/read-models.port';
import type { BureauFilingDetail } from './bureau-filing';
import { BureauFilingService } from './bureau-filing.service';
import { parseShellSubjects, shellSubjectsQuery } from './bureau.requests';
import { type ShellSubject, shellSubjectOf, shellSubjectSchema } from './shell-subjects.view';
import { type BureauQueueRequest, bureauQueueQuery, parseBureauQueue } from './bureau-queue.requests';

const bureauQueueItemSchema = {
  ...filingStatusSchema,
  required: [...(filingStatusSchema.required ?? []), 'kind', 'queuedAt', 'dueBy'],
  properties: {
    ...filingStatusSchema.properties,
    ...filingKindProperties(),
    queuedAt: { type: 'string', format: 'date-time', description: 'when the bureau review started' },
    submittedAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};

const bureauFilingSchema = {
  type: 'object',
  required: ['filingId', 'kind', 'province', 'status', 'form', 'timeline'],
  properties: {
    filingId: { type: 'string', format: 'uuid' },
    kind: { type: 'string', enum: [...FILING_KINDS] },
    target: {
      type: 'object',
      description: 'the registration a change, cancellation or new access acts on',
      required: ['subjectNumber'],
      properties: {
        subjectNumber: { type: 'string', example: '粤ICP备2026000123号' },
        serviceNumber: {
          type: 'string',
          description: 'absent for a subject cancellation',
          example: '粤ICP备2026000123号-1A',
        },
        alters: {
          type: 'object',
          description: 'a change: whether it alters the subject, the service, or both',
          properties: { subject: { type: 'boolean' }, service: { type: 'boolean' } },
        },
        baseFilingId: { type: 'string', description: 'the filing that made the registered version' },
      },
    },
    province: { type: 'string', description: 'GB/T 2260 code of the reviewing bureau’s province' },
    status: { type: 'string', enum: Object.keys(LEGAL_TRANSITIONS) },
    form: {
      type: 'object',
      description:
        'the registration form as last submitted or corrected, personal data masked: ID numbers, mobiles and other phones to their last 4 characters, e-mails to `****@domain`, a person’s name to its first character, an individual operator’s address whole',
    },
    changes: {
      type: 'array',
      description:
        'a change or a new access: every field that differs from the registered version (the form of the filing `target.baseFilingId`), in form order, both values masked as `form` is; a field absent on one side has no value on that side. Absent when the registered version has no filing in the log',
      items: {
        type: 'object',
        required: ['path', 'part'],
        properties: {
          path: { type: 'string', example: 'app.platforms.0.packageName' },
          before: { description: 'the registered value, masked' },
          after: { description: 'the proposed value, masked' },
          part: { type: 'string', enum: ['subject', 'service'] },
        },
      },
    },
    timeline: {
      type: 'array',
      items: {
        type: 'object',
        required: ['seq', 'type', 'occurredAt'],
        properties: {
          seq: { type: 'integer' },
          type: { type: 'string', description: 'the event type, e.g. BureauReviewStarted' },
          occurredAt: { type: 'string', format: 'date-time' },
          actorRole: { type: 'string', description: 'the role of whoever recorded the event' },
          reasons: { type: 'string', description: 'the explanation of a rejection or return' },
          fieldReasons: {
            type: 'array',
            description: 'per-field reasons of a rejection or return',
            items: fieldReasonSchema,
          },
        },
      },
    },
  },
};

@ApiTags('bureau')
@Controller('v1/bureau')
@UseGuards(AuthGuard)
export class BureauController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModelQueries,
    private readonly filings: BureauFilingService,
  ) {}

  /** The bureau's province's filings awaiting its review (of one kind, if asked): overdue first, then by due date. */
  @Get('queue')
  @Roles('bureau')
  @ApiRoute({ bearer: true, query: bureauQueueQuery, problems: {} })
  @ApiResponse({
    status: 200,
    description: 'a page of the review queue',
    schema: pageSchema(bureauQueueItemSchema),
  })
  queue(
    @CurrentActor() actor: Actor,
    @Query(new ParseBodyPipe(parseBureauQueue)) query: BureauQueueRequest,
  ): Promise<Page<BureauQueueItem>> {
    return readPage(() => this.readModels.bureauQueue({ province: actor.province ?? '', ...query }));
  }

  /** The bureau's province's shell subjects (left without services, not cancelled), by subject number. */
  @Get('shell-subjects')
  @Roles('bureau')
  @ApiRoute({ bearer: true, query: shellSubjectsQuery, problems: {} })
  @ApiResponse({
    status: 200,
    description: 'a page of the province’s subjects left without services (空壳主体), by subject number',
    schema: pageSchema(shellSubjectSchema),
  })
  async shellSubjects(
    @CurrentActor() actor: Actor,
    @Query(new ParseBodyPipe(parseShellSubjects)) query: PageQuery,
  ): Promise<Page<ShellSubject>> {
    const page = await readPage(() =>
      this.readModels.shellSubjects({ province: actor.province ?? '', ...query }),
    );
    return {
      items: page.items.map(shellSubjectOf),
      ...(page.nextCursor !== undefined && { nextCursor: page.nextCursor }),
    };
  }

  /** A filing of the bureau's province from the event log: masked form and timeline, for its review. */
  @Get('filings/:id')
  @Roles('bureau')
  @ApiRoute({ bearer: true, filingId: true, problems: { 404: 'no such filing in the bureau’s province' } })
  @ApiResponse({
    status: 200,
    description:
      'the filing’s status, its form with personal data masked, and its timeline (from the event log)',
    schema: bureauFilingSchema,
  })
  filing(@CurrentActor() actor: Actor, @Param('id', filingIdPipe) id: string): Promise<BureauFilingDetail> {
    return this.filings.detail(actor, id);
  }
}
