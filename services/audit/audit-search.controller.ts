import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuthGuard } from '../auth/auth.guard';
import { Roles } from '../auth/roles.decorator';
import { filingStatusSchema } from '../filings/filing.responses';
import { ApiRoute } from '../http/openapi-operation';
import { ParseBodyPipe } from '../http/parse-body.pipe';
import type { FilingSummaryRow } from '../../events/ports/read-models.port';
import { auditSearchQuery, type AuditSearchRequest, parseAuditSearchQuery } from './audit-search.requests';
import { AUDIT_SEARCH_LIMIT, AuditSearchService } from './audit-search.service';

/** Auditors find a filing by id, registration number or app/operator name (read model; read-only). */
@ApiTags('audit')
@Controller('v1/audit')
@UseGuards(AuthGuard)
export class AuditSearchController {
  constructor(private readonly searches: AuditSearchService) {}

  @Get('search')
  @Roles('auditor')
  @ApiRoute({ bearer: true, query: auditSearchQuery, problems: {} })
  @ApiResponse({
    status: 200,
    description: `filings whose id or registration number is q (or a number that begins with it), or whose app or operator name contains it; exact matches first, at most ${AUDIT_SEARCH_LIMIT}`,
    schema: { type: 'object', properties: { items: { type: 'array', items: filingStatusSchema } } },
  })
  async search(@Query(new ParseBodyPipe(parseAuditSearchQuery)) query: AuditSearchRequest): Promise<{
    items: FilingSummaryRow[];
  }> {
    return { items: await this.searches.search(query.q) };
  }
}
