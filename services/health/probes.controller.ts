import { Controller, Get, HttpStatus } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblem } from '../http/openapi-operation';
import { ProblemException, problemType } from '../http/problem-details';
import { HealthService, PROJECTOR_STATUS_SCHEMA, type Readiness } from './health.service';

const up = { type: 'string', enum: ['up', 'down'] };
const readinessSchema = {
  type: 'object',
  required: ['status', 'checks', 'projector'],
  properties: {
    status: { type: 'string', enum: ['ready'] },
    projector: PROJECTOR_STATUS_SCHEMA,
    checks: {
      type: 'object',
      required: ['eventLog', 'readModels', 'temporal'],
      properties: { eventLog: up, readModels: up, temporal: up },
    },
  },
};

/**
 * Probes for load balancers and orchestrators: `/livez` says the process runs (it checks nothing, so
 * an outage elsewhere never gets a healthy process restarted); `/readyz` says it can serve its read
 * routes. `/health` stays the full report for people.
 */
@ApiTags('health')
@Controller()
export class ProbesController {
  constructor(private readonly health: HealthService) {}

  @Get('livez')
  @ApiResponse({
    status: 200,
    description: 'the process runs; no dependency is checked',
    schema: {
      type: 'object',
      required: ['status'],
      properties: { status: { type: 'string', enum: ['alive'] } },
    },
  })
  livez(): { status: 'alive' } {
    return { status: 'alive' };
  }

  @Get('readyz')
  @ApiResponse({
    status: 200,
    description:
      'the event log and the read models answer, so the read routes serve; Temporal is reported beside them (down: only the routes that start or change filings answer 503)',
    schema: readinessSchema,
  })
  @ApiProblem(503, 'the event log or the read models do not answer; checks says which')
  async readyz(): Promise<Readiness> {
    const readiness = await this.health.readiness();
    if (readiness.status === 'ready') return readiness;
    throw new ProblemException({
      type: problemType('not-ready'),
      title: 'Service Unavailable',
      status: HttpStatus.SERVICE_UNAVAILABLE,
      detail: 'the event log or the read models do not answer',
      checks: readiness.checks,
    });
  }
}
