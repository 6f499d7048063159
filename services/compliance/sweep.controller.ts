import { ApiAsOfParam } from './compliance.params';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { ComplianceParty } from '../../events/compliance/compliance-party';
import type { SweepItem, SweepSummary } from '../../events/compliance/inventory/sweep';
import type { Actor } from '../../events/filing/actor';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { ApiRoute } from '../http/openapi-operation';
import { ParseBodyPipe } from '../http/parse-body.pipe';
import { ValidationProblem } from '../http/problem-details';
import { dateField } from './inventory.requests';
import { parseSweepItemsQuery, parseSweepRequest, sweepItemsQuery, sweepRequestBody } from './sweep.requests';
import { sweepItemsCsv, SweepService } from './sweep.service';

/** `{asOf}` in a path: a real date, or 400 naming it. */
function asOfOf(text: string): string {
  const errors: Parameters<ReturnType<typeof dateField>['read']>[2] = [];
  const asOf = dateField().read(text, 'asOf', errors);
  if (asOf === undefined) throw new ValidationProblem(errors);
  return asOf;
}

const summarySchema = {
  type: 'object',
  required: ['sweepId', 'asOf', 'counts', 'byProvince', 'byParty'],
  properties: {
    sweepId: { type: 'string' },
    asOf: { type: 'string', format: 'date' },
    counts: { type: 'object', properties: { lines: { type: 'integer' }, overdue: { type: 'integer' } } },
    byProvince: { type: 'array', items: { type: 'object' } },
    byParty: { type: 'array', items: { type: 'object' } },
    digest: { type: 'string' },
  },
};

/** Thin: validate (pipes), authorise (guard), hand over to the service. */
@ApiTags('compliance')
@Controller('v1/compliance/sweeps')
@UseGuards(AuthGuard)
export class SweepController {
  constructor(private readonly sweeps: SweepService) {}

  @Post()
  @HttpCode(201)
  @Roles('bureau', 'admin')
  @ApiRoute({ bearer: true, body: sweepRequestBody, problems: { 503: 'the workflow engine is unavailable' } })
  @ApiResponse({
    status: 201,
    description: 'the sweep ran (deadlineSweepWorkflow) and is stored',
    schema: summarySchema,
  })
  run(
    @CurrentActor() actor: Actor,
    @Body(new ParseBodyPipe(parseSweepRequest)) body: { asOf: string },
  ): Promise<SweepSummary> {
    return this.sweeps.run(actor, body.asOf);
  }

  @Get(':asOf')
  @Roles('bureau', 'auditor', 'admin')
  @ApiRoute({ bearer: true, problems: { 400: 'asOf is not a real date', 404: 'no sweep as of that date' } })
  @ApiAsOfParam()
  @ApiResponse({ status: 200, description: 'the sweep’s counts', schema: summarySchema })
  get(@Param('asOf') asOf: string): Promise<SweepSummary> {
    return this.sweeps.get(asOfOf(asOf));
  }

  @Get(':asOf/items')
  @Roles('bureau', 'auditor', 'admin')
  @ApiRoute({
    bearer: true,
    query: sweepItemsQuery,
    problems: {
      400: 'asOf is not a real date, or a parameter is invalid',
      403: 'a bureau asked for another province',
      404: 'no sweep as of that date',
    },
  })
  @ApiAsOfParam()
  @ApiResponse({
    status: 200,
    description: 'JSON `{items}`, or CSV with Accept: text/csv or ?format=csv',
    content: {
      'application/json': {
        schema: {
          type: 'object',
          required: ['items'],
          properties: { items: { type: 'array', items: { type: 'object' } } },
        },
      },
      'text/csv': { schema: { type: 'string' } },
    },
  })
  async items(
    @CurrentActor() actor: Actor,
    @Param('asOf') asOf: string,
    @Query(new ParseBodyPipe(parseSweepItemsQuery))
    query: { province?: string; party?: ComplianceParty; format?: 'json' | 'csv' },
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<{ items: SweepItem[] } | string> {
    const items = await this.sweeps.items(actor, asOfOf(asOf), query);
    const csv = query.format === 'csv' || (query.format === undefined && /\btext\/csv\b/.test(accept ?? ''));
    if (!csv) return { items };
    response.setHeader('content-type', 'text/csv; charset=utf-8');
    return sweepItemsCsv(items);
  }
}
