import { Controller, Get, Res } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { type HealthReport, HealthService, PROJECTOR_STATUS_SCHEMA } from './health.service';

const dependency = (extra: Record<string, object>) => ({
  type: 'object',
  required: ['ok'],
  properties: { ok: { type: 'boolean' }, ...extra },
});

const healthReportSchema = {
  type: 'object',
  required: ['status', 'temporal', 'eventLog', 'projector'],
  properties: {
    status: { type: 'string', enum: ['ok', 'degraded'] },
    projector: PROJECTOR_STATUS_SCHEMA,
    temporal: dependency({ connected: { type: 'boolean' }, address: { type: 'string' } }),
    eventLog: dependency({ url: { type: 'string' } }),
  },
};

@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** 200 when Temporal and the event log both answer, 503 otherwise; the body says which. */
  @Get()
  @ApiResponse({ status: 200, description: 'Temporal and the event log answer', schema: healthReportSchema })
  @ApiResponse({
    status: 503,
    description: 'one of them does not; the body says which',
    schema: healthReportSchema,
  })
  async get(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const report = await this.health.check();
    response.status(report.status === 'ok' ? 200 : 503);
    return report;
  }
}
