import type { EventLog } from '../infra/event-log/event-log.port';
import { createSystemActivities } from './system.activities';

export interface ActivityDeps {
  eventLog: EventLog;
  workerIdentity: string;
}

/** The worker is the only caller: it builds the dependencies and registers what this returns. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createSystemActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
