import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../events/filing/actor';
import { LEGAL_TRANSITIONS } from '../../events/filing/transitions';
import { READ_MODELS } from '../tokens';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { filingStatusSchema, pageSchema, fieldReasonSchema } from '../filings/filing.responses';
import { ApiRoute } from '../http/openapi-operation';
import { type PageQuery, pageOnlyQuery, parsePageOnly } from '../http/query-parameters';
import { ParseBodyPipe } from '../http/parse-body.pipe';
import { readPage } from '../http/read-page';
import { filingIdPipe } from '../http/request-keys';
import type { BureauQueueItem, Page, ReadModelQueries } from '../../events/ports/read-models.port';
import type { BureauFilingDetail } from './bureau-filing';
import { BureauFilingService } from './bureau-filing.service';

const bureauQueueItemSchema = {
  ...filingStatusSchema,
  required: [...(filingStatusSchema.required ?? []), 'queuedAt', 'dueBy'],
  properties: {
    ...filingStatusSchema.properties,
    queuedAt: { type: 'string', format: 'date-time', description: 'when the bureau review started' },
    submittedAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
};

const bureauFilingSchema = {
  type: 'object',
  required: ['filingId', 'province', 'status', 'form', 'timeline'],
  properties: {
    filingId: { type: 'string', format: 'uuid' },
    province: { type: 'string', description: 'GB/T 2260 code of the reviewing bureau’s province' },
    status: { type: 'string', enum: Object.keys(LEGAL_TRANSITIONS) },
    form: {
      type: 'object',
      description:
        'the registration form as last submitted or corrected, personal data masked: ID numbers, mobiles and other phones to their last 4 characters, e-mails to `****@domain`, a person’s name to its first character, an individual operator’s address whole',
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

  /** The bureau's province's filings awaiting its review: overdue first, then by due date. */
  @Get('queue')
  @Roles('bureau')
  @ApiRoute({ bearer: true, query: pageOnlyQuery, problems: {} })
  @ApiResponse({
    status: 200,
    description: 'a page of the review queue',
    schema: pageSchema(bureauQueueItemSchema),
  })
  queue(
    @CurrentActor() actor: Actor,
    @Query(new ParseBodyPipe(parsePageOnly)) query: PageQuery,
  ): Promise<Page<BureauQueueItem>> {
    return readPage(() => this.readModels.bureauQueue({ province: actor.province ?? '', ...query }));
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
