import { ApiIdParam, ApiServiceNumberParam, campaignIdPipe } from './compliance.params';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { CAMPAIGN_DECISIONS } from '../../events/compliance/campaign/campaign-events';
import type { CampaignItemView, CampaignView } from '../../events/compliance/campaign/campaign-view';
import type { Actor } from '../../events/filing/actor';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { ApiRoute } from '../http/openapi-operation';
import { ParseBodyPipe } from '../http/parse-body.pipe';
import { serviceNumberPipe } from '../http/registration-number-params';
import { requireIdempotencyKey } from '../http/request-keys';
import { type CampaignSubmitted, CampaignService } from './campaign.service';
import {
  type CampaignItemAnswerRequest,
  type CampaignItemDecisionRequest,
  type CampaignSubmission,
  MAX_SAMPLE_SIZE,
  parseCampaignListQuery,
  parseCampaignSubmission,
  parseItemAnswer,
  parseItemDecision,
  parseItemListQuery,
} from './campaign.requests';

const submissionSchema = {
  type: 'object',
  required: ['name', 'selection'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', maxLength: 200 },
    selection: {
      type: 'object',
      required: ['sampleSize'],
      additionalProperties: false,
      properties: {
        ispName: { type: 'string' },
        serviceType: { type: 'string', enum: ['website', 'app', 'mini_program', 'quick_app'] },
        sampleSize: { type: 'integer', minimum: 1, maximum: MAX_SAMPLE_SIZE },
      },
    },
    answerWithinWorkingDays: { type: 'integer', minimum: 1, maximum: 30, default: 10 },
  },
};

const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength, pattern: '\\S' });

/** As parseItemAnswer reads it: a change filed names its filing. */
const answerSchema = {
  oneOf: [
    {
      type: 'object',
      required: ['answer'],
      additionalProperties: false,
      properties: { answer: { type: 'string', enum: ['confirmed', 'refused'] }, note: text(2000) },
    },
    {
      type: 'object',
      required: ['answer', 'filingId'],
      additionalProperties: false,
      properties: {
        answer: { type: 'string', enum: ['change_filed'] },
        filingId: text(64),
        note: text(2000),
      },
    },
  ],
};

const decisionSchema = {
  type: 'object',
  required: ['decision', 'note'],
  additionalProperties: false,
  properties: { decision: { type: 'string', enum: [...CAMPAIGN_DECISIONS] }, note: text(2000) },
};

/** Thin: parse (pipes), authorise (guard and roles), hand over to CampaignService. */
@ApiTags('compliance')
@Controller('v1/compliance')
@UseGuards(AuthGuard)
export class CampaignController {
  constructor(private readonly campaigns: CampaignService) {}

  @Post('campaigns')
  @Roles('bureau')
  @HttpCode(201)
  @ApiRoute({
    bearer: true,
    body: submissionSchema,
    idempotencyKey: 'required',
    problems: {
      400: 'a field is invalid; errors[] names it',
      422: 'no active service of the bureau’s province matches the selection (errors[].path `selection`)',
    },
  })
  @ApiResponse({
    status: 201,
    description: 'the campaign opened: its id, how many services it checks, the last day to answer',
    schema: {
      type: 'object',
      required: ['campaignId', 'services', 'dueOn'],
      properties: {
        campaignId: { type: 'string' },
        services: { type: 'integer' },
        dueOn: { type: 'string', format: 'date' },
      },
    },
  })
  submit(
    @CurrentActor() actor: Actor,
    @Headers('idempotency-key') key: string | undefined,
    @Body(new ParseBodyPipe(parseCampaignSubmission)) body: CampaignSubmission,
  ): Promise<CampaignSubmitted> {
    return this.campaigns.submit(actor, requireIdempotencyKey(key), body);
  }

  @Get('campaigns')
  @Roles('bureau', 'auditor', 'admin', 'platform', 'isp')
  @ApiRoute({ bearer: true, problems: { 400: 'status is not open or closed' } })
  @ApiResponse({
    status: 200,
    description: '`{campaigns}`: the campaigns the caller may see',
    schema: { type: 'object' },
  })
  list(
    @CurrentActor() actor: Actor,
    @Query(new ParseBodyPipe(parseCampaignListQuery)) query: { status?: 'open' | 'closed' },
  ): Promise<{ campaigns: CampaignView[] }> {
    return this.campaigns.list(actor, query.status);
  }

  @Get('campaign-items/pending')
  @Roles('platform', 'isp')
  @ApiRoute({ bearer: true, problems: {} })
  @ApiResponse({
    status: 200,
    description: 'the caller’s items awaiting an answer',
    schema: { type: 'object' },
  })
  pending(@CurrentActor() actor: Actor) {
    return this.campaigns.pending(actor);
  }

  @Get('campaigns/:campaignId')
  @Roles('bureau', 'auditor', 'admin', 'platform', 'isp')
  @ApiRoute({
    bearer: true,
    problems: { 400: 'campaignId is not an id', 404: 'no such campaign visible to the caller' },
  })
  @ApiIdParam('campaignId')
  @ApiResponse({ status: 200, description: 'the campaign and its progress', schema: { type: 'object' } })
  get(
    @CurrentActor() actor: Actor,
    @Param('campaignId', campaignIdPipe) campaignId: string,
  ): Promise<CampaignView> {
    return this.campaigns.get(actor, campaignId);
  }

  @Get('campaigns/:campaignId/items')
  @Roles('bureau', 'auditor', 'admin', 'platform', 'isp')
  @ApiRoute({
    bearer: true,
    problems: { 400: 'campaignId is not an id, or state is not an item state', 404: 'no such campaign' },
  })
  @ApiIdParam('campaignId')
  @ApiResponse({ status: 200, description: '`{items}`', schema: { type: 'object' } })
  items(
    @CurrentActor() actor: Actor,
    @Param('campaignId', campaignIdPipe) campaignId: string,
    @Query(new ParseBodyPipe(parseItemListQuery)) query: { state?: string },
  ): Promise<{ items: CampaignItemView[] }> {
    return this.campaigns.items(actor, campaignId, query.state);
  }

  @Post('campaigns/:campaignId/items/:serviceNumber/answer')
  @Roles('platform', 'isp')
  @HttpCode(200)
  @ApiRoute({
    bearer: true,
    body: answerSchema,
    problems: {
      400: 'answer, filingId (required for change_filed) or note is invalid',
      404: 'no such campaign or item',
      409: 'answered already, escalated, or past the due date',
      422: 'filingId names no change filing of this service',
    },
  })
  @ApiIdParam('campaignId')
  @ApiServiceNumberParam()
  @ApiResponse({ status: 200, description: 'the item, answered', schema: { type: 'object' } })
  answer(
    @CurrentActor() actor: Actor,
    @Param('campaignId', campaignIdPipe) campaignId: string,
    @Param('serviceNumber', serviceNumberPipe) serviceNumber: string,
    @Body(new ParseBodyPipe(parseItemAnswer)) body: CampaignItemAnswerRequest,
  ): Promise<CampaignItemView> {
    return this.campaigns.answer(actor, campaignId, serviceNumber, body);
  }

  @Post('campaigns/:campaignId/items/:serviceNumber/decision')
  @Roles('bureau')
  @HttpCode(200)
  @ApiRoute({
    bearer: true,
    body: decisionSchema,
    problems: {
      400: 'decision or note is invalid',
      404: 'no such campaign or item in the bureau’s province',
      409: 'the item is not escalated',
    },
  })
  @ApiIdParam('campaignId')
  @ApiServiceNumberParam()
  @ApiResponse({ status: 200, description: 'the item, decided', schema: { type: 'object' } })
  decide(
    @CurrentActor() actor: Actor,
    @Param('campaignId', campaignIdPipe) campaignId: string,
    @Param('serviceNumber', serviceNumberPipe) serviceNumber: string,
    @Body(new ParseBodyPipe(parseItemDecision)) body: CampaignItemDecisionRequest,
  ): Promise<CampaignItemView> {
    return this.campaigns.decide(actor, campaignId, serviceNumber, body);
  }
}
