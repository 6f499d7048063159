import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { IcpConfig } from '../../infra/config/config';
import {
  type OpsReadiness,
  type OpsServer,
  scrapePrometheusText,
  startOpsServer,
} from '../../infra/ops-http/ops-server';
import { freePort } from '../../infra/process/net';
import { installWorkerRuntimeLogging, workerLogLevel } from './runtime-logging';
import type { WorkerService } from './worker.service';

/**
 * Where the Temporal SDK core serves its Prometheus metrics in an `icp worker` process with
 * ICP_OPS_PORT: a loopback port of its own, read by the ops listener's /metrics (never exposed itself).
 * Must run before the worker's first connection: the runtime is created once per process.
 */
export async function installWorkerRuntimeWithMetrics(): Promise<string> {
  const address = `127.0.0.1:${await freePort()}`;
  if (!installWorkerRuntimeLogging(workerLogLevel(), { prometheusBindAddress: address })) {
    throw new Error('the Temporal runtime was already created without metrics');
  }
  return `http://${address}/metrics`;
}

/** Ready while the worker polls its task queue and Temporal answers; the body says which is missing. */
export async function workerReadiness(worker: WorkerService | undefined): Promise<OpsReadiness> {
  const { state, temporal } = worker ? await worker.readiness() : { state: 'starting', temporal: 'down' };
  return { ready: state === 'RUNNING' && temporal === 'up', body: { worker: state, checks: { temporal } } };
}

/** This process's metrics (Node.js defaults) followed by the SDK core's, scraped from its exporter. */
function workerMetrics(temporalMetricsUrl: string): () => Promise<{ contentType: string; text: string }> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const temporalUp = new Gauge({
    name: 'icp_worker_temporal_metrics_up',
    help: 'Whether the Temporal SDK core metrics could be read for this scrape (1) or not (0).',
    registers: [registry],
  });
  return async () => {
    const temporal = await scrapePrometheusText(temporalMetricsUrl).catch(() => '');
    temporalUp.set(temporal ? 1 : 0);
    return { contentType: registry.contentType, text: `${await registry.metrics()}\n${temporal}` };
  };
}

/**
 * `icp worker`'s /livez, /readyz and /metrics on ICP_OPS_PORT (undefined when it is not set); started
 * before the worker so /livez answers while it connects, `worker()` is undefined until then.
 */
export async function startWorkerOps(
  config: IcpConfig,
  temporalMetricsUrl: string | undefined,
  worker: () => WorkerService | undefined,
): Promise<OpsServer | undefined> {
  if (!config.ops || !temporalMetricsUrl) return undefined;
  return startOpsServer(config.ops, {
    readiness: () => workerReadiness(worker()),
    metrics: workerMetrics(temporalMetricsUrl),
  });
}
