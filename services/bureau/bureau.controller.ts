import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../events/filing/actor';
import { READ_MODELS } from '../../infra/tokens';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { ApiAuthenticated, filingStatusSchema, pageSchema } from '../filings/filings.openapi';
import { type PageQuery, parsePageOnly } from '../filings/list.requests';
import { ParseBodyPipe } from '../filings/parse-body.pipe';
import { readPage } from '../filings/read-page';
import type { BureauQueueItem, Page, ReadModelStore } from '../projections/read-model.store';

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

@ApiTags('bureau')
@Controller('v1/bureau')
@UseGuards(AuthGuard)
export class BureauController {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelStore) {}

  /** The bureau's province's filings awaiting its review: overdue first, then by due date. */
  @Get('queue')
  @Roles('bureau')
  @ApiAuthenticated()
  @ApiResponse({
    status: 200,
    description: 'a page of the review queue',
    schema: pageSchema(bureauQueueItemSchema),
  })
  queue(
    @CurrentActor() actor: Actor,
    @Query(new ParseBodyPipe(parsePageOnly)) query: PageQuery,
  ): Page<BureauQueueItem> {
    return readPage(() => this.readModels.bureauQueue({ province: actor.province ?? '', ...query }));
  }
}
