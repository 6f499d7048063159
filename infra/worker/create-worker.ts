import { hostname } from 'node:os';
import { type NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import type { IcpConfig } from '../config/config';
import type { EventLog } from '../event-log/event-log.port';

/** The one place that wires activities to their dependencies. */
export function createWorker(
  config: IcpConfig,
  connection: NativeConnection,
  eventLog: EventLog,
): Promise<Worker> {
  const workerIdentity = `${process.pid}@${hostname()}`;
  return Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    identity: workerIdentity,
    workflowsPath: require.resolve('../../workflows'),
    activities: createActivities({ eventLog, workerIdentity }),
  });
}
