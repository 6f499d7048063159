import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadConfig } from '../../infra/config/config';
import { createBareActivities } from '../lib/bare-activities';

/**
 * A worker process running only the bare workflow (bench/workflows/) with do-nothing activities, on
 * its own task queue and with the same cache and concurrency as `icp worker`: its idle RSS is the
 * floor our worker's idle RSS stands beside. IPC as bench/procs/serve.ts: `ready`, `memory` (after a
 * full GC with --expose-gc), `stop`.
 */
type Request = { type: 'memory' } | { type: 'stop' } | { type: string };

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const config = loadConfig();
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: `${config.temporal.taskQueue}-bare`,
    workflowsPath: require.resolve('../workflows'),
    activities: createBareActivities(),
    maxCachedWorkflows: config.worker.cachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: config.worker.workflowTasks,
    maxConcurrentActivityTaskExecutions: config.worker.activities,
  });
  const running = worker.run();
  process.on('message', (request: Request) => {
    if (request.type === 'memory') {
      (globalThis as { gc?: () => void }).gc?.();
      process.send?.({ type: 'memory', usage: process.memoryUsage() });
    } else if (request.type === 'stop') {
      worker.shutdown();
      void running.then(() => connection.close()).then(() => process.exit(0));
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ type: 'ready', pid: process.pid });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench bare worker: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
