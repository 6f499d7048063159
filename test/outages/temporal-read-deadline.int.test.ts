import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isGrpcServiceError } from '@temporalio/client';
import { loadConfig } from '../../infra/config/config';
import { freePort } from '../../infra/process/net';
import { lazyClient } from '../../infra/temporal/connection';
import { currentRetryDeadline, withinTemporalBounds } from '../../services/temporal/temporal-bounds';
import { problemFromTemporalError } from '../../services/http/temporal-problems';
import { statusQuery } from '../../workflows/filing/filing.definitions';

/**
 * The API's connection to an unreachable Temporal (a loopback port nobody listens on): a call with a
 * deadline is over by its deadline, and a read within bounds reports an unreachable frontend after its
 * reach bound, however long its answer bound. The SDK's retry interceptor alone sleeps between attempts (backing
 * off to 5 s) and notices the deadline only when its next attempt starts, so a 3 s read could take 8 s,
 * and a retry timer still pending when the connection closes throws from the event loop (this file
 * closes each connection right after its calls: such a timer would crash the test process).
 */
describe('Temporal calls with a deadline against an unreachable frontend', () => {
  const timings: string[] = [];
  let address = '';
  // lazyClient loads (or creates) the payload keys of a data directory.
  const dataDir = mkdtempSync(join(tmpdir(), 'icp-read-deadline-'));

  beforeAll(async () => {
    address = `127.0.0.1:${await freePort()}`;
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
    console.info(`Temporal unreachable at a closed loopback port: ${timings.join('; ')}`);
  });

  const clientFor = () =>
    lazyClient(loadConfig({ ICP_DATA_DIR: dataDir, TEMPORAL_ADDRESS: address }), currentRetryDeadline);

  it('ends an RPC bounded by withDeadline by its deadline, not after the next backoff', async () => {
    const { connection } = clientFor();
    for (const timeoutMs of [1_000, 2_500, 4_000]) {
      const startedAt = Date.now();
      const error = await connection
        .withDeadline(startedAt + timeoutMs, () => connection.workflowService.getSystemInfo({}))
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      const elapsed = Date.now() - startedAt;
      timings.push(`withDeadline(${timeoutMs} ms) ended after ${elapsed} ms`);
      // UNAVAILABLE when the next attempt could not start in time, DEADLINE_EXCEEDED for one in flight.
      expect(isGrpcServiceError(error) && [4, 14].includes(error.code)).toBe(true);
      expect(problemFromTemporalError(error)).toMatchObject({ status: 503 });
      expect(elapsed).toBeLessThanOrEqual(timeoutMs + 250);
    }
    await connection.close();
  });

  it('reports an unreachable Temporal within the reach bound though the answer bound is longer, as a 503 problem', async () => {
    const { client, connection } = clientFor();
    const startedAt = Date.now();
    const error = await withinTemporalBounds(client, { reachMs: 1_000, answerMs: 10_000 }, () =>
      client.workflow.getHandle('filing-00000000-0000-4000-8000-000000000000').query(statusQuery),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    const elapsed = Date.now() - startedAt;
    timings.push(`a status query within {reach 1000 ms, answer 10000 ms} ended after ${elapsed} ms`);
    expect(elapsed).toBeLessThanOrEqual(1_250);
    expect(problemFromTemporalError(error)).toMatchObject({ status: 503 });
    await connection.close();
  });
});
