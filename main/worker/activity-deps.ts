import { hostname } from 'node:os';
import type { ActivityDeps } from '../../activities';
import { loadChineseCalendar } from '../../infra/calendar/chinese-holidays';
import type { IcpConfig } from '../../infra/config/config';
import type { EventLog } from '../../events/ports/event-log.port';
import { openConfiguredComplianceStore } from '../../infra/compliance/open-compliance-store';
import { openConfiguredOutbox } from '../../infra/notify/open-outbox';
import { openConfiguredReadModels } from '../read-models';
import { loadOrCreateSecret } from '../../infra/secrets/local-secret';
import { smsAnswerOpener } from '../../infra/verification/sealed-answer';
import { openSmsCodeStore } from '../../infra/verification/open-sms-code-store';
import { SMS_CODE_PEPPER_SECRET } from '../../infra/verification/sms-code-store';

/** Name of the secret the API seals applicants' SMS answers with and the worker opens them with. */
export const SMS_ANSWER_SECRET = 'sms-answer';

/**
 * Everything activities touch, opened from the configuration (the SMS challenges and the outbox on
 * PostgreSQL when DATABASE_URL is set, so any worker host checks any code); `close` releases the files
 * and connections.
 */
export async function openActivityDeps(
  config: IcpConfig,
  eventLog: EventLog,
): Promise<{ deps: ActivityDeps; close(): Promise<void> }> {
  const smsCodes = await openSmsCodeStore(config, loadOrCreateSecret(config.dataDir, SMS_CODE_PEPPER_SECRET));
  const outbox = await openConfiguredOutbox(config);
  const calendar = loadChineseCalendar();
  // The deadline sweep reads the inventories and the registry's identifier index.
  const complianceStore = await openConfiguredComplianceStore(config);
  const readModels = await openConfiguredReadModels(config, calendar);
  return {
    deps: {
      eventLog,
      calendar,
      smsCodes,
      sms: outbox.sms,
      email: outbox.email,
      openSmsAnswer: smsAnswerOpener(loadOrCreateSecret(config.dataDir, SMS_ANSWER_SECRET)),
      workerIdentity: `${process.pid}@${hostname()}`,
      compliance: { eventLog, registry: readModels, store: complianceStore },
    },
    close: async () => {
      await outbox.close();
      await smsCodes.close();
      await complianceStore.close();
      await readModels.close();
    },
  };
}
