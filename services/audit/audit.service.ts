import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { WorkingDayCalendar } from '../../events/working-days';
import type { EventLog } from '../../events/ports/event-log.port';
import { EVENT_LOG, TEMPORAL_CLIENT } from '../tokens';
import { FilingNotFound } from '../http/problem-details';
import { readFilingHistory } from './audit-loader';
import type { AuditReport } from './audit-report';
import { auditFilingHistory, withTemporalCrossCheck } from './filing-audit';
import { crossCheckWithTemporal } from './temporal-cross-check';
import { renderTimelineSvg, type TimelineLabels } from './timeline-svg';

export interface AuditServiceOptions {
  /** The working-day calendar deadlines are checked against: China's in production. */
  calendar: WorkingDayCalendar;
  /** How long the cross-check may wait for Temporal before the report says it was not checked. */
  temporalTimeoutMs: number;
}

export const AUDIT_OPTIONS = Symbol('AuditServiceOptions');

/** Replays a filing's stream from the log and cross-checks it with the workflow's history. Read-only. */
@Injectable()
export class AuditService {
  constructor(
    @Inject(EVENT_LOG) private readonly eventLog: EventLog,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(AUDIT_OPTIONS) private readonly options: AuditServiceOptions,
  ) {}

  /** The report; 404 when the log has no stream for the filing. Temporal's silence is in the report, not an error. */
  async report(filingId: string): Promise<AuditReport> {
    const recorded = await readFilingHistory(this.eventLog, filingId);
    if (recorded.length === 0) throw new FilingNotFound();
    const report = auditFilingHistory(filingId, recorded, { calendar: this.options.calendar });
    const { check, findings } = await crossCheckWithTemporal(this.client, filingId, recorded, {
      timeoutMs: this.options.temporalTimeoutMs,
      status: report.status,
    });
    return withTemporalCrossCheck(report, check, findings);
  }

  async timelineSvg(filingId: string, labels: TimelineLabels): Promise<string> {
    return renderTimelineSvg(await this.report(filingId), { labels });
  }
}
