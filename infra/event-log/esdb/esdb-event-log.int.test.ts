import { randomUUID } from 'node:crypto';
import { describeEventLogContract } from '../../../test/contracts/event-log.contract';
import { ConfigError } from '../../config/config';
import { EventLogUnavailableError, type EventToAppend } from '../../../events/ports/event-log.port';
import { openEventLog } from '../open-event-log';
import { EsdbEventLog } from './esdb-event-log';

const url = process.env.EVENT_STORE_URL ?? '';

// Streams get fresh names, so the suite shares the server with whatever else is on it.
const openServer = async () => ({
  log: new EsdbEventLog(url),
  reopen: async () => new EsdbEventLog(url),
  cleanup: async () => undefined,
});

// The real server's run; esdb-fake-server.int.test.ts runs the same contract on the in-process stand-in.
if (/^(kurrentdb|esdb)(\+discover)?:\/\//.test(url)) {
  describeEventLogContract('KurrentDB server at EVENT_STORE_URL', openServer);
} else {
  console.info(
    'EventLog contract: KurrentDB server skipped: EVENT_STORE_URL names none (kurrentdb://… or esdb://…)',
  );
  const contract = () => describeEventLogContract('KurrentDB server at EVENT_STORE_URL', openServer);
  describe.skip('without EVENT_STORE_URL=kurrentdb://…', contract); // reason: no KurrentDB/EventStoreDB server runs on this machine (no server binary, no Docker daemon); set EVENT_STORE_URL=kurrentdb://… (or esdb://…) to run it against one
}

/** Nothing listens on port 1: every call meets a refused connection, the commonest outage. */
const UNREACHABLE = 'esdb://icp-writer:S3cret-pw@127.0.0.1:1?tls=false';

describe('EsdbEventLog without a reachable server', () => {
  let logs: EsdbEventLog[];
  const open = (): EsdbEventLog => {
    const log = new EsdbEventLog(UNREACHABLE, { pingTimeoutMs: 2_000, reconnectTimeoutMs: 200 });
    logs.push(log);
    return log;
  };

  beforeEach(() => (logs = []));
  afterEach(async () => {
    await Promise.all(logs.map((log) => log.close()));
  });

  it('is what EVENT_STORE_URL=esdb://… opens, described without credentials', async () => {
    const log = openEventLog(UNREACHABLE);
    logs.push(log as EsdbEventLog);

    expect(log).toBeInstanceOf(EsdbEventLog);
    expect(log.description).toBe('esdb://***@127.0.0.1:1?tls=false');
  });

  it('reports every operation as EventLogUnavailableError, never showing the password', async () => {
    const log = open();
    const errors = await Promise.all(
      [
        log.ping(),
        log.readStream('filing-1'),
        log.readAll({ streamPrefix: 'filing-' }),
        log.headPosition(),
        log.appendToStream('filing-1', [event('FilingSubmitted')], { expectedRevision: 'no_stream' }),
      ].map(rejection),
    );

    for (const error of errors) {
      expect(error).toBeInstanceOf(EventLogUnavailableError);
      expect((error as Error).message).toMatch(/^event log esdb:\/\/\*\*\*@127\.0\.0\.1:1\?tls=false /);
      expect((error as Error).message).not.toMatch(/S3cret|icp-writer/);
    }
  });

  it('reports a subscription that cannot connect through onError once reconnecting gives up', async () => {
    const log = open();
    const errors: Error[] = [];
    const subscription = log.subscribeToAll({ onEvent: () => undefined, onError: (e) => errors.push(e) });

    await waitFor(() => errors.length > 0);
    await subscription.stop();

    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(EventLogUnavailableError);
    expect(errors[0]?.message).not.toMatch(/S3cret/);
  });

  it('rejects what it must not store before going to the server', async () => {
    const log = open();

    await expect(
      log.appendToStream('filing-1', [event('Bad', { name: '\uD800 abc' })], {
        expectedRevision: 'no_stream',
      }),
    ).rejects.toThrow(/unpaired UTF-16 surrogate/);
    await expect(
      log.appendToStream('$filing-1', [event('FilingSubmitted')], { expectedRevision: 'no_stream' }),
    ).rejects.toThrow(/starting with \$ are KurrentDB's own/);
    await expect(
      log.appendToStream('filing-1', [event('$metadata')], { expectedRevision: 'no_stream' }),
    ).rejects.toThrow(/reserved by KurrentDB/);
    await expect(log.readAll({ fromPosition: -1 })).rejects.toThrow(RangeError);
  });

  it('closes idempotently; afterwards every call says the log is closed', async () => {
    const log = open();
    const errors: Error[] = [];
    log.subscribeToAll({ onEvent: () => undefined, onError: (e) => errors.push(e) });

    await log.close();
    await log.close();

    const closed = new EventLogUnavailableError('event log esdb://***@127.0.0.1:1?tls=false is closed');
    await expect(log.ping()).rejects.toThrow(closed);
    await expect(log.readStream('filing-1')).rejects.toThrow(closed);
    await expect(
      log.appendToStream('filing-1', [event('FilingSubmitted')], { expectedRevision: 'no_stream' }),
    ).rejects.toThrow(closed);
    expect(() => log.subscribeToAll({ onEvent: () => undefined })).toThrow(EventLogUnavailableError);
    expect(errors).toEqual([]);
  });

  it('refuses a malformed URL as a configuration error that quotes no credentials', () => {
    expect(() => new EsdbEventLog('esdb://icp-writer:S3cret-pw@node1:port?tls=false')).toThrow(ConfigError);
    expect(() => new EsdbEventLog('esdb://icp-writer:S3cret-pw@node1:port?tls=false')).toThrow(
      /^EVENT_STORE_URL: not a valid KurrentDB connection string \(esdb:\/\/\*\*\*@node1:port\?tls=false\)/,
    );
  });
});

function event(type: string, data: Record<string, string> = {}): EventToAppend {
  return { id: randomUUID(), type, data, metadata: {} };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
