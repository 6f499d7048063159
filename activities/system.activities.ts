import type { EventLog } from '../events/ports/event-log.port';

export interface WorkerReport {
  workerIdentity: string;
  eventLog: { backend: string; ok: boolean; error?: string };
}

/** Read-only probes of the worker's own dependencies; idempotent by construction. */
export function createSystemActivities(deps: { eventLog: EventLog; workerIdentity: string }) {
  return {
    async reportWorkerHealth(): Promise<WorkerReport> {
      const backend = deps.eventLog.description.split(':')[0] ?? 'unknown';
      try {
        await deps.eventLog.ping();
        return { workerIdentity: deps.workerIdentity, eventLog: { backend, ok: true } };
      } catch (error) {
        return {
          workerIdentity: deps.workerIdentity,
          eventLog: { backend, ok: false, error: (error as Error).message },
        };
      }
    },
  };
}
