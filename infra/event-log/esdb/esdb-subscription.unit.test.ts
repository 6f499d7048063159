import { PassThrough } from 'node:stream';
import type { AllStreamSubscription } from '@kurrent/kurrentdb-client';
import { Subscription as ClientSubscription } from '@kurrent/kurrentdb-client/dist/streams/utils/Subscription';
import { convertGrpcEvent } from '@kurrent/kurrentdb-client/dist/utils/convertGrpcEvent';
import type { ReadResp } from '@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb';
import {
  EventLogUnavailableError,
  type RecordedEvent,
  type SubscribeOptions,
} from '../../../events/ports/event-log.port';
import { isTransient, toEventLogError } from './esdb-errors';
import { responses, type StoredEvent } from '../../../test/support/esdb/esdb-read-responses';
import { EsdbSubscription, type SubscriptionSource } from './esdb-subscription';
import { type FeedItem, openSubscriptionFeed, type SubscriptionFeed } from './esdb-subscription-feed';

/**
 * The server side of each subscription: a stream of read responses fed into the client's real
 * Subscription (its transform, conversion, `caughtUp` and `checkpointReached` handling).
 */
class FakeServer {
  readonly opened: Array<{ from: number; grpc: PassThrough; cancelled: boolean }> = [];

  open = (from: number): SubscriptionFeed =>
    openSubscriptionFeed((checkpointReached) => {
      const grpc = new PassThrough({ objectMode: true });
      const call = { from, grpc, cancelled: false };
      Object.assign(grpc, {
        cancel: () => {
          call.cancelled = true;
          grpc.end();
        },
      });
      this.opened.push(call);
      const subscription = new ClientSubscription(
        async () => grpc as never,
        convertGrpcEvent,
        {},
        checkpointReached as never,
      );
      return subscription as unknown as AllStreamSubscription;
    });

  get current(): { from: number; grpc: PassThrough; cancelled: boolean } {
    const call = this.opened[this.opened.length - 1];
    if (!call) throw new Error('no subscription opened');
    return call;
  }

  send(...messages: ReadResp[]): void {
    for (const message of messages) this.current.grpc.write(message);
  }

  /** As @grpc/grpc-js fails a call, once the client listens (it attaches its listener asynchronously). */
  async fail(code: number, details: string): Promise<void> {
    const { grpc } = this.current;
    await waitFor(() => grpc.listenerCount('error') > 0, 'the client to listen for errors');
    grpc.emit('error', Object.assign(new Error(`${code} ${details}`), { code, details }));
  }
}

let nextId = 0;
function stored(streamId: string, at: bigint, type = 'FilingSubmitted'): StoredEvent {
  nextId += 1;
  return {
    streamId,
    id: `00000000-0000-4000-8000-${String(nextId).padStart(12, '0')}`,
    type,
    revision: 0,
    at,
    data: Buffer.from(JSON.stringify({ at: String(at) })),
    metadata: Buffer.from('{}'),
  };
}

const filing = (at: bigint, type?: string): ReadResp => responses.event(stored(`filing-${at}`, at, type));
const position = (at: bigint): number => 2 * Number(at) + 1;

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('subscription feed over the client’s Subscription', () => {
  let server: FakeServer;
  beforeEach(() => (server = new FakeServer()));

  const kinds = (items: FeedItem[]): string[] =>
    items.map((item) =>
      item.kind === 'event'
        ? `event ${item.resolved.event?.position?.commit}`
        : item.kind === 'checkpoint'
          ? `checkpoint ${item.position.commit}/${item.position.prepare}`
          : item.kind,
    );

  it('keeps signals behind the events the server sent before them, even when read slowly', async () => {
    const feed = server.open(0);
    const catchUp = Array.from({ length: 40 }, (_, n) => filing(BigInt(100 + n)));
    server.send(responses.confirmation(), ...catchUp, responses.checkpoint(200n, 0n), responses.caughtUp());
    server.send(filing(300n));

    const items: FeedItem[] = [];
    while (items.length < 43) {
      const item = await feed.next();
      if (!item) break;
      items.push(item);
      await new Promise((resolve) => setImmediate(resolve));
    }

    expect(kinds(items)).toEqual([
      ...Array.from({ length: 40 }, (_, n) => `event ${100 + n}`),
      'checkpoint 200/0',
      'caughtUp',
      'event 300',
    ]);
    expect(feed.pending).toBe(false);
    feed.close();
    await waitFor(() => server.current.cancelled, 'the call to be cancelled');
    expect(await feed.next()).toBeUndefined();
  });

  it('keeps order when the client transforms a signal, and the event after it, inside a read', async () => {
    let client: ClientSubscription<unknown> | undefined;
    const feed = openSubscriptionFeed((checkpointReached) => {
      const grpc = Object.assign(new PassThrough({ objectMode: true }), { cancel: () => grpc.end() });
      client = new ClientSubscription(
        async () => grpc as never,
        convertGrpcEvent,
        {},
        checkpointReached as never,
      );
      return client as unknown as AllStreamSubscription;
    });
    // As a pipe leaves them while the transform is busy: waiting in its write buffer, so reading one
    // event runs the transform of the next messages synchronously, inside that read.
    for (let n = 0; n < 20; n++) client?.write(filing(BigInt(100 + n)));
    client?.write(responses.caughtUp());
    client?.write(filing(300n));

    const items: FeedItem[] = [];
    for (let item = await feed.next(); item; item = items.length < 22 ? await feed.next() : undefined) {
      items.push(item);
    }

    expect(kinds(items)).toEqual([
      ...Array.from({ length: 20 }, (_, n) => `event ${100 + n}`),
      'caughtUp',
      'event 300',
    ]);
    feed.close();
  });

  it('rejects with the client’s error once what arrived before it is read', async () => {
    const feed = server.open(0);
    server.send(filing(10n));
    await waitFor(() => feed.pending, 'the event');
    await server.fail(14, 'UNAVAILABLE: No connection established');

    expect((await feed.next())?.kind).toBe('event');
    await expect(feed.next()).rejects.toMatchObject({ type: 'unavailable' });
  });
});

describe('EsdbSubscription', () => {
  let server: FakeServer;
  let subscription: EsdbSubscription | undefined;
  let delivered: RecordedEvent[];
  let caughtUp: number[];
  let errors: Error[];

  const source = (giveUpAfterMs = 2_000): SubscriptionSource => ({
    open: server.open,
    accepts: (streamId) => streamId.startsWith('filing-'),
    isTransient,
    toError: (error) => toEventLogError(error, 'esdb://***@node1:2113', []),
    ended: () => new EventLogUnavailableError('the server ended the subscription'),
    reconnect: { firstDelayMs: 5, maxDelayMs: 20, giveUpAfterMs },
  });

  const subscribe = (options: Partial<SubscribeOptions> = {}, giveUpAfterMs?: number): EsdbSubscription => {
    subscription = new EsdbSubscription(source(giveUpAfterMs), {
      ...options,
      onEvent: async (event) => {
        delivered.push(event);
        await options.onEvent?.(event);
      },
      onCaughtUp: (at) => caughtUp.push(at),
      onError: (error) => errors.push(error),
    });
    return subscription;
  };

  beforeEach(() => {
    server = new FakeServer();
    delivered = [];
    caughtUp = [];
    errors = [];
  });

  afterEach(async () => {
    await subscription?.stop();
  });

  it('subscribes after fromPosition, reports caught up at the last checkpoint, then each live event', async () => {
    subscribe({ fromPosition: position(50n) });
    expect(server.current.from).toBe(position(50n));

    server.send(responses.confirmation(), filing(60n), filing(70n), responses.checkpoint(90n, 0n));
    server.send(responses.caughtUp());
    await waitFor(() => caughtUp.length === 1, 'caught up');
    expect(delivered.map((event) => event.position)).toEqual([position(60n), position(70n)]);
    // "Everything before log position 90": below the event the server will write at 90.
    expect(caughtUp).toEqual([180]);

    server.send(filing(90n));
    await waitFor(() => caughtUp.length === 2, 'caught up after the live event');
    expect(caughtUp).toEqual([180, position(90n)]);
    expect(errors).toEqual([]);
  });

  it('passes over EventStoreDB’s own and other streams’ events, counting them as considered', async () => {
    subscribe();
    server.send(
      filing(10n),
      responses.event(stored('$ce-filing', 20n, '$>')),
      responses.event(stored('allocator-1', 30n)),
      responses.caughtUp(),
    );

    await waitFor(() => caughtUp.length === 1, 'caught up');
    expect(delivered.map((event) => event.streamId)).toEqual(['filing-10']);
    expect(caughtUp).toEqual([position(30n)]);
  });

  it('reports nothing while the server catches up again after falling behind', async () => {
    subscribe();
    server.send(filing(10n), responses.caughtUp());
    await waitFor(() => caughtUp.length === 1, 'caught up');

    server.send(responses.fellBehind(), filing(20n), filing(30n));
    await waitFor(() => delivered.length === 3, 'the events read again');
    expect(caughtUp).toEqual([position(10n)]);

    server.send(responses.caughtUp());
    await waitFor(() => caughtUp.length === 2, 'caught up again');
    expect(caughtUp).toEqual([position(10n), position(30n)]);
  });

  it('stop() waits for the event in its handler, then delivers nothing and cancels the call', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    subscribe({ onEvent: (event) => (event.position === position(10n) ? gate : undefined) });
    server.send(filing(10n), filing(20n));
    await waitFor(() => delivered.length === 1, 'the first event in its handler');

    let stopped = false;
    const stopping = subscription?.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(stopped).toBe(false);
    release();
    await stopping;

    expect(delivered).toHaveLength(1);
    await waitFor(() => server.current.cancelled, 'the call to be cancelled');
    expect(errors).toEqual([]);
  });

  it('stop() from inside the handler returns at once and ends delivery', async () => {
    let returned = false;
    subscribe({
      onEvent: async () => {
        await subscription?.stop();
        returned = true;
      },
    });
    server.send(filing(10n), filing(20n));

    await waitFor(() => returned, 'stop() inside the handler');
    await subscription?.finished;
    expect(delivered).toHaveLength(1);
  });

  it('stops and reports the handler’s own error', async () => {
    subscribe({
      onEvent: (event) => {
        if (event.position === position(20n)) throw new Error('projection failed');
      },
    });
    server.send(filing(10n), filing(20n), filing(30n));

    await waitFor(() => errors.length === 1, 'onError');
    expect(errors.map((error) => error.message)).toEqual(['projection failed']);
    await subscription?.finished;
    expect(delivered.map((event) => event.position)).toEqual([position(10n), position(20n)]);
    await waitFor(() => server.current.cancelled, 'the call to be cancelled');
  });

  it('resubscribes after the last event handled when the connection drops, without duplicates', async () => {
    subscribe();
    server.send(filing(10n), filing(20n), responses.caughtUp());
    await waitFor(() => caughtUp.length === 1, 'caught up');

    await server.fail(14, 'UNAVAILABLE: Connection dropped');
    await waitFor(() => server.opened.length === 2, 'the new subscription');
    expect(server.current.from).toBe(position(20n));

    server.send(filing(20n), filing(30n), responses.caughtUp());
    await waitFor(() => caughtUp.length === 2, 'caught up again');
    expect(delivered.map((event) => event.position)).toEqual([position(10n), position(20n), position(30n)]);
    expect(errors).toEqual([]);
  });

  it('gives up with EventLogUnavailableError when reconnecting keeps failing', async () => {
    subscribe({}, 50);
    for (let attempt = 1; errors.length === 0; attempt++) {
      await waitFor(() => server.opened.length === attempt || errors.length > 0, 'a subscription attempt');
      if (errors.length === 0) await server.fail(14, 'UNAVAILABLE: No connection established');
    }

    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(EventLogUnavailableError);
    expect(errors[0]?.message).toMatch(/^event log esdb:\/\/\*\*\*@node1:2113 is unavailable: /);
    expect(server.opened.length).toBeGreaterThan(1);
  });

  it('reports a refusal at once: reading $all needs the right to', async () => {
    subscribe();
    await server.fail(16, 'UNAUTHENTICATED: Access denied');

    await waitFor(() => errors.length === 1, 'onError');
    expect(errors[0]?.message).toContain('access denied');
    expect(server.opened).toHaveLength(1);
  });

  it('treats a subscription the server ends as a dropped connection', async () => {
    subscribe();
    server.send(filing(10n));
    await waitFor(() => delivered.length === 1, 'the event');
    server.current.grpc.end();

    await waitFor(() => server.opened.length === 2, 'the new subscription');
    expect(server.current.from).toBe(position(10n));
  });
});
