import type { WorkingDayCalendar } from '../events/working-days/working-day-calendar';
import type { EventLog } from '../events/ports/event-log.port';
import type { EmailSender, SmsSender } from './ports/notification.port';
import type { OpenSmsAnswer, SmsCodeStore } from './ports/sms-code-store.port';
import { createAccessWithdrawalActivities } from './access-withdrawal';
import type { DeadlineSweepDeps } from './compliance/sweep/deadline-sweep';
import { createSweepActivities } from './compliance/sweep/sweep.activities';
import { createInspectionActivities } from './compliance/inspection';
import { createCampaignActivities } from './compliance/campaign';
import { createDeadlineActivities } from './filing/deadline.activities';
import { createEventLogActivities } from './filing/event-log.activities';
import { createIssuanceActivities } from './filing/issuance.activities';
import { createNoticeActivities } from './filing/notice.activities';
import { createSmsActivities } from './filing/sms.activities';
import { createRegistrationNumberAllocator } from './registration-numbers';
import { createRegistryUpdateActivities, createRegistryUpdater } from './registry-updates';
import { createSystemActivities } from './system.activities';

export interface ActivityDeps {
  eventLog: EventLog;
  calendar: WorkingDayCalendar;
  smsCodes: SmsCodeStore;
  sms: SmsSender;
  email: EmailSender;
  openSmsAnswer: OpenSmsAnswer;
  workerIdentity: string;
  /** The inventories, sweep results and registry read side (absent: the sweep and inspections cannot run). */
  compliance?: DeadlineSweepDeps;
}

/** The worker is the only caller: it builds the dependencies and registers what this returns. */
export function createActivities(deps: ActivityDeps) {
  // The registry's one writer of service events: filings applied and ISPs' withdrawals.
  const updater = createRegistryUpdater({ eventLog: deps.eventLog });
  return {
    ...createSystemActivities(deps),
    ...createEventLogActivities(deps),
    ...createDeadlineActivities(deps),
    ...createSmsActivities({ codes: deps.smsCodes, sms: deps.sms, openSmsAnswer: deps.openSmsAnswer }),
    ...createIssuanceActivities({
      allocator: createRegistrationNumberAllocator({ eventLog: deps.eventLog }),
      sms: deps.sms,
      email: deps.email,
    }),
    ...createNoticeActivities({ sms: deps.sms, email: deps.email }),
    ...createAccessWithdrawalActivities({
      eventLog: deps.eventLog,
      updater,
      sms: deps.sms,
      email: deps.email,
    }),
    // applyFilingToRegistry: a change, cancellation or new access, once the bureau approved it.
    ...createRegistryUpdateActivities({ updater }),
    ...createSweepActivities(deps),
    ...createInspectionActivities(deps),
    // Accuracy campaigns: item answers, escalations, decisions and the withdrawals they order.
    ...createCampaignActivities({ eventLog: deps.eventLog, updater }),
  };
}

export type Activities = ReturnType<typeof createActivities>;
