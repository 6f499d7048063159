import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { type HealthReport, HealthService } from './health.service';

@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** 200 when Temporal and the event log both answer, 503 otherwise; the body says which. */
  @Get()
  async get(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const report = await this.health.check();
    response.status(report.status === 'ok' ? 200 : 503);
    return report;
  }
}
