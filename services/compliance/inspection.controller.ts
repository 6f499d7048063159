import { ApiIdParam } from './compliance.params';
import {
  Body,
  Controller,
  createParamDecorator,
  type ExecutionContext,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { ComplianceParty } from '../../events/compliance/compliance-party';
import type { FindingDecision } from '../../events/compliance/inspection/inspection-events';
import type { FindingView, InspectionView } from '../../events/compliance/inspection/inspection-view';
import type { Actor } from '../../events/filing/actor';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { ApiRoute } from '../http/openapi-operation';
import { ParseBodyPipe } from '../http/parse-body.pipe';
import { requestIdOf } from '../http/request-id';
import { requireIdempotencyKey } from '../http/request-keys';
import {
  FINDING_ID,
  type FindingAnswerRequest,
  findingAnswerBody,
  findingDecisionBody,
  INSPECTION_ID,
  inspectionListQuery,
  type OpenInspectionRequest,
  openInspectionBody,
  parseFindingAnswer,
  parseFindingDecision,
  parseInspectionListQuery,
  parseOpenInspection,
  pathIdOrRefuse,
} from './inspection.requests';
import { InspectionService } from './inspection.service';

/** The request's id (X-Request-Id), recorded as the causation of what it appends. */
const RequestId = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string =>
    requestIdOf(context.switchToHttp().getResponse<Response>()) ?? 'unknown-request',
);

const findingSchema = {
  type: 'object',
  required: ['findingId', 'kind', 'value', 'problem', 'state'],
  properties: {
    findingId: { type: 'string' },
    kind: { type: 'string' },
    value: { type: 'string' },
    hostApp: { type: 'string' },
    problem: {
      type: 'string',
      enum: ['unregistered', 'mismatched', 'cancelled_but_served', 'withdrawn_but_served'],
    },
    serviceNumber: { type: 'string' },
    state: { type: 'string', enum: ['open', 'answered', 'escalated', 'decided'] },
    answer: { type: 'object' },
    decision: { type: 'object' },
  },
};
const inspectionSchema = {
  type: 'object',
  required: ['inspectionId', 'province', 'party', 'status', 'openedOn', 'dueOn', 'findings'],
  properties: {
    inspectionId: { type: 'string' },
    province: { type: 'string' },
    party: { type: 'object', properties: { role: { type: 'string' }, id: { type: 'string' } } },
    status: { type: 'string', enum: ['open', 'escalated', 'closed'] },
    openedOn: { type: 'string', format: 'date' },
    dueOn: { type: 'string', format: 'date', description: 'the last working day to answer (China date)' },
    findings: { type: 'array', items: findingSchema },
  },
};

const READERS = ['bureau', 'isp', 'store', 'device_maker', 'auditor', 'admin'] as const;
const PARTIES = ['isp', 'store', 'device_maker'] as const;

/** Thin: validate (pipes), authorise (guard: roles; the service: province and party), hand over. */
const ApiFindingParam = () =>
  ApiParam({
    name: 'findingId',
    description: 'the finding',
    schema: { type: 'string', pattern: FINDING_ID.source },
  });

@ApiTags('compliance')
@Controller('v1/compliance/inspections')
@UseGuards(AuthGuard)
export class InspectionController {
  constructor(private readonly inspections: InspectionService) {}

  @Post()
  @Roles('bureau')
  @HttpCode(201)
  @ApiRoute({
    bearer: true,
    body: openInspectionBody,
    idempotencyKey: 'required',
    problems: {
      422: 'the party has never reported an inventory (errors[] names `party`); nothing was started',
      503: 'the workflow engine is unavailable; send again with the same Idempotency-Key',
    },
  })
  @ApiResponse({
    status: 201,
    description: 'opened, with its findings and due date',
    schema: inspectionSchema,
  })
  open(
    @CurrentActor() actor: Actor,
    @Headers('idempotency-key') key: string | undefined,
    @RequestId() requestId: string,
    @Body(new ParseBodyPipe(parseOpenInspection)) body: OpenInspectionRequest,
  ): Promise<InspectionView> {
    return this.inspections.open(actor, requireIdempotencyKey(key), requestId, body);
  }

  @Get()
  @Roles(...READERS)
  @ApiRoute({ bearer: true, query: inspectionListQuery, problems: {} })
  @ApiResponse({
    status: 200,
    schema: { type: 'object', properties: { items: { type: 'array', items: inspectionSchema } } },
  })
  list(
    @CurrentActor() actor: Actor,
    @Query(new ParseBodyPipe(parseInspectionListQuery))
    query: { status?: InspectionView['status']; party?: ComplianceParty },
  ): Promise<{ items: InspectionView[] }> {
    return this.inspections.list(actor, query);
  }

  @Get(':inspectionId')
  @Roles(...READERS)
  @ApiRoute({
    bearer: true,
    problems: { 400: 'inspectionId is not an id', 404: 'no such inspection in the caller’s scope' },
  })
  @ApiIdParam('inspectionId')
  @ApiResponse({ status: 200, schema: inspectionSchema })
  get(@CurrentActor() actor: Actor, @Param('inspectionId') inspectionId: string): Promise<InspectionView> {
    return this.inspections.get(actor, pathIdOrRefuse(inspectionId, INSPECTION_ID, 'inspectionId'));
  }

  @Post(':inspectionId/findings/:findingId/answer')
  @Roles(...PARTIES)
  @HttpCode(200)
  @ApiRoute({
    bearer: true,
    body: findingAnswerBody,
    problems: {
      404: 'no such inspection of this party, or no such finding',
      409: 'the finding is already answered, or escalated at its due date; errors[] names the rule',
      422: '`registered_since` with a service number that is not a registered service carrying the identifier',
    },
  })
  @ApiResponse({ status: 200, description: 'the finding, answered', schema: findingSchema })
  @ApiIdParam('inspectionId')
  @ApiFindingParam()
  answer(
    @CurrentActor() actor: Actor,
    @Param('inspectionId') inspectionId: string,
    @Param('findingId') findingId: string,
    @RequestId() requestId: string,
    @Body(new ParseBodyPipe(parseFindingAnswer)) body: FindingAnswerRequest,
  ): Promise<FindingView> {
    return this.inspections.answer(
      actor,
      pathIdOrRefuse(inspectionId, INSPECTION_ID, 'inspectionId'),
      pathIdOrRefuse(findingId, FINDING_ID, 'findingId'),
      requestId,
      body,
    );
  }

  @Post(':inspectionId/findings/:findingId/decision')
  @Roles('bureau')
  @HttpCode(200)
  @ApiRoute({
    bearer: true,
    body: findingDecisionBody,
    problems: {
      404: 'no such inspection in the bureau’s province, or no such finding',
      409: 'the finding is neither escalated nor disputed, or already decided otherwise',
    },
  })
  @ApiResponse({ status: 200, description: 'the finding, decided', schema: findingSchema })
  @ApiIdParam('inspectionId')
  @ApiFindingParam()
  decide(
    @CurrentActor() actor: Actor,
    @Param('inspectionId') inspectionId: string,
    @Param('findingId') findingId: string,
    @RequestId() requestId: string,
    @Body(new ParseBodyPipe(parseFindingDecision)) body: { decision: FindingDecision; note: string },
  ): Promise<FindingView> {
    return this.inspections.decide(
      actor,
      pathIdOrRefuse(inspectionId, INSPECTION_ID, 'inspectionId'),
      pathIdOrRefuse(findingId, FINDING_ID, 'findingId'),
      requestId,
      body,
    );
  }
}
