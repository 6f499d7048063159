import { Inject, Injectable } from '@nestjs/common';
import type { EventLog } from '../../events/ports/event-log.port';
import { genericProblem, ProblemException } from '../http/problem-details';
import { EVENT_LOG } from '../tokens';
import type { RegistryAuditReport } from './audit-report';
import { auditService, auditSubject } from './registry-audit-loader';
import type { SubjectNumberRequest } from '../http/registration-number-params';

export const NO_SUCH_SUBJECT = 'the registry holds no such subject';
export const NO_SUCH_SERVICE = 'the registry holds no such service';

/** Replays a subject's or a service's registry stream from the log. Read-only. */
@Injectable()
export class RegistryAuditService {
  constructor(@Inject(EVENT_LOG) private readonly eventLog: EventLog) {}

  async subject(subject: SubjectNumberRequest): Promise<RegistryAuditReport> {
    const report = await auditSubject(this.eventLog, subject);
    if (!report) throw new ProblemException(genericProblem(404, NO_SUCH_SUBJECT));
    return report;
  }

  async service(serviceNumber: string): Promise<RegistryAuditReport> {
    const report = await auditService(this.eventLog, serviceNumber);
    if (!report) throw new ProblemException(genericProblem(404, NO_SUCH_SERVICE));
    return report;
  }
}
