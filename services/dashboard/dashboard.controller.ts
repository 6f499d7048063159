import { Controller, Get, Inject, Optional, Query, UseGuards } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../events/filing/actor';
import { EVENT_LOG, READ_MODELS } from '../tokens';
import type { EventLog } from '../../events/ports/event-log.port';
import { type OpenCampaignsSection, openCampaignsSection } from '../compliance/campaign.dashboard';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { ApiRoute } from '../http/openapi-operation';
import { ParseBodyPipe } from '../http/parse-body.pipe';
import { ProblemException, problemType } from '../http/problem-details';
import type { ReadModelQueries, SlaDashboard } from '../../events/ports/read-models.port';
import { slaDashboardSchema } from './dashboard.responses';
import { type SlaDashboardRequest, parseSlaDashboardQuery, slaDashboardQuery } from './dashboard.requests';

@ApiTags('dashboard')
@Controller('v1/dashboard')
@UseGuards(AuthGuard)
export class DashboardController {
  constructor(
    @Inject(READ_MODELS) private readonly readModels: ReadModelQueries,
    @Optional() @Inject(EVENT_LOG) private readonly eventLog?: EventLog,
  ) {}

  /**
   * Filings by stage, province and kind, overdue counts, median days per stage (and per kind).
   * Bureaus see their province.
   */
  @Get('sla')
  @Roles('bureau', 'auditor')
  @ApiRoute({
    bearer: true,
    query: slaDashboardQuery,
    problems: { 403: 'the caller’s role may not call this route, or a bureau asked for another province' },
  })
  @ApiResponse({ status: 200, description: 'the SLA picture', schema: slaDashboardSchema })
  async sla(
    @CurrentActor() actor: Actor,
    @Query(new ParseBodyPipe(parseSlaDashboardQuery)) query: SlaDashboardRequest,
  ): Promise<SlaDashboard & OpenCampaignsSection> {
    const figures = await this.figures(actor, query);
    // Accuracy campaigns open in the province (all of them for an auditor), with their progress.
    const province = actor.role === 'bureau' ? actor.province : query.province;
    return { ...figures, ...(await openCampaignsSection(this.eventLog, province)) };
  }

  private figures(actor: Actor, query: SlaDashboardRequest): Promise<SlaDashboard> {
    if (actor.role !== 'bureau') return this.readModels.slaDashboard(query);
    if (query.province !== undefined && query.province !== actor.province) {
      throw new ProblemException({
        type: problemType('out-of-scope'),
        title: 'Forbidden',
        status: 403,
        detail: 'a bureau sees its own province’s figures only',
      });
    }
    return this.readModels.slaDashboard({ ...query, province: actor.province ?? '' });
  }
}
