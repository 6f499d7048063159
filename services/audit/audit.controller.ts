import { Controller, Get, Header, Param, Query, UseGuards } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard';
import { Roles } from '../auth/roles.decorator';
import { ApiRoute } from '../http/openapi-operation';
import { ParseBodyPipe } from '../http/parse-body.pipe';
import { auditReportSchema, timelineSvgSchema } from './audit.responses';
import {
  auditReportQuery,
  parseAuditReportQuery,
  parseTimelineQuery,
  timelineQuery,
  type TimelineRequest,
} from './audit.requests';
import type { AuditReport } from './audit-report';
import { AuditService } from './audit.service';
import { filingIdPipe } from '../http/request-keys';

const filingId = filingIdPipe;
const NOT_FOUND = 'the log holds no such filing';

/** Thin: validate (pipes), authorise (guard), ask the audit service. Auditors only; read-only. */
@ApiTags('audit')
@Controller('v1/audit/filings')
@UseGuards(AuthGuard)
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get(':id')
  @Roles('auditor')
  @ApiRoute({ bearer: true, filingId: true, query: auditReportQuery, problems: { 404: NOT_FOUND } })
  @ApiResponse({
    status: 200,
    description:
      'the filing’s history replayed and verified; `temporal.checked` is false (with the reason) when Temporal did not answer within a few seconds',
    schema: auditReportSchema,
  })
  report(
    @Param('id', filingId) id: string,
    @Query(new ParseBodyPipe(parseAuditReportQuery)) _query: Record<string, never>,
  ): Promise<AuditReport> {
    return this.audit.report(id);
  }

  @Get(':id/timeline.svg')
  @Roles('auditor')
  @Header('Content-Type', 'image/svg+xml; charset=utf-8')
  @Header('Content-Security-Policy', "default-src 'none'")
  @Header('X-Content-Type-Options', 'nosniff')
  @ApiRoute({ bearer: true, filingId: true, query: timelineQuery, problems: { 404: NOT_FOUND } })
  @ApiResponse({
    status: 200,
    description: 'the audit as a timeline picture',
    content: { 'image/svg+xml': { schema: timelineSvgSchema } },
  })
  timeline(
    @Param('id', filingId) id: string,
    @Query(new ParseBodyPipe(parseTimelineQuery)) query: TimelineRequest,
  ): Promise<string> {
    return this.audit.timelineSvg(id, query.lang);
  }
}
