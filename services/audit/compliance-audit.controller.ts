import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import { ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { EventLog } from '../../events/ports/event-log.port';
import {
  COMPLIANCE_STREAM_KINDS,
  type ComplianceStreamKind,
} from '../../events/compliance/compliance-streams';
import { AuthGuard } from '../auth/auth.guard';
import { Roles } from '../auth/roles.decorator';
import { ApiRoute } from '../http/openapi-operation';
import { ParseBodyPipe } from '../http/parse-body.pipe';
import { genericProblem, ProblemException } from '../http/problem-details';
import { EVENT_LOG } from '../tokens';
import { auditReportQuery, parseAuditReportQuery } from './audit.requests';
import {
  type ComplianceAuditReport,
  type ComplianceStreamToAudit,
  auditComplianceStreamById,
  listComplianceStreams,
} from './compliance-audit';
import {
  complianceStreamIdPipe,
  complianceStreamsQuery,
  parseComplianceStreamsQuery,
} from './compliance-audit.requests';
import { complianceAuditReportSchema } from './compliance-audit.responses';

export const NO_SUCH_COMPLIANCE_STREAM = 'the event log holds no such compliance stream';

/** Auditors list and replay the compliance streams: inventories, sweeps, inspections, campaigns. Read-only. */
@ApiTags('audit')
@Controller('v1/audit/compliance')
@UseGuards(AuthGuard)
export class ComplianceAuditController {
  constructor(@Inject(EVENT_LOG) private readonly eventLog: EventLog) {}

  @Get('streams')
  @Roles('auditor')
  @ApiRoute({ bearer: true, query: complianceStreamsQuery, problems: {} })
  @ApiResponse({
    status: 200,
    description:
      'every compliance stream in the log (of one kind with ?kind=), in the order of its first event',
    schema: {
      type: 'object',
      properties: {
        items: {
          type: 'array',
          items: {
            type: 'object',
            required: ['streamId', 'kind'],
            properties: {
              streamId: { type: 'string' },
              kind: { type: 'string', enum: [...COMPLIANCE_STREAM_KINDS] },
            },
          },
        },
      },
    },
  })
  async streams(
    @Query(new ParseBodyPipe(parseComplianceStreamsQuery)) query: { kind?: ComplianceStreamKind },
  ): Promise<{ items: ComplianceStreamToAudit[] }> {
    return { items: await listComplianceStreams(this.eventLog, query.kind) };
  }

  @Get('streams/:streamId')
  @Roles('auditor')
  @ApiRoute({
    bearer: true,
    query: auditReportQuery,
    problems: { 400: 'streamId names no compliance stream', 404: NO_SUCH_COMPLIANCE_STREAM },
  })
  @ApiParam({
    name: 'streamId',
    description: 'a compliance stream id',
    example: 'compliance-inspection-0f9c2b1d',
    schema: {
      type: 'string',
      maxLength: 200,
      pattern: '^compliance-(inventory|sweep|inspection|campaign|accuracy-check)-[A-Za-z0-9_-]+$',
    },
  })
  @ApiResponse({
    status: 200,
    description: 'the stream replayed and verified: hash chain, seq and ids, each event’s place and recorder',
    schema: complianceAuditReportSchema,
  })
  async stream(
    @Param('streamId', complianceStreamIdPipe) streamId: string,
    @Query(new ParseBodyPipe(parseAuditReportQuery)) _query: Record<string, never>,
  ): Promise<ComplianceAuditReport> {
    const report = await auditComplianceStreamById(this.eventLog, streamId);
    if (!report) throw new ProblemException(genericProblem(404, NO_SUCH_COMPLIANCE_STREAM));
    return report;
  }
}
