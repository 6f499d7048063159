import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What `/readyz` answers: 200 when `ready`, 503 otherwise; the body says why either way. */
export interface OpsReadiness {
  ready: boolean;
  body: Record<string, unknown>;
}

export interface OpsEndpoints {
  readiness(): Promise<OpsReadiness>;
  /** Prometheus text exposition. */
  metrics(): Promise<{ contentType: string; text: string }>;
}

export interface OpsServer {
  readonly url: string;
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  response.end(body);
}

async function answer(endpoints: OpsEndpoints, request: IncomingMessage, response: ServerResponse) {
  const path = (request.url ?? '/').split('?')[0];
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('allow', 'GET, HEAD');
    return send(response, 405, JSON_TYPE, JSON.stringify({ error: 'only GET and HEAD' }));
  }
  switch (path) {
    case '/livez':
      return send(response, 200, JSON_TYPE, JSON.stringify({ status: 'alive' }));
    case '/readyz': {
      const { ready, body } = await endpoints.readiness();
      const status = ready ? 'ready' : 'not-ready';
      return send(response, ready ? 200 : 503, JSON_TYPE, JSON.stringify({ status, ...body }));
    }
    case '/metrics': {
      const { contentType, text } = await endpoints.metrics();
      return send(response, 200, contentType, text);
    }
    default:
      return send(
        response,
        404,
        JSON_TYPE,
        JSON.stringify({ error: 'not found; try /livez, /readyz, /metrics' }),
      );
  }
}

/**
 * A worker's or projector's own small HTTP listener for load balancers and Prometheus: `/livez` (200
 * while the process runs, nothing checked), `/readyz` (200 when it can do its work) and `/metrics`.
 */
export function startOpsServer(
  listen: { host: string; port: number },
  endpoints: OpsEndpoints,
): Promise<OpsServer> {
  const server = createServer((request, response) => {
    answer(endpoints, request, response).catch((error: Error) => {
      if (!response.headersSent)
        send(response, 500, JSON_TYPE, JSON.stringify({ error: error.message.split('\n')[0] }));
      else response.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `ICP_OPS_PORT: cannot listen on ${listen.host}:${listen.port}: ${error.code ?? error.message}`,
        ),
      ),
    );
    server.listen(listen.port, listen.host, () => {
      const { port } = server.address() as AddressInfo;
      const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
      resolve({
        url: `http://${host}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** The Prometheus text another exporter in this process serves (e.g. the Temporal SDK core's). */
export async function scrapePrometheusText(url: string, timeoutMs = 5_000): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.text();
}
