import { Controller, Get, Header, Param, Query, UseGuards } from '@nestjs/common';
import { ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard';
import { Roles } from '../auth/roles.decorator';
import { ApiAuthenticated, problemSchema } from '../filings/filings.openapi';
import { ParseBodyPipe } from '../http/parse-body.pipe';
import { auditReportSchema, timelineSvgSchema } from './audit.openapi';
import {
  parseAuditReportQuery,
  parseTimelineQuery,
  TIMELINE_LANGUAGES,
  type TimelineRequest,
} from './audit.requests';
import type { AuditReport } from './audit-report';
import { AuditService } from './audit.service';
import { filingIdPipe } from '../http/request-keys';

const filingId = filingIdPipe;

const notFound = ApiResponse({
  status: 404,
  description: 'the log holds no such filing',
  schema: problemSchema,
});
const invalid = ApiResponse({
  status: 400,
  description: 'the id is not a UUID, or a query parameter is unknown or invalid',
  schema: problemSchema,
});

/** Thin: validate (pipes), authorise (guard), ask the audit service. Auditors only; read-only. */
@ApiTags('audit')
@Controller('v1/audit/filings')
@UseGuards(AuthGuard)
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get(':id')
  @Roles('auditor')
  @ApiAuthenticated()
  @ApiResponse({
    status: 200,
    description:
      'the filing’s history replayed and verified; `temporal.checked` is false (with the reason) when Temporal did not answer within a few seconds',
    schema: auditReportSchema,
  })
  @notFound
  @invalid
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
  @ApiAuthenticated()
  @ApiQuery({
    name: 'lang',
    required: false,
    enum: [...TIMELINE_LANGUAGES],
    description: 'labels; default en',
  })
  @ApiResponse({
    status: 200,
    description: 'the audit as a timeline picture',
    content: { 'image/svg+xml': { schema: timelineSvgSchema } },
  })
  @notFound
  @invalid
  timeline(
    @Param('id', filingId) id: string,
    @Query(new ParseBodyPipe(parseTimelineQuery)) query: TimelineRequest,
  ): Promise<string> {
    return this.audit.timelineSvg(id, query.lang);
  }
}
