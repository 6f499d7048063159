import { type HttpAnswer, type RequestOptions, RetryingHttpClient } from '../../faults/resilient-http';
import type { Host } from './hosts';

/**
 * A load balancer seen from the client: each request goes to the API host its turn names, skipping
 * hosts known to be down; one that fails (connection lost, 5xx, 429 for longer than a few seconds)
 * is sent again, with the same Idempotency-Key, to the next host. Counts which host answered what.
 */

export interface RoutedAnswer extends HttpAnswer {
  /** The API host that gave this answer. */
  readonly host: string;
}

export interface RoutedRequest extends RequestOptions {
  /** The request's turn: host `turn mod n` of the API hosts (the next one when it is down). */
  readonly turn: number;
}

/** How long one host is tried (its own retries included) before the request moves to the next. */
const PER_HOST_MS = 4_000;

export class ApiRoundRobin {
  /** Final answers by host and status: `api-1 POST 202`. */
  readonly answeredBy: Record<string, number> = {};
  /** Requests that a host failed and another one answered. */
  movedToAnotherHost = 0;
  private readonly clients: ReadonlyMap<string, RetryingHttpClient>;

  constructor(private readonly apis: readonly Host[]) {
    this.clients = new Map(apis.map((host) => [host.name, new RetryingHttpClient(host.base as string)]));
  }

  /** The API host whose turn it is, or the next one that is up. */
  hostFor(turn: number): Host {
    for (let step = 0; step < this.apis.length; step += 1) {
      const host = this.apis[(turn + step) % this.apis.length] as Host;
      if (host.alive) return host;
    }
    throw new Error('no API host is up');
  }

  /** The turn that goes to the API host `name` while it is up. */
  turnOf(name: string): number {
    return this.apis.findIndex((host) => host.name === name);
  }

  /** The turn of the API host after `name` (the other one of two; `name` again once that one is down). */
  turnAfter(name: string): number {
    return this.turnOf(name) + 1;
  }

  async send(request: RoutedRequest): Promise<RoutedAnswer> {
    const deadline = Date.now() + (request.deadlineMs ?? 120_000);
    for (let step = 0; ; step += 1) {
      const host = this.hostFor(request.turn + step);
      try {
        const answer = await (this.clients.get(host.name) as RetryingHttpClient).send({
          ...request,
          deadlineMs: Math.min(PER_HOST_MS, Math.max(1_000, deadline - Date.now())),
        });
        const key = `${host.name} ${request.method} ${answer.status}`;
        this.answeredBy[key] = (this.answeredBy[key] ?? 0) + 1;
        if (step > 0) this.movedToAnotherHost += 1;
        return { ...answer, host: host.name };
      } catch (error) {
        if (Date.now() >= deadline) throw error;
      }
    }
  }

  /** Every host's retries by reason (`ECONNRESET`, `503`, …) and the last 5xx details. */
  stats(): { retriedBecause: Record<string, number>; serverErrors: Record<string, string> } {
    const retriedBecause: Record<string, number> = {};
    const serverErrors: Record<string, string> = {};
    for (const [name, client] of this.clients) {
      for (const [why, count] of Object.entries(client.stats.retriedBecause))
        retriedBecause[`${name} ${why}`] = count;
      for (const [status, detail] of Object.entries(client.stats.serverErrors))
        serverErrors[`${name} ${status}`] = detail;
    }
    return { retriedBecause, serverErrors };
  }

  close(): void {
    this.clients.forEach((client) => client.close());
  }
}
