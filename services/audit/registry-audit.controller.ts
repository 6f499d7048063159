import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { SUBJECT_NUMBER_PATTERN } from '../../events/form/subject-number';
import { AuthGuard } from '../auth/auth.guard';
import { Roles } from '../auth/roles.decorator';
import { ApiRoute } from '../http/openapi-operation';
import { ParseBodyPipe } from '../http/parse-body.pipe';
import { auditReportQuery, parseAuditReportQuery } from './audit.requests';
import { registryAuditReportSchema } from './audit.responses';
import type { RegistryAuditReport } from './audit-report';
import {
  SERVICE_NUMBER_EXAMPLE,
  SERVICE_NUMBER_PATTERN,
  SUBJECT_NUMBER_EXAMPLE,
  serviceNumberPipe,
  type SubjectNumberRequest,
  subjectNumberPipe,
} from '../http/registration-number-params';
import { NO_SUCH_SERVICE, NO_SUCH_SUBJECT, RegistryAuditService } from './registry-audit.service';

const VERIFIED =
  'the stream replayed and verified: hash chain and seq, legal transitions and numbering, recorder roles, event data';

/** Thin: validate (pipes), authorise (guard), ask the registry audit. Auditors only; read-only. */
@ApiTags('audit')
@Controller('v1/audit')
@UseGuards(AuthGuard)
export class RegistryAuditController {
  constructor(private readonly audit: RegistryAuditService) {}

  @Get('subjects/:subjectNumber')
  @Roles('auditor')
  @ApiRoute({ bearer: true, query: auditReportQuery, problems: { 404: NO_SUCH_SUBJECT } })
  @ApiParam({
    name: 'subjectNumber',
    description: 'the subject number (URL-encoded)',
    example: SUBJECT_NUMBER_EXAMPLE,
    schema: { type: 'string', pattern: SUBJECT_NUMBER_PATTERN },
  })
  @ApiResponse({ status: 200, description: `the subject’s ${VERIFIED}`, schema: registryAuditReportSchema })
  subject(
    @Param('subjectNumber', subjectNumberPipe) subject: SubjectNumberRequest,
    @Query(new ParseBodyPipe(parseAuditReportQuery)) _query: Record<string, never>,
  ): Promise<RegistryAuditReport> {
    return this.audit.subject(subject);
  }

  @Get('services/:serviceNumber')
  @Roles('auditor')
  @ApiRoute({ bearer: true, query: auditReportQuery, problems: { 404: NO_SUCH_SERVICE } })
  @ApiParam({
    name: 'serviceNumber',
    description: 'the service number (URL-encoded): the subject number, `-`, n and the type’s suffix',
    example: SERVICE_NUMBER_EXAMPLE,
    schema: { type: 'string', pattern: SERVICE_NUMBER_PATTERN },
  })
  @ApiResponse({ status: 200, description: `the service’s ${VERIFIED}`, schema: registryAuditReportSchema })
  service(
    @Param('serviceNumber', serviceNumberPipe) serviceNumber: string,
    @Query(new ParseBodyPipe(parseAuditReportQuery)) _query: Record<string, never>,
  ): Promise<RegistryAuditReport> {
    return this.audit.service(serviceNumber);
  }
}
