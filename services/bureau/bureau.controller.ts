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
import type { FilingSummaryRow } from '../projections/filing-summary.projection';
import type { Page, ReadModelStore } from '../projections/read-model.store';

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
    schema: pageSchema(filingStatusSchema),
  })
  queue(
    @CurrentActor() actor: Actor,
    @Query(new ParseBodyPipe(parsePageOnly)) query: PageQuery,
  ): Page<FilingSummaryRow> {
    return readPage(() => this.readModels.bureauQueue({ province: actor.province ?? '', ...query }));
  }
}
