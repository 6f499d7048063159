import { Body, Controller, Get, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { ComplianceParty } from '../../events/compliance/compliance-party';
import type { InventoryLine, InventoryReport } from '../../events/compliance/inventory/inventory';
import type { Actor } from '../../events/filing/actor';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { ApiRoute } from '../http/openapi-operation';
import { ParseBodyPipe } from '../http/parse-body.pipe';
import { requestIdOf } from '../http/request-id';
import { inventoryReportBody, MAX_REPORTED_ERRORS, parseInventoryReport } from './inventory.requests';
import { InventoryService } from './inventory.service';
import {
  inventoryListQuery,
  inventoryReportQuery,
  parseInventoryListQuery,
  parseInventoryReportQuery,
} from './sweep.requests';

const reportSchema = {
  type: 'object',
  required: ['party', 'reportedOn', 'lines', 'digest', 'counts'],
  properties: {
    party: { type: 'object', properties: { role: { type: 'string' }, id: { type: 'string' } } },
    reportedOn: { type: 'string', format: 'date' },
    lines: { type: 'integer' },
    digest: { type: 'string', description: 'SHA-256 of the canonical lines' },
    counts: { type: 'object', description: 'lines by verification status when reported' },
  },
};

/** Thin: validate (pipes), authorise (guard), hand over to the service. */
@ApiTags('compliance')
@Controller('v1/compliance/inventories')
@UseGuards(AuthGuard)
export class InventoryController {
  constructor(private readonly inventories: InventoryService) {}

  @Post()
  @Roles('isp', 'store', 'device_maker')
  @ApiRoute({
    bearer: true,
    query: inventoryReportQuery,
    body: inventoryReportBody,
    problems: {
      400: `a line is malformed (errors[] names lines[i].field and the rule, at most ${MAX_REPORTED_ERRORS}), or reportedOn is in the future; nothing was stored`,
    },
  })
  @ApiResponse({
    status: 201,
    description: 'the inventory is checked, recorded and stored',
    schema: reportSchema,
  })
  @ApiResponse({
    status: 200,
    description: 'the same lines were already reported for that date',
    schema: reportSchema,
  })
  async report(
    @CurrentActor() actor: Actor,
    @Query(new ParseBodyPipe(parseInventoryReportQuery)) query: { reportedOn?: string },
    @Body(new ParseBodyPipe(parseInventoryReport)) lines: InventoryLine[],
    @Res({ passthrough: true }) response: Response,
  ): Promise<InventoryReport> {
    const causationId = requestIdOf(response) ?? 'inventory-report';
    const { report, created } = await this.inventories.report(actor, query.reportedOn, lines, causationId);
    response.status(created ? 201 : 200);
    return report;
  }

  @Get()
  @Roles('isp', 'store', 'device_maker', 'bureau', 'auditor', 'admin')
  @ApiRoute({ bearer: true, query: inventoryListQuery, problems: { 403: 'a party asked for another party' } })
  @ApiResponse({
    status: 200,
    description: 'reports, newest first (a party: its own)',
    schema: { type: 'object', properties: { reports: { type: 'array', items: reportSchema } } },
  })
  async list(
    @CurrentActor() actor: Actor,
    @Query(new ParseBodyPipe(parseInventoryListQuery))
    query: { party?: ComplianceParty; reportedOn?: string },
  ): Promise<{ reports: InventoryReport[] }> {
    return { reports: await this.inventories.list(actor, query) };
  }
}
